package customers_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// transact commits writes in one transaction through table.Commit, as the
// cases package does, and answers the meaning of the write whose condition
// failed (nil when it committed). An error that is no write's meaning is a
// failure otherwise than by a condition.
func (h *harness) transact(t *testing.T, writes ...dynamo.Write) error {
	t.Helper()
	h.db.Counter.Reset()
	err := h.db.Table.Commit(context.Background(), "test transaction", writes...)
	if h.db.Counter.Total() != 1 {
		t.Errorf("%d round trips for one transaction", h.db.Counter.Total())
	}
	if err == nil {
		return nil
	}
	for _, w := range writes {
		if w.Fails() != nil && err == w.Fails() {
			return err
		}
	}
	t.Fatalf("transaction failed otherwise than by a condition: %v", err)
	return nil
}

// errMarker is what a failed marker would mean; a marker has no condition,
// so a transaction answering it is a bug of the test.
var errMarker = errors.New("the marker failed")

// marker is an item the test's "case" transaction writes, to see whether
// the transaction committed.
func marker(name string) dynamo.Write {
	return dynamo.Put(dynamo.Key("TEST#"+name, "TEST"), dynamo.Cond{}, errMarker)
}

func TestCheckContact(t *testing.T) {
	h := newHarness(t)
	a := h.newCustomer(t, map[string]any{"name": "A AB", "contacts": []map[string]any{{"name": "Anna"}}})
	b := h.newCustomer(t, map[string]any{"name": "B AB", "contacts": []map[string]any{{"name": "Bo"}}})
	aID, anna := a.Str("id"), a.List("contacts")[0]["id"].(string)
	bID, bo := b.Str("id"), b.List("contacts")[0]["id"].(string)
	theirs := h.Do(&intruder, "POST", "/v1/customers", map[string]any{"name": "C AB", "kind": "company", "contacts": []map[string]any{{"name": "Cia"}}}).Must(t, http.StatusCreated)

	cases := []struct {
		name               string
		tenant, cust, cont string
		holds              bool
	}{
		{"the customer's contact", "acme", aID, anna, true},
		{"the customer alone", "acme", aID, "", true},
		{"another customer's contact", "acme", aID, bo, false},
		{"a contact ID that is no contact", "acme", aID, bID, false},
		{"unknown customer", "acme", noSuchID, "", false},
		{"unknown contact", "acme", aID, noSuchID, false},
		{"another tenant's customer", "acme", theirs.Str("id"), "", false},
		{"another tenant's contact", "acme", theirs.Str("id"), theirs.List("contacts")[0]["id"].(string), false},
		{"invalid customer ID", "acme", "x#CONTACT", "", false},
		{"invalid contact ID", "acme", aID, "#", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			check := h.svc.CheckContact(tc.tenant, tc.cust, tc.cont)
			err := h.transact(t, marker(tc.name), check)
			if tc.holds && err != nil {
				t.Errorf("check failed: %v", err)
			}
			if !tc.holds && err != check.Fails() {
				t.Errorf("check held (answered %v)", err)
			}
		})
	}

	// A contact removed from the customer no longer proves anything.
	h.Do(&agent, "PATCH", "/v1/customers/"+aID, map[string]any{"contacts": []any{}}, ifMatch(1)...).Must(t, http.StatusOK)
	if check := h.svc.CheckContact("acme", aID, anna); h.transact(t, check) != check.Fails() {
		t.Error("a removed contact still checks")
	}
}

func TestCheckAndCompleteOrder(t *testing.T) {
	h := newHarness(t)
	cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
	o := h.newOrder(t, cid, "SO-1")
	id := o.Str("id")
	theirs := h.Do(&intruder, "POST", "/v1/customers", map[string]any{"name": "C AB", "kind": "company"}).Must(t, http.StatusCreated).Str("id")
	theirOrder := h.Do(&intruder, "POST", "/v1/orders", map[string]any{"number": "X", "title": "x", "customerId": theirs}).Must(t, http.StatusCreated).Str("id")

	if err := h.transact(t, h.svc.CheckOrder("acme", id)); err != nil {
		t.Errorf("CheckOrder of an existing order failed: %v", err)
	}
	for _, bad := range []string{noSuchID, theirOrder, "a#b", ""} {
		if check := h.svc.CheckOrder("acme", bad); h.transact(t, marker("x"), check) != check.Fails() {
			t.Errorf("CheckOrder(%q) held", bad)
		}
	}

	h.clock.Advance(time.Hour)
	closedAt := h.clock.Now().Add(time.Minute)
	if err := h.transact(t, marker("close"), h.svc.CompleteOrder("acme", id, closedAt)); err != nil {
		t.Fatalf("CompleteOrder of an open order failed: %v", err)
	}
	got := h.read(t, "/v1/orders/"+id)
	if got.Str("status") != "completed" || got.Version() != 2 || got.Str("updatedAt") != "2026-11-26T10:01:00.000Z" || got.Header.Get("ETag") != `"2"` {
		t.Errorf("after CompleteOrder: %s", got.Raw)
	}
	if got.Str("number") != "SO-1" || got.Str("createdAt") != o.Str("createdAt") || got.Str("customerId") != cid {
		t.Errorf("CompleteOrder changed more than it should: %s", got.Raw)
	}
	if items := h.read(t, "/v1/orders").Items(); len(items) != 1 || items[0]["status"] != "completed" || items[0]["version"] != float64(2) {
		t.Errorf("list after CompleteOrder: %v", items)
	}
	// A client holding version 1 cannot overwrite the completion unseen.
	h.Do(&agent, "PATCH", "/v1/orders/"+id, map[string]any{"status": "open"}, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)

	// A completed order is not open: the condition fails, nothing changes.
	before := h.snapshot(t, "/v1/orders/"+id)
	if err := h.transact(t, marker("again"), h.svc.CompleteOrder("acme", id, closedAt.Add(time.Hour))); !errors.Is(err, customers.ErrOrderNotOpen) {
		t.Errorf("CompleteOrder of a completed order: %v", err)
	}
	h.unchanged(t, before)

	// Nor a cancelled one, another tenant's, or one that does not exist
	// (and no stray item is created for it).
	h.Do(&agent, "PATCH", "/v1/orders/"+id, map[string]any{"status": "cancelled"}, ifMatch(2)...).Must(t, http.StatusOK)
	for _, bad := range []string{id, theirOrder, noSuchID, "a#b"} {
		if err := h.transact(t, h.svc.CompleteOrder("acme", bad, closedAt)); !errors.Is(err, customers.ErrOrderNotOpen) {
			t.Errorf("CompleteOrder(%q) held: %v", bad, err)
		}
	}
	h.Do(&agent, "GET", "/v1/orders/"+noSuchID, nil).MustProblem(t, http.StatusNotFound)
	if got := h.Do(&intruder, "GET", "/v1/orders/"+theirOrder, nil).Must(t, http.StatusOK); got.Str("status") != "open" || got.Version() != 1 {
		t.Errorf("their order changed: %s", got.Raw)
	}

	// Reopened by hand, it completes again, and PATCH sees the new version.
	h.Do(&agent, "PATCH", "/v1/orders/"+id, map[string]any{"status": "open"}, ifMatch(3)...).Must(t, http.StatusOK)
	if err := h.transact(t, h.svc.CompleteOrder("acme", id, closedAt)); err != nil {
		t.Errorf("CompleteOrder of a reopened order: %v", err)
	}
	h.Do(&agent, "PATCH", "/v1/orders/"+id, map[string]any{"title": "Klar"}, ifMatch(5)...).Must(t, http.StatusOK)
}
