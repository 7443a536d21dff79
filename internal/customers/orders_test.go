package customers_test

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestOrderLifecycle(t *testing.T) {
	h := newHarness(t)
	c1 := h.newCustomer(t, map[string]any{"name": "Kund Ett AB"}).Str("id")
	c2 := h.newCustomer(t, map[string]any{"name": "Kund Två AB"}).Str("id")

	created := h.Do(&agent, "POST", "/v1/orders", map[string]any{"number": "SO-1", "title": "Installation", "customerId": c1}).Must(t, http.StatusCreated)
	id := created.Str("id")
	path := "/v1/orders/" + id
	if created.Header.Get("Location") != path || created.Str("status") != "open" || created.Version() != 1 || created.Header.Get("ETag") != `"1"` {
		t.Errorf("created: %s (Location %s)", created.Raw, created.Header.Get("Location"))
	}
	if got := h.read(t, path); string(got.Raw) != string(created.Raw) {
		t.Errorf("GET answers\n%s\nPOST answered\n%s", got.Raw, created.Raw)
	}

	h.clock.Advance(time.Minute)
	patched := h.Do(&agent, "PATCH", path, map[string]any{"number": "SO-1b", "customerId": c2, "status": "cancelled"}, ifMatch(1)...).Must(t, http.StatusOK)
	if patched.Str("number") != "SO-1b" || patched.Str("customerId") != c2 || patched.Str("status") != "cancelled" ||
		patched.Str("title") != "Installation" || patched.Version() != 2 || patched.Str("updatedAt") != "2026-11-26T09:01:00.000Z" {
		t.Errorf("patched: %s", patched.Raw)
	}
	if got := h.read(t, path); string(got.Raw) != string(patched.Raw) {
		t.Errorf("GET after PATCH answers\n%s\nPATCH answered\n%s", got.Raw, patched.Raw)
	}
	// The old number is free again; the order moved to the other customer.
	h.newOrder(t, c1, "so-1")
	if ids := h.read(t, "/v1/orders?customerId="+c2).IDs(); !slices.Equal(ids, []string{id}) {
		t.Errorf("orders of customer 2: %v", ids)
	}
	// So customer 1 holds one order (so-1), customer 2 this one.
	h.Do(&agent, "DELETE", "/v1/customers/"+c2, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)

	h.Do(&agent, "DELETE", path, nil).MustProblem(t, http.StatusPreconditionRequired)
	h.Do(&agent, "DELETE", path, nil, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
	h.Do(&agent, "DELETE", path, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
	h.Do(&agent, "GET", path, nil).MustProblem(t, http.StatusNotFound)
	// Its number is free, and its customer has no orders left.
	h.newOrder(t, c1, "SO-1B")
	h.Do(&agent, "DELETE", "/v1/customers/"+c2, nil, "If-Match", "*").Must(t, http.StatusNoContent)
}

// TestOrderRules sends every kind of invalid order: each answers 4xx
// naming the field and stores nothing.
func TestOrderRules(t *testing.T) {
	h := newHarness(t)
	cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
	theirs := h.Do(&intruder, "POST", "/v1/customers", map[string]any{"name": "Deras AB", "kind": "company"}).Must(t, http.StatusCreated).Str("id")
	existing := h.newOrder(t, cid, "SO-100")
	valid := func(change map[string]any) map[string]any {
		return changed(map[string]any{"number": "SO-200", "title": "Service", "customerId": cid}, change)
	}
	cases := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"no number", valid(map[string]any{"number": nil}), 400, "number"},
		{"long number", valid(map[string]any{"number": strings.Repeat("1", 41)}), 400, "number"},
		{"number with spaces around", valid(map[string]any{"number": " SO-1"}), 400, "number"},
		{"number with line break", valid(map[string]any{"number": "SO\n1"}), 400, "number"},
		{"number taken", valid(map[string]any{"number": "SO-100"}), 409, "number"},
		{"number taken in other case", valid(map[string]any{"number": "so-100"}), 409, "number"},
		{"no title", valid(map[string]any{"title": nil}), 400, "title"},
		{"long title", valid(map[string]any{"title": strings.Repeat("x", 201)}), 400, "title"},
		{"title with line break", valid(map[string]any{"title": "a\rb"}), 400, "title"},
		{"no customer", valid(map[string]any{"customerId": nil}), 400, "customerId"},
		{"malformed customer", valid(map[string]any{"customerId": "T#acme#x"}), 400, "customerId"},
		{"unknown customer", valid(map[string]any{"customerId": noSuchID}), 400, "customerId"},
		{"another tenant's customer", valid(map[string]any{"customerId": theirs}), 400, "customerId"},
		{"unknown status", valid(map[string]any{"status": "done"}), 400, "status"},
		{"unknown field", valid(map[string]any{"amount": 100}), 400, "amount"},
		{"version sent", valid(map[string]any{"version": 1}), 400, "version"},
		{"updatedAt sent", valid(map[string]any{"updatedAt": "2026-01-01T00:00:00Z"}), 400, "updatedAt"},
	}
	paths := []string{"/v1/orders", "/v1/orders/" + existing.Str("id"), "/v1/orders?customerId=" + cid}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t, paths...)
			h.Do(&agent, "POST", "/v1/orders", tc.body).MustProblem(t, tc.status, tc.field)
			h.unchanged(t, before)
		})
	}
	// None of the refused creates counted an order on the customer: one
	// delete of the one real order makes the customer deletable.
	h.Do(&agent, "DELETE", "/v1/orders/"+existing.Str("id"), nil, "If-Match", "*").Must(t, http.StatusNoContent)
	h.Do(&agent, "DELETE", "/v1/customers/"+cid, nil, "If-Match", "*").Must(t, http.StatusNoContent)
}

func TestOrderPatchRules(t *testing.T) {
	h := newHarness(t)
	cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
	theirs := h.Do(&intruder, "POST", "/v1/customers", map[string]any{"name": "Deras AB", "kind": "company"}).Must(t, http.StatusCreated).Str("id")
	o := h.newOrder(t, cid, "SO-1")
	h.newOrder(t, cid, "SO-2")
	path := "/v1/orders/" + o.Str("id")
	h.refusedPatches(t, path, []string{path, "/v1/orders", "/v1/orders?customerId=" + cid}, []refusedPatch{
		{"number taken", map[string]any{"number": "SO-2"}, ifMatch(1), 409, "number"},
		{"number taken in other case", map[string]any{"number": "so-2"}, ifMatch(1), 409, "number"},
		{"empty number", map[string]any{"number": ""}, ifMatch(1), 400, "number"},
		{"title removed", `{"title":null}`, ifMatch(1), 400, "title"},
		{"unknown customer", map[string]any{"customerId": noSuchID}, ifMatch(1), 400, "customerId"},
		{"another tenant's customer", map[string]any{"customerId": theirs}, ifMatch(1), 400, "customerId"},
		{"bad status", map[string]any{"status": "paid"}, ifMatch(1), 400, "status"},
		{"changed id", map[string]any{"id": noSuchID}, ifMatch(1), 400, "id"},
		{"no version", map[string]any{"title": "x"}, nil, 400, "version"},
		{"stale If-Match", map[string]any{"title": "x"}, ifMatch(7), 412, ""},
	})
	// A change of case only keeps the number's guard: still one order "SO-1".
	h.Do(&agent, "PATCH", path, map[string]any{"number": "so-1"}, ifMatch(1)...).Must(t, http.StatusOK)
	h.Do(&agent, "POST", "/v1/orders", map[string]any{"number": "SO-1", "title": "x", "customerId": cid}).MustProblem(t, http.StatusConflict, "number")
}

// TestOrderNumberRace: concurrent creates of one number, and concurrent
// updates of one version: exactly one of each wins, the rest are refused.
func TestOrderNumberRace(t *testing.T) {
	h := newHarness(t)
	cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			statuses[i] = h.Do(&agent, "POST", "/v1/orders", map[string]any{"number": "SO-9", "title": "x", "customerId": cid}).Status
		})
	}
	wg.Wait()
	if created := count(statuses, http.StatusCreated); created != 1 || count(statuses, http.StatusConflict)+count(statuses, http.StatusServiceUnavailable) != n-1 {
		t.Fatalf("concurrent creates of one number answered %v", statuses)
	}
	id := h.read(t, "/v1/orders").IDs()[0]
	for i := range n {
		wg.Go(func() {
			statuses[i] = h.Do(&agent, "PATCH", "/v1/orders/"+id, map[string]any{"title": "t"}, ifMatch(1)...).Status
		})
	}
	wg.Wait()
	if count(statuses, http.StatusOK) != 1 || count(statuses, http.StatusPreconditionFailed)+count(statuses, http.StatusServiceUnavailable) != n-1 {
		t.Errorf("concurrent updates of version 1 answered %v", statuses)
	}
	if v := h.read(t, "/v1/orders/"+id).Version(); v != 2 {
		t.Errorf("version %d after the race, want 2", v)
	}
}

func count(statuses []int, want int) int {
	n := 0
	for _, s := range statuses {
		if s == want {
			n++
		}
	}
	return n
}
