package customers_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestRoundTrips asserts what each customer and order operation costs in DynamoDB
// requests, counted by an SDK middleware on the real client.
func TestRoundTrips(t *testing.T) {
	h := newHarness(t)
	for i := range 20 { // enough items that a page is not the whole table
		c := h.newCustomer(t, map[string]any{"name": fmt.Sprintf("Kund %02d", i), "contacts": []map[string]any{{"name": "A"}, {"name": "B"}}})
		h.newOrder(t, c.Str("id"), fmt.Sprintf("SO-%d", i))
	}
	c := h.db.Counter
	cost := func(name string, want map[string]int, call func()) {
		t.Helper()
		c.Expect(t.Errorf, name, want, call)
	}

	var cid, contact, oid string
	cost("create customer with contacts: one transaction", map[string]int{"TransactWriteItems": 1}, func() {
		r := h.Do(&agent, "POST", "/v1/customers", map[string]any{"name": "Ny AB", "kind": "company", "contacts": []map[string]any{{"name": "A"}, {"name": "B"}}}).Must(t, http.StatusCreated)
		cid, contact = r.Str("id"), r.List("contacts")[0]["id"].(string)
	})
	cost("get customer: one read", map[string]int{"GetItem": 1}, func() {
		h.Do(&agent, "GET", "/v1/customers/"+cid, nil).Must(t, http.StatusOK)
	})
	cost("list customers page: one Query", map[string]int{"Query": 1}, func() {
		h.Do(&agent, "GET", "/v1/customers?limit=5", nil).Must(t, http.StatusOK)
	})
	cost("second page: one Query", map[string]int{"Query": 1}, func() {
		next := h.Do(&agent, "GET", "/v1/customers?limit=5", nil).Str("next")
		c.Reset()
		h.Do(&agent, "GET", "/v1/customers?limit=5&cursor="+next, nil).Must(t, http.StatusOK)
	})
	// Removing a contact first asks whether a case has it as its contact.
	cost("update customer and its contacts: read + case check of the removed contact + transaction", map[string]int{"GetItem": 1, "Query": 1, "TransactWriteItems": 1}, func() {
		h.Do(&agent, "PATCH", "/v1/customers/"+cid, map[string]any{"contacts": []map[string]any{{"id": contact, "name": "A"}, {"name": "C"}}}, ifMatch(1)...).Must(t, http.StatusOK)
	})
	cost("refused update (stale): one read, no write", map[string]int{"GetItem": 1}, func() {
		h.Do(&agent, "PATCH", "/v1/customers/"+cid, map[string]any{"name": "x"}, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
	})
	cost("invalid body: no round trip", map[string]int{}, func() {
		h.Do(&agent, "POST", "/v1/customers", map[string]any{"name": ""}).MustProblem(t, http.StatusBadRequest)
		h.Do(&agent, "GET", "/v1/customers?cursor=x", nil).MustProblem(t, http.StatusBadRequest)
	})
	cost("create order (customer proved by condition): one transaction", map[string]int{"TransactWriteItems": 1}, func() {
		oid = h.newOrder(t, cid, "SO-NEW").Str("id")
	})
	cost("create order for a missing customer: one transaction, refused", map[string]int{"TransactWriteItems": 1}, func() {
		h.Do(&agent, "POST", "/v1/orders", map[string]any{"number": "SO-X", "title": "x", "customerId": noSuchID}).MustProblem(t, http.StatusBadRequest, "customerId")
	})
	cost("get order: one read", map[string]int{"GetItem": 1}, func() {
		h.Do(&agent, "GET", "/v1/orders/"+oid, nil).Must(t, http.StatusOK)
	})
	cost("list orders page: one Query", map[string]int{"Query": 1}, func() {
		h.Do(&agent, "GET", "/v1/orders?limit=5", nil).Must(t, http.StatusOK)
	})
	cost("list a customer's orders: one Query", map[string]int{"Query": 1}, func() {
		h.Do(&agent, "GET", "/v1/orders?customerId="+cid, nil).Must(t, http.StatusOK)
	})
	cost("update order: read + transaction", map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func() {
		h.Do(&agent, "PATCH", "/v1/orders/"+oid, map[string]any{"number": "SO-NEWER", "status": "completed"}, ifMatch(1)...).Must(t, http.StatusOK)
	})
	// Deletes first ask the case lists whether a case still refers to the
	// customer or order: one Query of one entry.
	cost("refused customer delete (has orders): case check + read + one Query naming one", map[string]int{"GetItem": 1, "Query": 2}, func() {
		h.Do(&agent, "DELETE", "/v1/customers/"+cid, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
	})
	cost("delete order: case check + read + transaction", map[string]int{"Query": 1, "GetItem": 1, "TransactWriteItems": 1}, func() {
		h.Do(&agent, "DELETE", "/v1/orders/"+oid, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
	})
	cost("delete customer: case check + read + transaction", map[string]int{"Query": 1, "GetItem": 1, "TransactWriteItems": 1}, func() {
		h.Do(&agent, "DELETE", "/v1/customers/"+cid, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
	})
}

// TestDatabaseDown: with the database failing, reads and writes answer 503
// with Retry-After, and a write made while it failed left nothing behind.
func TestDatabaseDown(t *testing.T) {
	h := newHarness(t)
	cid := h.newCustomer(t, map[string]any{"name": "Kund AB"}).Str("id")
	before := h.snapshot(t, "/v1/customers", "/v1/orders", "/v1/customers/"+cid)

	h.db.Fail(true)
	res := h.Do(&agent, "POST", "/v1/customers", map[string]any{"name": "Ny", "kind": "person"}).MustProblem(t, http.StatusServiceUnavailable)
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	h.Do(&agent, "POST", "/v1/orders", map[string]any{"number": "1", "title": "x", "customerId": cid}).MustProblem(t, http.StatusServiceUnavailable)
	h.Do(&agent, "GET", "/v1/customers", nil).MustProblem(t, http.StatusServiceUnavailable)
	h.Do(&agent, "GET", "/v1/customers/"+cid, nil).MustProblem(t, http.StatusServiceUnavailable)
	h.Do(&agent, "PATCH", "/v1/customers/"+cid, map[string]any{"name": "x"}, "If-Match", "*").MustProblem(t, http.StatusServiceUnavailable)
	h.db.Fail(false)

	h.unchanged(t, before)
	h.clock.Advance(time.Second)
	// The number the failed create tried is free.
	h.newOrder(t, cid, "1")
}

// BenchmarkCustomers measures the common operations through the whole
// HTTP stack, with DynamoDB round trips per operation as a metric.
func BenchmarkCustomers(b *testing.B) {
	h := newHarness(b)
	for i := range 200 {
		h.newCustomer(b, map[string]any{"name": fmt.Sprintf("Kund %03d", i)})
	}
	cid := h.newCustomer(b, map[string]any{"name": "Bench AB", "contacts": []map[string]any{{"name": "A"}}}).Str("id")
	seq := 0 // unique across runs of a sub-benchmark (-count), as order numbers must be
	run := func(name string, op func(i int)) {
		b.Run(name, func(b *testing.B) {
			h.db.Counter.Reset()
			for b.Loop() {
				seq++
				op(seq)
			}
			b.ReportMetric(float64(h.db.Counter.Total())/float64(b.N), "roundtrips/op")
		})
	}
	run("get customer", func(int) { h.Do(&agent, "GET", "/v1/customers/"+cid, nil).Must(b, http.StatusOK) })
	run("list customers", func(int) { h.Do(&agent, "GET", "/v1/customers?limit=50", nil).Must(b, http.StatusOK) })
	run("create order", func(i int) { h.newOrder(b, cid, fmt.Sprintf("B-%d", i)) })
	run("update customer", func(int) {
		h.Do(&agent, "PATCH", "/v1/customers/"+cid, map[string]any{"phone": "1"}, "If-Match", "*").Must(b, http.StatusOK)
	})
}
