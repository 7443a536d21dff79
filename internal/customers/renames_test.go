package customers_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
)

// renames records what the customers area tells of renames.
type renames struct {
	mu    sync.Mutex
	calls []string
	fail  error
}

func (r *renames) CustomerRenamed(_ context.Context, tenant, customerID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, tenant+"/"+customerID)
	return r.fail
}

func (r *renames) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	return out
}

// TestRenamesAreTold: after a change of the customer's name or of a
// contact's name commits, the cases area is told (its cases are found by
// them); after any other change it is not; a failure of what it does
// leaves the rename standing.
func TestRenamesAreTold(t *testing.T) {
	h := newHarness(t)
	r := &renames{}
	h.svc.OnRename(r)
	c := h.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Byggbolaget AB", "kind": "company",
		"contacts": []map[string]any{{"name": "Anna Andersson"}}}).Must(t, http.StatusCreated)
	id, path := c.Str("id"), "/v1/customers/"+c.Str("id")
	contacts := c.List("contacts")
	version := c.Version()
	patch := func(body map[string]any) {
		t.Helper()
		h.Do(&admin, "PATCH", path, body, ifMatch(version)...).Must(t, http.StatusOK)
		version++
	}
	told := []string{"acme/" + id}
	for _, tc := range []struct {
		name string
		body map[string]any
		want []string
	}{
		{"phone", map[string]any{"phone": "070-123"}, nil},
		{"name", map[string]any{"name": "Snickarna AB"}, told},
		{"a contact added", map[string]any{"contacts": append(slices.Clone(contacts), map[string]any{"name": "Bo Berg"})}, nil},
		{"a contact's name", map[string]any{"contacts": []map[string]any{{"id": contacts[0]["id"], "name": "Annika Andersson"}}}, told},
		{"a contact's e-mail", map[string]any{"contacts": []map[string]any{{"id": contacts[0]["id"], "name": "Annika Andersson", "email": "a@b.example"}}}, nil},
	} {
		patch(tc.body)
		if got := r.take(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: told %v, want %v", tc.name, got, tc.want)
		}
	}
	r.fail = errors.New("the cases are unreachable")
	patch(map[string]any{"name": "Rörmokarna AB"})
	if got := h.read(t, path); got.Str("name") != "Rörmokarna AB" || len(r.take()) != 1 {
		t.Errorf("a rename whose cases failed to follow: %s", got.Raw)
	}
}
