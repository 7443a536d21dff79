package directory_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCustomerLifecycle(t *testing.T) {
	h := newHarness(t)
	created := h.do(&agent, "POST", "/v1/customers", map[string]any{
		"name": "Byggbolaget AB", "kind": "company", "orgNumber": "556677-8899", "email": "info@bygg.example",
		"contacts": []map[string]any{{"name": "Anna Andersson", "email": "anna@bygg.example"}, {"name": "Bo Berg", "phone": "+46 70 123 45 67"}},
	}).must(t, http.StatusCreated)
	id := created.str("id")
	path := "/v1/customers/" + id
	if loc := created.Header.Get("Location"); loc != path {
		t.Errorf("Location %q, want %q", loc, path)
	}
	if created.Header.Get("ETag") != `"1"` || created.version() != 1 {
		t.Errorf("ETag %q, version %d", created.Header.Get("ETag"), created.version())
	}
	if created.str("createdAt") != "2026-11-26T09:00:00Z" || created.str("updatedAt") != created.str("createdAt") {
		t.Errorf("times: %s", created.Raw)
	}
	contacts := created.contacts()
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
	patched := h.do(&agent, "PATCH", path, map[string]any{"contacts": []map[string]any{
		{"id": anna, "name": "Anna Andersson", "phone": "08-123 45"}, {"name": "Cecilia Ek"},
	}}, ifMatch(1)...).must(t, http.StatusOK)
	if patched.version() != 2 || patched.str("name") != "Byggbolaget AB" || patched.str("orgNumber") != "556677-8899" ||
		patched.str("updatedAt") != "2026-11-26T09:01:00Z" || patched.str("createdAt") != created.str("createdAt") {
		t.Errorf("patched: %s", patched.Raw)
	}
	pc := patched.contacts()
	if len(pc) != 2 || pc[0]["id"] != anna || pc[0]["phone"] != "08-123 45" || pc[0]["email"] != nil || pc[1]["id"] == bo || pc[1]["id"] == "" {
		t.Errorf("contacts after patch: %v", pc)
	}
	// Merge patch with null removes an optional field.
	patched = h.do(&agent, "PATCH", path, `{"orgNumber":null,"version":2}`, "Content-Type", "application/merge-patch+json").must(t, http.StatusOK)
	if _, has := patched.Body["orgNumber"]; has || patched.version() != 3 {
		t.Errorf("orgNumber not removed: %s", patched.Raw)
	}
	// What was read may be sent back unchanged, server fields included.
	echo := h.read(t, path).Body
	patched = h.do(&agent, "PATCH", path, echo).must(t, http.StatusOK)
	if patched.version() != 4 {
		t.Errorf("echo patch: %s", patched.Raw)
	}
	// If-Match: * overwrites whatever version is stored.
	h.do(&agent, "PATCH", path, map[string]any{"phone": "08-1"}, "If-Match", "*").must(t, http.StatusOK)

	h.do(&agent, "DELETE", path, nil, ifMatch(5)...).must(t, http.StatusNoContent)
	h.do(&agent, "GET", path, nil).mustProblem(t, http.StatusNotFound)
	h.do(&agent, "DELETE", path, nil, "If-Match", "*").mustProblem(t, http.StatusNotFound)
	if n := len(h.read(t, "/v1/customers").items()); n != 0 {
		t.Errorf("%d customers listed after the delete", n)
	}
}

// TestCustomerRules sends every kind of invalid customer: each answers 400
// naming the field and stores nothing.
func TestCustomerRules(t *testing.T) {
	h := newHarness(t)
	other := h.newCustomer(t, map[string]any{"name": "Annan AB", "contacts": []map[string]any{{"name": "Olle"}}})
	foreignContact := other.contacts()[0]["id"]
	valid := func(change map[string]any) map[string]any {
		b := map[string]any{"name": "Kund AB", "kind": "company"}
		for k, v := range change {
			if v == nil {
				delete(b, k)
				continue
			}
			b[k] = v
		}
		return b
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
			before := h.snapshot(t, "/v1/customers", "/v1/customers/"+other.str("id"))
			h.do(&agent, "POST", "/v1/customers", tc.body).mustProblem(t, http.StatusBadRequest, tc.field)
			h.unchanged(t, before)
		})
	}
	t.Run("not JSON", func(t *testing.T) {
		h.do(&agent, "POST", "/v1/customers", `{"name":`).mustProblem(t, http.StatusBadRequest)
		h.do(&agent, "POST", "/v1/customers", `[1]`).mustProblem(t, http.StatusBadRequest)
		h.do(&agent, "POST", "/v1/customers", `{"name":"A","kind":"person"} {}`).mustProblem(t, http.StatusBadRequest)
	})
	t.Run("fifty contacts are fine", func(t *testing.T) {
		h.do(&agent, "POST", "/v1/customers", valid(map[string]any{"contacts": contacts(50)})).must(t, http.StatusCreated)
	})
}

// TestCustomerPatchRules: invalid patches answer 400 naming the field,
// stale versions 412, and none of them changes anything.
func TestCustomerPatchRules(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Kund AB", "contacts": []map[string]any{{"name": "Anna"}, {"name": "Bo"}}})
	other := h.newCustomer(t, map[string]any{"name": "Annan AB", "contacts": []map[string]any{{"name": "Olle"}}})
	path := "/v1/customers/" + c.str("id")
	anna := c.contacts()[0]["id"]
	h.do(&agent, "PATCH", path, map[string]any{"phone": "08-1"}, ifMatch(1)...).must(t, http.StatusOK) // now version 2

	cases := []struct {
		name    string
		body    any
		headers []string
		status  int
		field   string
	}{
		{"empty name", map[string]any{"name": ""}, ifMatch(2), 400, "name"},
		{"name removed", `{"name":null}`, ifMatch(2), 400, "name"},
		{"bad kind", map[string]any{"kind": "x"}, ifMatch(2), 400, "kind"},
		{"bad email", map[string]any{"email": "x@"}, ifMatch(2), 400, "email"},
		{"another customer's contact", map[string]any{"contacts": []any{map[string]any{"id": other.contacts()[0]["id"], "name": "Olle"}}}, ifMatch(2), 400, "contacts[0].id"},
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
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t, path, "/v1/customers/"+other.str("id"), "/v1/customers")
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			r := h.do(&agent, "PATCH", path, tc.body, tc.headers...).mustProblem(t, tc.status, fields...)
			if tc.status == 412 && !strings.Contains(r.detail(), "version") {
				t.Errorf("412 detail does not explain the version: %s", r.detail())
			}
			h.unchanged(t, before)
		})
	}

	t.Run("replacing fifty contacts at once", func(t *testing.T) {
		many := func(prefix string) []map[string]any {
			out := make([]map[string]any, 50)
			for i := range out {
				out[i] = map[string]any{"name": fmt.Sprintf("%s %d", prefix, i)}
			}
			return out
		}
		full := h.newCustomer(t, map[string]any{"name": "Stor AB", "contacts": many("Gammal")})
		fpath := "/v1/customers/" + full.str("id")
		before := h.snapshot(t, fpath)
		h.do(&agent, "PATCH", fpath, map[string]any{"contacts": many("Ny")}, ifMatch(1)...).mustProblem(t, http.StatusBadRequest, "contacts")
		h.unchanged(t, before)
		// Forty-nine new ones and one kept: 99 guard changes, one transaction.
		keep := full.contacts()[0]
		next := append([]map[string]any{{"id": keep["id"], "name": keep["name"]}}, many("Ny")[:49]...)
		if got := h.do(&agent, "PATCH", fpath, map[string]any{"contacts": next}, ifMatch(1)...).must(t, http.StatusOK).contacts(); len(got) != 50 || got[0]["id"] != keep["id"] {
			t.Errorf("contacts after replacing 49: %d, first %v", len(got), got[0])
		}
	})
}

func TestCustomerDeleteRules(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Kund AB"})
	path := "/v1/customers/" + c.str("id")
	h.do(&agent, "PATCH", path, map[string]any{"phone": "1"}, ifMatch(1)...).must(t, http.StatusOK)

	before := h.snapshot(t, path, "/v1/customers")
	h.do(&agent, "DELETE", path, nil).mustProblem(t, http.StatusPreconditionRequired)
	h.do(&agent, "DELETE", path, nil, ifMatch(1)...).mustProblem(t, http.StatusPreconditionFailed)
	h.do(&agent, "DELETE", path, nil, "If-Match", "x").mustProblem(t, http.StatusBadRequest, "If-Match")
	h.do(&agent, "DELETE", "/v1/customers/"+noSuchID, nil, "If-Match", "*").mustProblem(t, http.StatusNotFound)
	h.do(&agent, "DELETE", "/v1/customers/a.b", nil, "If-Match", "*").mustProblem(t, http.StatusNotFound)
	h.unchanged(t, before)

	// A customer with orders stays, and the 409 names one.
	o := h.newOrder(t, c.str("id"), "SO-4711")
	before = h.snapshot(t, path, "/v1/customers", "/v1/orders")
	r := h.do(&agent, "DELETE", path, nil, ifMatch(2)...).mustProblem(t, http.StatusConflict)
	if !strings.Contains(r.detail(), "SO-4711") || !strings.Contains(r.detail(), "Kund AB") {
		t.Errorf("409 detail does not name the order and customer: %s", r.detail())
	}
	h.unchanged(t, before)

	h.do(&agent, "DELETE", "/v1/orders/"+o.str("id"), nil, ifMatch(1)...).must(t, http.StatusNoContent)
	h.do(&agent, "DELETE", path, nil, ifMatch(2)...).must(t, http.StatusNoContent)
	h.do(&agent, "GET", path, nil).mustProblem(t, http.StatusNotFound)
}
