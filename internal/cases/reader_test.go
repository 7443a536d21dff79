package cases_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
)

// TestReaderReadsTheStoredCase: what another area (the mailer) reads of a
// case is the case as the API answers it, in one strongly consistent
// GetItem; a deleted case, another tenant's, a missing one and an ID that
// cannot be one are not found.
func TestReaderReadsTheStoredCase(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	b := w.validService("Läckande kran")
	b["customerId"], b["contactId"], b["priorityId"], b["deadline"] = w.custA, w.anna, prioHigh, "2026-12-01T12:00:00Z"
	id := h.create(t, b).Str("id")
	ctx := context.Background()

	var err error
	h.db.Counter.Expect(t.Errorf, "read a case", map[string]int{"GetItem": 1}, func() {
		c, e := h.svc.Case(ctx, admin.Tenant, id)
		if err = e; e != nil {
			return
		}
		if c.ID != id || c.Number != 1 || c.Title != "Läckande kran" || c.TypeID != w.service || c.StatusID != statusNew ||
			c.PriorityID != prioHigh || c.ContactID != w.anna || c.Deadline == nil ||
			!c.Deadline.Equal(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)) || len(c.Assignees.Users) != 1 || c.Assignees.Users[0] != userAgent1 {
			t.Errorf("case %+v", c)
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	gone := h.create(t, map[string]any{"title": "Raderas"}).Str("id")
	h.Do(&admin, "DELETE", "/v1/cases/"+gone, nil, ifMatch(1)...).Must(t, http.StatusNoContent)
	for name, c := range map[string][2]string{
		"deleted": {admin.Tenant, gone}, "another tenant's": {intruder.Tenant, id},
		"missing": {admin.Tenant, noSuchID}, "not an ID": {admin.Tenant, "x#y"},
	} {
		if _, err := h.svc.Case(ctx, c[0], c[1]); problem.CodeOf(err) != problem.NotFound {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
}
