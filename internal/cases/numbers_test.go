package cases_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRefusedCreatesTakeNoNumber: a create refused after it took its
// number from the counter (the case too large to store, a customer,
// contact or order that does not exist) gives the number back, so the
// next create takes it.
func TestRefusedCreatesTakeNoNumber(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.create(t, map[string]any{"title": "Först"})
	huge := strings.Repeat("𝄞", 20000) // within the 20,000 characters, but 80 kB
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Stor", "description": huge}).MustProblem(t, http.StatusRequestEntityTooLarge)
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "customerId": noSuchID}).MustProblem(t, http.StatusBadRequest, "customerId")
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "customerId": w.custA, "contactId": w.cecilia}).MustProblem(t, http.StatusBadRequest, "contactId")
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "linkedOrderId": noSuchID}).MustProblem(t, http.StatusBadRequest, "linkedOrderId")
	if n := h.create(t, map[string]any{"title": "Nästa"}).Num("number"); n != 2 {
		t.Errorf("after refused creates the next number is %d, want 2", n)
	}
	h.checkIntegrity(t, admin.Tenant)
}

// TestNoSuchCustomer: a customer that does not exist is named as such,
// not as a missing contact of it.
func TestNoSuchCustomer(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	r := h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "customerId": "nope123"}).MustProblem(t, http.StatusBadRequest, "customerId")
	if !strings.Contains(string(r.Raw), "no customer has the ID") || strings.Contains(string(r.Raw), "contact") {
		t.Errorf("the 400 says %s", r.Raw)
	}
}
