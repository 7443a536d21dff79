package customers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/identity"
)

// TestRoles: without a token every route answers 401; a portal customer
// gets 403 on every route; admins and agents both read and write. The
// refused requests change nothing.
func TestRoles(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Kund AB", "contacts": []map[string]any{{"name": "Anna"}}})
	o := h.newOrder(t, c.Str("id"), "SO-1")
	ids := map[string]string{"/v1/customers": c.Str("id"), "/v1/orders": o.Str("id")}
	bodies := map[string]any{
		"/v1/customers": map[string]any{"name": "Ny AB", "kind": "company"},
		"/v1/orders":    map[string]any{"number": "SO-2", "title": "x", "customerId": c.Str("id")},
	}
	before := h.snapshot(t, "/v1/customers", "/v1/orders", "/v1/customers/"+c.Str("id"), "/v1/orders/"+o.Str("id"))

	routes := customers.Routes(nil)
	if len(routes) != 10 {
		t.Errorf("%d routes, want 10", len(routes))
	}
	for _, r := range routes {
		base := strings.TrimSuffix(r.Pattern, "/{id}")
		path := strings.ReplaceAll(r.Pattern, "{id}", ids[base])
		t.Run(r.String(), func(t *testing.T) {
			h.Do(nil, r.Method, path, bodies[base], "If-Match", "*").MustProblem(t, http.StatusUnauthorized)
			h.Do(&customer, r.Method, path, bodies[base], "If-Match", "*").MustProblem(t, http.StatusForbidden)
		})
	}
	h.unchanged(t, before)

	// Both staff roles write.
	for _, p := range []identity.Principal{admin, agent} {
		id := h.Do(&p, "POST", "/v1/customers", map[string]any{"name": "Av " + p.User, "kind": "person"}).Must(t, http.StatusCreated).Str("id")
		h.Do(&p, "PATCH", "/v1/customers/"+id, map[string]any{"phone": "1"}, ifMatch(1)...).Must(t, http.StatusOK)
		h.Do(&p, "DELETE", "/v1/customers/"+id, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
	}
}

// TestTenantIsolation: another tenant's IDs answer 404 on every route, as
// if they did not exist, and its lists never show them.
func TestTenantIsolation(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Kund AB", "contacts": []map[string]any{{"name": "Anna"}}})
	o := h.newOrder(t, c.Str("id"), "SO-1")
	paths := []string{"/v1/customers/" + c.Str("id"), "/v1/orders/" + o.Str("id")}
	before := h.snapshot(t, append(paths, "/v1/customers", "/v1/orders")...)

	for _, path := range paths {
		h.Do(&intruder, "GET", path, nil).MustProblem(t, http.StatusNotFound)
		h.Do(&intruder, "PATCH", path, map[string]any{"title": "x"}, "If-Match", "*").MustProblem(t, http.StatusNotFound)
		h.Do(&intruder, "PATCH", path, map[string]any{"title": "x"}, ifMatch(1)...).MustProblem(t, http.StatusNotFound)
		h.Do(&intruder, "DELETE", path, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
		h.Do(&intruder, "DELETE", path, nil, ifMatch(1)...).MustProblem(t, http.StatusNotFound)
	}
	// Their lists are empty, filtered by our customer too.
	for _, path := range []string{"/v1/customers", "/v1/orders", "/v1/orders?customerId=" + c.Str("id")} {
		if n := len(h.Do(&intruder, "GET", path, nil).Must(t, http.StatusOK).Items()); n != 0 {
			t.Errorf("%s shows another tenant %d items", path, n)
		}
	}
	// Their objects do not show in ours, whatever the same number or name.
	theirs := h.Do(&intruder, "POST", "/v1/customers", map[string]any{"name": "Kund AB", "kind": "company"}).Must(t, http.StatusCreated).Str("id")
	h.Do(&intruder, "POST", "/v1/orders", map[string]any{"number": "SO-1", "title": "x", "customerId": theirs}).Must(t, http.StatusCreated)
	// Our order cannot move to their customer.
	h.Do(&admin, "PATCH", paths[1], map[string]any{"customerId": theirs}, ifMatch(1)...).MustProblem(t, http.StatusBadRequest, "customerId")
	h.unchanged(t, before)
	if ids := h.read(t, "/v1/customers").IDs(); slices.Contains(ids, theirs) || len(ids) != 1 {
		t.Errorf("our customers: %v", ids)
	}
}
