package customers_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/workcloud/arendehantering/internal/customers"
)

// matches reads the tenant's contacts with the address, as
// "<customer name>/<contact name>@<customer id>/<contact id>".
func (h *harness) matches(t *testing.T, tenant, email string) []string {
	t.Helper()
	ms, err := h.svc.ContactsByEmail(context.Background(), tenant, email)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s/%s@%s/%s", m.CustomerName, m.ContactName, m.CustomerID, m.ContactID))
	}
	slices.Sort(out)
	return out
}

// TestContactsByEmail: the index of contacts by e-mail follows every
// change of customers: contacts added, given another address or name,
// removed; a customer renamed or deleted. Addresses compare without case,
// tenants never see each other's, and a contact without an address is in
// no entry.
func TestContactsByEmail(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Bygg AB", "contacts": []map[string]any{
		{"name": "Anna", "email": "Anna@Bygg.example"}, {"name": "Bo", "phone": "+46 70 1"}}})
	id, anna := c.Str("id"), c.List("contacts")[0]["id"].(string)
	want := func(email string, entries ...string) {
		t.Helper()
		if got := h.matches(t, "acme", email); !slices.Equal(got, entries) {
			t.Errorf("%s: %v, want %v", email, got, entries)
		}
	}
	want("anna@bygg.example", "Bygg AB/Anna@"+id+"/"+anna)
	want("ANNA@BYGG.EXAMPLE", "Bygg AB/Anna@"+id+"/"+anna)
	if got := h.matches(t, "other", "anna@bygg.example"); len(got) != 0 {
		t.Errorf("another tenant sees %v", got)
	}

	// Another customer's contact with the same address: both match.
	o := h.newCustomer(t, map[string]any{"name": "Annat AB", "contacts": []map[string]any{{"name": "Anna B", "email": "anna@bygg.example"}}})
	oid, oanna := o.Str("id"), o.List("contacts")[0]["id"].(string)
	want("anna@bygg.example", "Annat AB/Anna B@"+oid+"/"+oanna, "Bygg AB/Anna@"+id+"/"+anna)

	// A rename of the customer and of the contact, a new address for Bo.
	patch := func(body map[string]any) {
		t.Helper()
		v := h.read(t, "/v1/customers/"+id).Version()
		h.Do(&admin, "PATCH", "/v1/customers/"+id, body, ifMatch(v)...).Must(t, http.StatusOK)
	}
	bo := c.List("contacts")[1]["id"].(string)
	patch(map[string]any{"name": "Bygg & Co AB", "contacts": []map[string]any{
		{"id": anna, "name": "Anna Ek", "email": "anna@bygg.example"}, {"id": bo, "name": "Bo", "email": "bo@bygg.example"}}})
	want("anna@bygg.example", "Annat AB/Anna B@"+oid+"/"+oanna, "Bygg & Co AB/Anna Ek@"+id+"/"+anna)
	want("bo@bygg.example", "Bygg & Co AB/Bo@"+id+"/"+bo)

	// Anna moves to another address; Bo is removed.
	patch(map[string]any{"contacts": []map[string]any{{"id": anna, "name": "Anna Ek", "email": "anna.ek@bygg.example"}}})
	want("anna@bygg.example", "Annat AB/Anna B@"+oid+"/"+oanna)
	want("anna.ek@bygg.example", "Bygg & Co AB/Anna Ek@"+id+"/"+anna)
	want("bo@bygg.example")

	// The other customer is deleted.
	h.Do(&admin, "DELETE", "/v1/customers/"+oid, nil, ifMatch(o.Version())...).Must(t, http.StatusNoContent)
	want("anna@bygg.example")
	want("nobody@bygg.example")
}

// TestEmailMatchCheck: a match's check holds while the index says what
// was read, and fails after a rename (the names a case takes changed).
func TestEmailMatchCheck(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Bygg AB", "contacts": []map[string]any{{"name": "Anna", "email": "anna@bygg.example"}}})
	ms, err := h.svc.ContactsByEmail(context.Background(), "acme", "anna@bygg.example")
	if err != nil || len(ms) != 1 {
		t.Fatalf("%v %v", ms, err)
	}
	changed := fmt.Errorf("changed")
	if err := h.db.Table.Commit(context.Background(), "check", ms[0].Check(changed)); err != nil {
		t.Errorf("check of a match as read: %v", err)
	}
	h.Do(&admin, "PATCH", "/v1/customers/"+c.Str("id"), map[string]any{"name": "Bygg AB (nytt namn)"}, ifMatch(c.Version())...).Must(t, http.StatusOK)
	if err := h.db.Table.Commit(context.Background(), "check", ms[0].Check(changed)); err != changed {
		t.Errorf("check after a rename: %v, want the failure's meaning", err)
	}
	var _ customers.EmailLookup = h.svc.LookupEmail("acme", "x@y.se")
}
