package cases_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
)

// TestUsage: every list constructor names a list the case is written
// into, so that caselist.Usage answers which case uses a status, type,
// priority, user, group, customer, contact or order, and "" once nothing
// does (the case deleted, or another tenant asking).
func TestUsage(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	b := w.validService("Använd") // its type assigns agent1 and the support group
	b["customerId"], b["contactId"], b["linkedOrderId"], b["priorityId"] = w.custA, w.anna, w.openOrder, prioHigh
	r := h.create(t, b)
	want := fmt.Sprintf("case #%d (Använd)", r.Num("number"))
	used := map[string]caselist.List{
		"all": caselist.All, "active": caselist.Active, "status": caselist.ByStatus(statusNew),
		"category": caselist.ByCategory("new"), "priority": caselist.ByPriority(prioHigh), "type": caselist.ByType(w.service),
		"user": caselist.ByUser(userAgent1), "group": caselist.ByGroup(groupSupp), "customer": caselist.ByCustomer(w.custA),
		"contact": caselist.ByContact(w.anna), "order": caselist.ByOrder(w.openOrder),
	}
	unused := map[string]caselist.List{
		"other status": caselist.ByStatus(statusClosed), "other category": caselist.ByCategory("closed"),
		"other priority": caselist.ByPriority(prioLow), "other type": caselist.ByType(w.question),
		"other user": caselist.ByUser(userAgent2), "other customer": caselist.ByCustomer(w.custB),
		"other contact": caselist.ByContact(w.bo), "other order": caselist.ByOrder(w.cancelledOrder),
	}
	u := caselist.Usage{Table: h.db.Table}
	ctx := context.Background()
	usedBy := func(t *testing.T, tenant string, list caselist.List) string {
		t.Helper()
		got, err := u.UsedBy(ctx, tenant, list)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for name, list := range used {
		if got := usedBy(t, admin.Tenant, list); got != want {
			t.Errorf("%s (%s): %q, want %q", name, list, got, want)
		}
		if got := usedBy(t, intruder.Tenant, list); got != "" {
			t.Errorf("%s (%s) of another tenant: %q", name, list, got)
		}
	}
	for name, list := range unused {
		if got := usedBy(t, admin.Tenant, list); got != "" {
			t.Errorf("%s (%s): %q, want none", name, list, got)
		}
	}
	h.Do(&admin, "DELETE", "/v1/cases/"+r.Str("id"), nil, ifMatch(1)...).Must(t, http.StatusNoContent)
	for name, list := range used {
		if got := usedBy(t, admin.Tenant, list); got != "" {
			t.Errorf("%s (%s) after the delete: %q", name, list, got)
		}
	}
}
