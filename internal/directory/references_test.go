package directory_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
)

// transact runs items in one TransactWriteItems, as the cases package
// will, and answers which of them failed their condition.
func (h *harness) transact(t *testing.T, items ...types.TransactWriteItem) (failed []int) {
	t.Helper()
	h.db.Counter.Reset()
	_, err := h.db.Client.TransactWriteItems(context.Background(), &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if h.db.Counter.Total() != 1 {
		t.Errorf("%d round trips for one transaction", h.db.Counter.Total())
	}
	if err == nil {
		return nil
	}
	failed, ok := dynamo.ConditionFailed(err)
	if !ok {
		t.Fatalf("transaction failed otherwise than by a condition: %v", err)
	}
	return failed
}

// marker is an item the test's "case" transaction writes, to see whether
// the transaction committed.
func marker(name string) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(dynamotest.TableName), Item: map[string]types.AttributeValue{
		dynamo.AttrPK: dynamo.S("TEST#" + name), dynamo.AttrSK: dynamo.S("TEST"),
	}}}
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
			failed := h.transact(t, marker(tc.name), h.svc.CheckContact(tc.tenant, tc.cust, tc.cont))
			if tc.holds && failed != nil {
				t.Errorf("check failed at %v", failed)
			}
			if !tc.holds && (len(failed) != 1 || failed[0] != 1) {
				t.Errorf("check held (failed %v)", failed)
			}
		})
	}

	// A contact removed from the customer no longer proves anything.
	h.Do(&agent, "PATCH", "/v1/customers/"+aID, map[string]any{"contacts": []any{}}, ifMatch(1)...).Must(t, http.StatusOK)
	if failed := h.transact(t, h.svc.CheckContact("acme", aID, anna)); len(failed) != 1 {
		t.Errorf("a removed contact still checks: %v", failed)
	}
}

func TestCheckAndCompleteOrder(t *testing.T) {
	h := newHarness(t)
	cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
	o := h.newOrder(t, cid, "SO-1")
	id := o.Str("id")
	theirs := h.Do(&intruder, "POST", "/v1/customers", map[string]any{"name": "C AB", "kind": "company"}).Must(t, http.StatusCreated).Str("id")
	theirOrder := h.Do(&intruder, "POST", "/v1/orders", map[string]any{"number": "X", "title": "x", "customerId": theirs}).Must(t, http.StatusCreated).Str("id")

	if failed := h.transact(t, h.svc.CheckOrder("acme", id)); failed != nil {
		t.Errorf("CheckOrder of an existing order failed: %v", failed)
	}
	for _, bad := range []string{noSuchID, theirOrder, "a#b", ""} {
		if failed := h.transact(t, marker("x"), h.svc.CheckOrder("acme", bad)); len(failed) != 1 || failed[0] != 1 {
			t.Errorf("CheckOrder(%q) held: %v", bad, failed)
		}
	}

	h.clock.Advance(time.Hour)
	closedAt := h.clock.Now().Add(time.Minute)
	if failed := h.transact(t, marker("close"), h.svc.CompleteOrder("acme", id, closedAt)); failed != nil {
		t.Fatalf("CompleteOrder of an open order failed: %v", failed)
	}
	got := h.read(t, "/v1/orders/"+id)
	if got.Str("status") != "completed" || got.Version() != 2 || got.Str("updatedAt") != "2026-11-26T10:01:00Z" || got.Header.Get("ETag") != `"2"` {
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
	if failed := h.transact(t, marker("again"), h.svc.CompleteOrder("acme", id, closedAt.Add(time.Hour))); len(failed) != 1 || failed[0] != 1 {
		t.Errorf("CompleteOrder of a completed order: %v", failed)
	}
	h.unchanged(t, before)

	// Nor a cancelled one, another tenant's, or one that does not exist
	// (and no stray item is created for it).
	h.Do(&agent, "PATCH", "/v1/orders/"+id, map[string]any{"status": "cancelled"}, ifMatch(2)...).Must(t, http.StatusOK)
	for _, bad := range []string{id, theirOrder, noSuchID, "a#b"} {
		if failed := h.transact(t, h.svc.CompleteOrder("acme", bad, closedAt)); len(failed) != 1 {
			t.Errorf("CompleteOrder(%q) held: %v", bad, failed)
		}
	}
	h.Do(&agent, "GET", "/v1/orders/"+noSuchID, nil).MustProblem(t, http.StatusNotFound)
	if got := h.Do(&intruder, "GET", "/v1/orders/"+theirOrder, nil).Must(t, http.StatusOK); got.Str("status") != "open" || got.Version() != 1 {
		t.Errorf("their order changed: %s", got.Raw)
	}

	// Reopened by hand, it completes again, and PATCH sees the new version.
	h.Do(&agent, "PATCH", "/v1/orders/"+id, map[string]any{"status": "open"}, ifMatch(3)...).Must(t, http.StatusOK)
	if failed := h.transact(t, h.svc.CompleteOrder("acme", id, closedAt)); failed != nil {
		t.Errorf("CompleteOrder of a reopened order: %v", failed)
	}
	h.Do(&agent, "PATCH", "/v1/orders/"+id, map[string]any{"title": "Klar"}, ifMatch(5)...).Must(t, http.StatusOK)
}
