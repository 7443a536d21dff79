package cases_test

import (
	"net/http"
	"testing"
)

// TestSwitchMovesTheLinkEpoch: a switch of customer or contact moves the
// case's link epoch on (every conversation link mailed so far stops
// working), with the change in its event; a switch to the customer and
// contact it has changes nothing.
func TestSwitchMovesTheLinkEpoch(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	c := h.create(t, map[string]any{"title": "Länkar", "customerId": w.custA, "contactId": w.anna})
	id := c.Str("id")
	if c.Num("linkEpoch") != 0 {
		t.Fatalf("a new case's link epoch: %s", c.Raw)
	}
	path := "/v1/cases/" + id + "/customer"
	same := h.Do(&agent, "POST", path, map[string]any{"customerId": w.custA, "contactId": w.anna}, ifMatch(1)...).Must(t, http.StatusOK)
	if same.Version() != 1 || same.Num("linkEpoch") != 0 {
		t.Errorf("a switch to the same contact: %s", same.Raw)
	}
	for i, body := range []map[string]any{
		{"customerId": w.custA, "contactId": w.bo},      // another contact
		{"customerId": w.custB, "contactId": w.cecilia}, // another customer
	} {
		r := h.Do(&agent, "POST", path, body, ifMatch(int64(i+1))...).Must(t, http.StatusOK)
		if r.Num("linkEpoch") != int64(i+1) {
			t.Errorf("switch %d: link epoch %d, want %d", i+1, r.Num("linkEpoch"), i+1)
		}
		ev := h.events(t, id)
		if b, a, ok := change(ev[len(ev)-1], "linkEpoch"); !ok || b != float64(i) || a != float64(i+1) {
			t.Errorf("switch %d: event change of linkEpoch %v → %v (%v)", i+1, b, a, ok)
		}
	}
}
