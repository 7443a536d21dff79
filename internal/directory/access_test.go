package directory_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/directory"
	"github.com/workcloud/arendehantering/internal/identity"
)

// TestRoles: without a token every route answers 401; a portal customer
// gets 403 on every route; admins and agents both read and write. The
// refused requests change nothing.
func TestRoles(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Kund AB", "contacts": []map[string]any{{"name": "Anna"}}})
	o := h.newOrder(t, c.str("id"), "SO-1")
	ids := map[string]string{"/v1/customers": c.str("id"), "/v1/orders": o.str("id")}
	bodies := map[string]any{
		"/v1/customers": map[string]any{"name": "Ny AB", "kind": "company"},
		"/v1/orders":    map[string]any{"number": "SO-2", "title": "x", "customerId": c.str("id")},
	}
	before := h.snapshot(t, "/v1/customers", "/v1/orders", "/v1/customers/"+c.str("id"), "/v1/orders/"+o.str("id"))

	routes := directory.Routes(nil)
	if len(routes) != 10 {
		t.Errorf("%d routes, want 10", len(routes))
	}
	for _, r := range routes {
		base := strings.TrimSuffix(r.Pattern, "/{id}")
		path := strings.ReplaceAll(r.Pattern, "{id}", ids[base])
		t.Run(r.String(), func(t *testing.T) {
			h.do(nil, r.Method, path, bodies[base], "If-Match", "*").mustProblem(t, http.StatusUnauthorized)
			h.do(&customer, r.Method, path, bodies[base], "If-Match", "*").mustProblem(t, http.StatusForbidden)
		})
	}
	h.unchanged(t, before)

	// Both staff roles write.
	for _, p := range []identity.Principal{admin, agent} {
		id := h.do(&p, "POST", "/v1/customers", map[string]any{"name": "Av " + p.User, "kind": "person"}).must(t, http.StatusCreated).str("id")
		h.do(&p, "PATCH", "/v1/customers/"+id, map[string]any{"phone": "1"}, ifMatch(1)...).must(t, http.StatusOK)
		h.do(&p, "DELETE", "/v1/customers/"+id, nil, ifMatch(2)...).must(t, http.StatusNoContent)
	}
}

// TestTenantIsolation: another tenant's IDs answer 404 on every route, as
// if they did not exist, and its lists never show them.
func TestTenantIsolation(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Kund AB", "contacts": []map[string]any{{"name": "Anna"}}})
	o := h.newOrder(t, c.str("id"), "SO-1")
	paths := []string{"/v1/customers/" + c.str("id"), "/v1/orders/" + o.str("id")}
	before := h.snapshot(t, append(paths, "/v1/customers", "/v1/orders")...)

	for _, path := range paths {
		h.do(&intruder, "GET", path, nil).mustProblem(t, http.StatusNotFound)
		h.do(&intruder, "PATCH", path, map[string]any{"title": "x"}, "If-Match", "*").mustProblem(t, http.StatusNotFound)
		h.do(&intruder, "PATCH", path, map[string]any{"title": "x"}, ifMatch(1)...).mustProblem(t, http.StatusNotFound)
		h.do(&intruder, "DELETE", path, nil, "If-Match", "*").mustProblem(t, http.StatusNotFound)
		h.do(&intruder, "DELETE", path, nil, ifMatch(1)...).mustProblem(t, http.StatusNotFound)
	}
	// Their lists are empty, filtered by our customer too.
	for _, path := range []string{"/v1/customers", "/v1/orders", "/v1/orders?customerId=" + c.str("id")} {
		if n := len(h.do(&intruder, "GET", path, nil).must(t, http.StatusOK).items()); n != 0 {
			t.Errorf("%s shows another tenant %d items", path, n)
		}
	}
	// Their objects do not show in ours, whatever the same number or name.
	theirs := h.do(&intruder, "POST", "/v1/customers", map[string]any{"name": "Kund AB", "kind": "company"}).must(t, http.StatusCreated).str("id")
	h.do(&intruder, "POST", "/v1/orders", map[string]any{"number": "SO-1", "title": "x", "customerId": theirs}).must(t, http.StatusCreated)
	// Our order cannot move to their customer.
	h.do(&admin, "PATCH", paths[1], map[string]any{"customerId": theirs}, ifMatch(1)...).mustProblem(t, http.StatusBadRequest, "customerId")
	h.unchanged(t, before)
	if ids := h.read(t, "/v1/customers").ids(); slices.Contains(ids, theirs) || len(ids) != 1 {
		t.Errorf("our customers: %v", ids)
	}
}
