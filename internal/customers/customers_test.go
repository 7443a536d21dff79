package customers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCustomerLifecycle(t *testing.T) {
	h := newHarness(t)
	created := h.Do(&agent, "POST", "/v1/customers", map[string]any{
		"name": "Byggbolaget AB", "kind": "company", "orgNumber": "556677-8899", "email": "info@bygg.example",
		"contacts": []map[string]any{{"name": "Anna Andersson", "email": "anna@bygg.example"}, {"name": "Bo Berg", "phone": "+46 70 123 45 67"}},
	}).Must(t, http.StatusCreated)
	id := created.Str("id")
	path := "/v1/customers/" + id
	if loc := created.Header.Get("Location"); loc != path {
		t.Errorf("Location %q, want %q", loc, path)
	}
	if created.Header.Get("ETag") != `"1"` || created.Version() != 1 {
		t.Errorf("ETag %q, version %d", created.Header.Get("ETag"), created.Version())
	}
	if created.Str("createdAt") != "2026-11-26T09:00:00.000Z" || created.Str("updatedAt") != created.Str("createdAt") {
		t.Errorf("times: %s", created.Raw)
	}
	contacts := created.List("contacts")
	if len(contacts) != 2 || contacts[0]["id"] == "" || contacts[0]["id"] == contacts[1]["id"] {
		t.Fatalf("contacts did not get distinct IDs: %s", created.Raw)
	}
	anna, bo := contacts[0]["id"].(string), contacts[1]["id"].(string)

	got := h.read(t, path)
	if string(got.Raw) != string(created.Raw) {
		t.Errorf("GET answers\n%s\nPOST answered\n%s", got.Raw, created.Raw)
	}

	h.clock.Advance(time.Minute)
	// Keep Anna (by ID, with a new phone), drop Bo, add Cecilia; the rest stays.
	patched := h.Do(&agent, "PATCH", path, map[string]any{"contacts": []map[string]any{
		{"id": anna, "name": "Anna Andersson", "phone": "08-123 45"}, {"name": "Cecilia Ek"},
	}}, ifMatch(1)...).Must(t, http.StatusOK)
	if patched.Version() != 2 || patched.Str("name") != "Byggbolaget AB" || patched.Str("orgNumber") != "556677-8899" ||
		patched.Str("updatedAt") != "2026-11-26T09:01:00.000Z" || patched.Str("createdAt") != created.Str("createdAt") {
		t.Errorf("patched: %s", patched.Raw)
	}
	pc := patched.List("contacts")
	if len(pc) != 2 || pc[0]["id"] != anna || pc[0]["phone"] != "08-123 45" || pc[0]["email"] != nil || pc[1]["id"] == bo || pc[1]["id"] == "" {
		t.Errorf("contacts after patch: %v", pc)
	}
	// Merge patch with null removes an optional field.
	patched = h.Do(&agent, "PATCH", path, `{"orgNumber":null,"version":2}`, "Content-Type", "application/merge-patch+json").Must(t, http.StatusOK)
	if _, has := patched.Body["orgNumber"]; has || patched.Version() != 3 {
		t.Errorf("orgNumber not removed: %s", patched.Raw)
	}
	// What was read may be sent back unchanged, server fields included.
	echo := h.read(t, path).Body
	patched = h.Do(&agent, "PATCH", path, echo).Must(t, http.StatusOK)
	if patched.Version() != 4 {
		t.Errorf("echo patch: %s", patched.Raw)
	}
	// If-Match: * overwrites whatever version is stored.
	h.Do(&agent, "PATCH", path, map[string]any{"phone": "08-1"}, "If-Match", "*").Must(t, http.StatusOK)

	h.Do(&agent, "DELETE", path, nil, ifMatch(5)...).Must(t, http.StatusNoContent)
	h.Do(&agent, "GET", path, nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "DELETE", path, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	if n := len(h.read(t, "/v1/customers").Items()); n != 0 {
		t.Errorf("%d customers listed after the delete", n)
	}
}

// TestCustomerRules sends every kind of invalid customer: each answers 400
// naming the field and stores nothing.
func TestCustomerRules(t *testing.T) {
	h := newHarness(t)
	other := h.newCustomer(t, map[string]any{"name": "Annan AB", "contacts": []map[string]any{{"name": "Olle"}}})
	foreignContact := other.List("contacts")[0]["id"]
	valid := func(change map[string]any) map[string]any {
		return changed(map[string]any{"name": "Kund AB", "kind": "company"}, change)
	}
	contacts := func(n int) []map[string]any {
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = map[string]any{"name": fmt.Sprintf("Kontakt %d", i)}
		}
		return out
	}
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"no name", valid(map[string]any{"name": nil}), "name"},
		{"empty name", valid(map[string]any{"name": ""}), "name"},
		{"long name", valid(map[string]any{"name": strings.Repeat("å", 201)}), "name"},
		{"line break in name", valid(map[string]any{"name": "Kund\r\nBcc: x@y.se"}), "name"},
		{"no kind", valid(map[string]any{"kind": nil}), "kind"},
		{"unknown kind", valid(map[string]any{"kind": "government"}), "kind"},
		{"long orgNumber", valid(map[string]any{"orgNumber": strings.Repeat("1", 21)}), "orgNumber"},
		{"bad email", valid(map[string]any{"email": "not-an-address"}), "email"},
		{"email with line break", valid(map[string]any{"email": "a@b.se\nBcc: c@d.se"}), "email"},
		{"long phone", valid(map[string]any{"phone": strings.Repeat("1", 41)}), "phone"},
		{"too many contacts", valid(map[string]any{"contacts": contacts(51)}), "contacts"},
		{"contact without name", valid(map[string]any{"contacts": []map[string]any{{"email": "a@b.se"}}}), "contacts[0].name"},
		{"line break in contact name", valid(map[string]any{"contacts": []map[string]any{{"name": "A\nB"}}}), "contacts[0].name"},
		{"long contact name", valid(map[string]any{"contacts": []map[string]any{{"name": strings.Repeat("x", 101)}}}), "contacts[0].name"},
		{"bad contact email", valid(map[string]any{"contacts": []map[string]any{{"name": "A", "email": "a@"}}}), "contacts[0].email"},
		{"long contact phone", valid(map[string]any{"contacts": []map[string]any{{"name": "A", "phone": strings.Repeat("1", 41)}}}), "contacts[0].phone"},
		{"contact id on create", valid(map[string]any{"contacts": []map[string]any{{"id": noSuchID, "name": "A"}}}), "contacts[0].id"},
		{"another customer's contact", valid(map[string]any{"contacts": []map[string]any{{"id": foreignContact, "name": "Olle"}}}), "contacts[0].id"},
		{"unknown field", valid(map[string]any{"vatNumber": "SE1"}), "vatNumber"},
		{"unknown contact field", valid(map[string]any{"contacts": []map[string]any{{"name": "A", "title": "VD"}}}), "contacts[0].title"},
		{"wrong case field name", valid(map[string]any{"Name": "Kund AB"}), "Name"},
		{"wrong type", valid(map[string]any{"name": 5}), "name"},
		{"id sent", valid(map[string]any{"id": "my-id"}), "id"},
		{"version sent", valid(map[string]any{"version": 1}), "version"},
		{"createdAt sent", valid(map[string]any{"createdAt": "2026-01-01T00:00:00Z"}), "createdAt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t, "/v1/customers", "/v1/customers/"+other.Str("id"))
			h.Do(&agent, "POST", "/v1/customers", tc.body).MustProblem(t, http.StatusBadRequest, tc.field)
			h.unchanged(t, before)
		})
	}
	t.Run("not JSON", func(t *testing.T) {
		h.Do(&agent, "POST", "/v1/customers", `{"name":`).MustProblem(t, http.StatusBadRequest)
		h.Do(&agent, "POST", "/v1/customers", `[1]`).MustProblem(t, http.StatusBadRequest)
		h.Do(&agent, "POST", "/v1/customers", `{"name":"A","kind":"person"} {}`).MustProblem(t, http.StatusBadRequest)
	})
	t.Run("fifty contacts are fine", func(t *testing.T) {
		h.Do(&agent, "POST", "/v1/customers", valid(map[string]any{"contacts": contacts(50)})).Must(t, http.StatusCreated)
	})
}

// TestCustomerPatchRules: invalid patches answer 400 naming the field,
// stale versions 412, and none of them changes anything.
func TestCustomerPatchRules(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Kund AB", "contacts": []map[string]any{{"name": "Anna"}, {"name": "Bo"}}})
	other := h.newCustomer(t, map[string]any{"name": "Annan AB", "contacts": []map[string]any{{"name": "Olle"}}})
	path := "/v1/customers/" + c.Str("id")
	anna := c.List("contacts")[0]["id"]
	h.Do(&agent, "PATCH", path, map[string]any{"phone": "08-1"}, ifMatch(1)...).Must(t, http.StatusOK) // now version 2

	h.refusedPatches(t, path, []string{path, "/v1/customers/" + other.Str("id"), "/v1/customers"}, []refusedPatch{
		{"empty name", map[string]any{"name": ""}, ifMatch(2), 400, "name"},
		{"name removed", `{"name":null}`, ifMatch(2), 400, "name"},
		{"bad kind", map[string]any{"kind": "x"}, ifMatch(2), 400, "kind"},
		{"bad email", map[string]any{"email": "x@"}, ifMatch(2), 400, "email"},
		{"another customer's contact", map[string]any{"contacts": []any{map[string]any{"id": other.List("contacts")[0]["id"], "name": "Olle"}}}, ifMatch(2), 400, "contacts[0].id"},
		{"made-up contact id", map[string]any{"contacts": []any{map[string]any{"id": noSuchID, "name": "X"}}}, ifMatch(2), 400, "contacts[0].id"},
		{"malformed contact id", map[string]any{"contacts": []any{map[string]any{"id": "a#b", "name": "X"}}}, ifMatch(2), 400, "contacts[0].id"},
		{"contact twice", map[string]any{"contacts": []any{map[string]any{"id": anna, "name": "A"}, map[string]any{"id": anna, "name": "A"}}}, ifMatch(2), 400, "contacts[1].id"},
		{"unknown field", map[string]any{"rating": 5}, ifMatch(2), 400, "rating"},
		{"changed id", map[string]any{"id": noSuchID}, ifMatch(2), 400, "id"},
		{"changed createdAt", map[string]any{"createdAt": "2020-01-01T00:00:00Z"}, ifMatch(2), 400, "createdAt"},
		{"no version", map[string]any{"phone": "1"}, nil, 400, "version"},
		{"version not a number", map[string]any{"phone": "1", "version": "2"}, nil, 400, "version"},
		{"If-Match and body disagree", map[string]any{"phone": "1", "version": 1}, ifMatch(2), 400, "version"},
		{"malformed If-Match", map[string]any{"phone": "1"}, []string{"If-Match", "abc"}, 400, "If-Match"},
		{"stale If-Match", map[string]any{"phone": "1"}, ifMatch(1), 412, ""},
		{"stale body version", map[string]any{"phone": "1", "version": 1}, nil, 412, ""},
	})

	t.Run("replacing fifty contacts at once", func(t *testing.T) {
		many := func(prefix string) []map[string]any {
			out := make([]map[string]any, 50)
			for i := range out {
				out[i] = map[string]any{"name": fmt.Sprintf("%s %d", prefix, i)}
			}
			return out
		}
		full := h.newCustomer(t, map[string]any{"name": "Stor AB", "contacts": many("Gammal")})
		fpath := "/v1/customers/" + full.Str("id")
		before := h.snapshot(t, fpath)
		h.Do(&agent, "PATCH", fpath, map[string]any{"contacts": many("Ny")}, ifMatch(1)...).MustProblem(t, http.StatusBadRequest, "contacts")
		h.unchanged(t, before)
		// Forty-nine new ones and one kept: 99 guard changes, one transaction.
		keep := full.List("contacts")[0]
		next := append([]map[string]any{{"id": keep["id"], "name": keep["name"]}}, many("Ny")[:49]...)
		if got := h.Do(&agent, "PATCH", fpath, map[string]any{"contacts": next}, ifMatch(1)...).Must(t, http.StatusOK).List("contacts"); len(got) != 50 || got[0]["id"] != keep["id"] {
			t.Errorf("contacts after replacing 49: %d, first %v", len(got), got[0])
		}
	})
}

func TestCustomerDeleteRules(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Kund AB"})
	path := "/v1/customers/" + c.Str("id")
	h.Do(&agent, "PATCH", path, map[string]any{"phone": "1"}, ifMatch(1)...).Must(t, http.StatusOK)

	before := h.snapshot(t, path, "/v1/customers")
	h.Do(&agent, "DELETE", path, nil).MustProblem(t, http.StatusPreconditionRequired)
	h.Do(&agent, "DELETE", path, nil, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
	h.Do(&agent, "DELETE", path, nil, "If-Match", "x").MustProblem(t, http.StatusBadRequest, "If-Match")
	h.Do(&agent, "DELETE", "/v1/customers/"+noSuchID, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "DELETE", "/v1/customers/a.b", nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	h.unchanged(t, before)

	// A customer with orders stays, and the 409 names one.
	o := h.newOrder(t, c.Str("id"), "SO-4711")
	before = h.snapshot(t, path, "/v1/customers", "/v1/orders")
	r := h.Do(&agent, "DELETE", path, nil, ifMatch(2)...).MustProblem(t, http.StatusConflict)
	if !strings.Contains(r.Detail(), "SO-4711") || !strings.Contains(r.Detail(), "Kund AB") {
		t.Errorf("409 detail does not name the order and customer: %s", r.Detail())
	}
	h.unchanged(t, before)

	h.Do(&agent, "DELETE", "/v1/orders/"+o.Str("id"), nil, ifMatch(1)...).Must(t, http.StatusNoContent)
	h.Do(&agent, "DELETE", path, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
	h.Do(&agent, "GET", path, nil).MustProblem(t, http.StatusNotFound)
}
