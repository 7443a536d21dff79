package cases_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/cases"
)

// accessWorld is a case of acme with a task and a time report, for
// requests on every route.
type accessWorld struct {
	world
	caseID, taskID, reportID string
}

func seedAccess(t *testing.T, h *harness) accessWorld {
	t.Helper()
	aw := accessWorld{world: h.seed(t)}
	b := aw.validService("Hemlig")
	b["customerId"], b["contactId"], b["linkedOrderId"] = aw.custA, aw.anna, aw.openOrder
	aw.caseID = h.create(t, b).Str("id")
	aw.taskID = h.get(t, aw.caseID).List("tasks")[0]["id"].(string)
	aw.reportID = h.Do(&agent, "POST", "/v1/cases/"+aw.caseID+"/time-reports", map[string]any{"date": "2026-11-26", "minutes": 30,
		"values": map[string]any{"arbete": "Service"}}).Must(t, http.StatusCreated).Str("id")
	return aw
}

// path fills a route pattern with the world's IDs.
func (aw accessWorld) path(pattern string) string {
	return strings.NewReplacer("{id}", aw.caseID, "{taskId}", aw.taskID, "{reportId}", aw.reportID).Replace(pattern)
}

// TestEveryRouteNeedsStaff: a portal customer gets 403 on every cases
// route, without a token 401, and nothing changes.
func TestEveryRouteNeedsStaff(t *testing.T) {
	h := newHarness(t)
	aw := seedAccess(t, h)
	before := h.get(t, aw.caseID)
	routes := cases.Routes(h.svc)
	if len(routes) < 17 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, r := range routes {
		t.Run(r.String(), func(t *testing.T) {
			p := aw.path(r.Pattern)
			body := validBody(r.Method, p, aw.world)
			h.Do(&customer, r.Method, p, body, ifMatch(1)...).MustProblem(t, http.StatusForbidden)
			h.Do(nil, r.Method, p, body, ifMatch(1)...).MustProblem(t, http.StatusUnauthorized)
		})
	}
	h.unchanged(t, aw.caseID, before, 2)
	if n := h.checkIntegrity(t, admin.Tenant); n != 1 {
		t.Errorf("%d cases after the refused requests", n)
	}
}

// TestOtherTenantSeesNothing: another tenant's admin gets 404 on every
// cases route with this tenant's IDs, sub-resources included; its lists
// never show this tenant's cases, and nothing of them changes.
func TestOtherTenantSeesNothing(t *testing.T) {
	h := newHarness(t)
	aw := seedAccess(t, h)
	// The other tenant has cases of its own, so its lists are not empty.
	own := h.Do(&intruder, "POST", "/v1/cases", map[string]any{"title": "Egen"}).Must(t, http.StatusCreated).Str("id")
	before := h.get(t, aw.caseID)
	beforeReports := h.Do(&agent, "GET", "/v1/cases/"+aw.caseID+"/time-reports", nil).Must(t, http.StatusOK)

	for _, r := range cases.Routes(h.svc) {
		if !strings.Contains(r.Pattern, "{id}") {
			continue // the collection: below
		}
		t.Run(r.String(), func(t *testing.T) {
			p := aw.path(r.Pattern)
			res := h.Do(&intruder, r.Method, p, validBody(r.Method, p, aw.world), ifMatch(1)...)
			res.MustProblem(t, http.StatusNotFound)
			if strings.Contains(string(res.Raw), "Hemlig") || strings.Contains(string(res.Raw), aw.custA) {
				t.Errorf("the 404 tells something: %s", res.Raw)
			}
		})
	}
	// Also with If-Match: * and with the version the case really has.
	h.Do(&intruder, "PATCH", "/v1/cases/"+aw.caseID, map[string]any{"title": "x"}, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	h.Do(&intruder, "DELETE", "/v1/cases/"+aw.caseID, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	h.Do(&intruder, "DELETE", "/v1/cases/"+aw.caseID+"/tasks/"+aw.taskID, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	h.Do(&intruder, "DELETE", "/v1/cases/"+aw.caseID+"/time-reports/"+aw.reportID, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)

	// Lists: the other tenant's lists, also filtered by this tenant's IDs,
	// show only its own case.
	for _, q := range []string{"", "?sort=updated", "?sort=urgent", "?status=" + statusNew, "?category=new",
		"?customer=" + aw.custA, "?type=" + aw.service, "?priority=" + prioNormal, "?assignee=" + userAgent1,
		"?group=" + groupSupp, "?overdue=true"} {
		got := h.Do(&intruder, "GET", "/v1/cases"+q, nil).Must(t, http.StatusOK).IDs()
		if slices.Contains(got, aw.caseID) {
			t.Errorf("the other tenant's %s lists this tenant's case", q)
		}
		if (q == "" || q == "?status="+statusNew) && !slices.Equal(got, []string{own}) {
			t.Errorf("the other tenant's %s: %v, want its own case", q, got)
		}
	}
	// Creating with this tenant's customer, contact, type or order fails
	// (a contact of this tenant's customer: the customer is not found).
	for _, tc := range []struct {
		field string
		body  map[string]any
	}{
		{"customerId", map[string]any{"title": "x", "customerId": aw.custA}},
		{"customerId", map[string]any{"title": "x", "customerId": aw.custA, "contactId": aw.anna}},
		{"typeId", map[string]any{"title": "x", "typeId": aw.service}},
		{"linkedOrderId", map[string]any{"title": "x", "linkedOrderId": aw.openOrder}},
	} {
		h.Do(&intruder, "POST", "/v1/cases", tc.body).MustProblem(t, http.StatusBadRequest, tc.field)
	}
	// Nor can it switch its own case to this tenant's customer.
	h.Do(&intruder, "POST", "/v1/cases/"+own+"/customer", map[string]any{"customerId": aw.custA}, ifMatch(1)...).
		MustProblem(t, http.StatusBadRequest, "customerId")

	h.unchanged(t, aw.caseID, before, 2)
	if after := h.Do(&agent, "GET", "/v1/cases/"+aw.caseID+"/time-reports", nil).Must(t, http.StatusOK); !bytes.Equal(after.Raw, beforeReports.Raw) {
		t.Errorf("time reports changed:\n%s\n%s", beforeReports.Raw, after.Raw)
	}
	if o := h.Do(&admin, "GET", "/v1/orders/"+aw.openOrder, nil).Must(t, http.StatusOK); o.Str("status") != "open" {
		t.Errorf("the order changed: %s", o.Raw)
	}
	if n := h.checkIntegrity(t, admin.Tenant); n != 1 {
		t.Errorf("acme has %d cases", n)
	}
	if n := h.checkIntegrity(t, intruder.Tenant); n != 1 {
		t.Errorf("the other tenant has %d cases", n)
	}
}
