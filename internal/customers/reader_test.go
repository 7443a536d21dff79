package customers_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/workcloud/arendehantering/internal/problem"
)

// TestReaderReadsAContact: what another area (the mailer) reads of a
// contact is the contact with its customer's name, in one GetItem; a
// contact the customer no longer has, a deleted customer, another
// tenant's and IDs that cannot be ones are not found.
func TestReaderReadsAContact(t *testing.T) {
	h := newHarness(t)
	c := h.newCustomer(t, map[string]any{"name": "Bostadsbolaget AB", "contacts": []map[string]any{
		{"name": "Karin Lund", "email": "karin@kund.example"}, {"name": "Olle", "email": "olle@kund.example", "locale": "en"}}})
	id := c.Str("id")
	karin, olle := c.List("contacts")[0]["id"].(string), c.List("contacts")[1]["id"].(string)
	ctx := context.Background()

	h.db.Counter.Expect(t.Errorf, "read a contact", map[string]int{"GetItem": 1}, func() {
		k, err := h.svc.Contact(ctx, admin.Tenant, id, olle)
		if err != nil || k.CustomerID != id || k.CustomerName != "Bostadsbolaget AB" || k.ID != olle || k.Name != "Olle" ||
			k.Email != "olle@kund.example" || k.Locale != "en" {
			t.Errorf("contact %+v, %v", k, err)
		}
	})

	h.Do(&admin, "PATCH", "/v1/customers/"+id, map[string]any{"contacts": []map[string]any{{"id": olle, "name": "Olle"}}},
		ifMatch(1)...).Must(t, http.StatusOK)
	gone := h.newCustomer(t, map[string]any{"name": "Borta AB", "contacts": []map[string]any{{"name": "Kim"}}})
	kim := gone.List("contacts")[0]["id"].(string)
	h.Do(&admin, "DELETE", "/v1/customers/"+gone.Str("id"), nil, ifMatch(1)...).Must(t, http.StatusNoContent)
	for name, k := range map[string][3]string{
		"removed contact":   {admin.Tenant, id, karin},
		"deleted customer":  {admin.Tenant, gone.Str("id"), kim},
		"another tenant's":  {intruder.Tenant, id, olle},
		"no such customer":  {admin.Tenant, noSuchID, olle},
		"no contact":        {admin.Tenant, id, ""},
		"not a customer ID": {admin.Tenant, "x#y", olle},
	} {
		if _, err := h.svc.Contact(ctx, k[0], k[1], k[2]); problem.CodeOf(err) != problem.NotFound {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
}
