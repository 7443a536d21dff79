package cases_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

func (h *harness) autoComplete(t *testing.T, on bool) {
	t.Helper()
	h.putSettings(t, "/v1/settings/general", func(body map[string]any) { body["autoCompleteLinkedOrder"] = on })
}

func (h *harness) order(t *testing.T, id string) response {
	t.Helper()
	return h.Do(&admin, "GET", "/v1/orders/"+id, nil).Must(t, http.StatusOK)
}

// TestClosingCompletesLinkedOrder: with autoCompleteLinkedOrder on, the
// move to a closed-category status completes the linked open order in
// the same transaction as the case change.
func TestClosingCompletesLinkedOrder(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.autoComplete(t, true)
	id := h.create(t, map[string]any{"title": "Montera kök", "customerId": w.custA, "linkedOrderId": w.openOrder}).Str("id")
	before := h.order(t, w.openOrder)

	// A move to open or waiting does not touch the order.
	h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	if o := h.order(t, w.openOrder); o.Str("status") != "open" || o.Version() != before.Version() {
		t.Fatalf("the order changed before the close: %s", o.Raw)
	}

	h.clock.Advance(time.Minute)
	v := h.get(t, id).Version()
	var r response
	c := h.cost(func() {
		r = h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": statusClosed}, ifMatch(v)...).Must(t, http.StatusOK)
	})
	if c["TransactWriteItems"] != 1 || c["GetItem"] != 1 || total(c) != 2 {
		t.Errorf("the close cost %v, want one read and one transaction", c)
	}
	if r.Str("statusCategory") != "closed" {
		t.Errorf("case after close: %s", r.Raw)
	}
	o := h.order(t, w.openOrder)
	if o.Str("status") != "completed" || o.Version() != before.Version()+1 || !o.Time(t, "updatedAt").Equal(h.clock.Now()) {
		t.Errorf("the linked order after the close: %s", o.Raw)
	}
	ev := h.events(t, id)
	if got := eventTypes(ev); !slices.Contains(got, "order-completed") {
		t.Errorf("no order-completed event: %v", got)
	}
	if last := ev[len(ev)-1]; last["type"] != "order-completed" || last["subject"] != w.openOrder {
		t.Errorf("last event %v", last)
	}

	// Reopen and close again: the order is already completed and stays so.
	h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	h.patch(t, id, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	if o2 := h.order(t, w.openOrder); o2.Str("status") != "completed" || o2.Version() != o.Version() {
		t.Errorf("the order after a second close: %s", o2.Raw)
	}
	if n := countOf(eventTypes(h.events(t, id)), "order-completed"); n != 1 {
		t.Errorf("%d order-completed events", n)
	}
}

func countOf(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

// TestClosingWithCancelledOrder: a cancelled order does not stop the
// close and stays cancelled.
func TestClosingWithCancelledOrder(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.autoComplete(t, true)
	id := h.create(t, map[string]any{"title": "Avbokad", "customerId": w.custA, "linkedOrderId": w.cancelledOrder}).Str("id")
	before := h.order(t, w.cancelledOrder)
	r := h.patch(t, id, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	if r.Str("statusCategory") != "closed" || r.Version() != 2 {
		t.Errorf("case after close: %s", r.Raw)
	}
	if o := h.order(t, w.cancelledOrder); o.Str("status") != "cancelled" || o.Version() != before.Version() {
		t.Errorf("the cancelled order after the close: %s", o.Raw)
	}
	if got := eventTypes(h.events(t, id)); slices.Contains(got, "order-completed") || got[len(got)-1] != "updated" {
		t.Errorf("events %v", got)
	}
	if got := h.listIDs(t, "?category=closed"); !slices.Equal(got, []string{id}) {
		t.Errorf("closed list %v", got)
	}
}

// TestClosingWithoutAutoComplete: with the setting off the order stays
// open; a case without a linked order closes as any other.
func TestClosingWithoutAutoComplete(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.autoComplete(t, false)
	id := h.create(t, map[string]any{"title": "Manuell", "customerId": w.custA, "linkedOrderId": w.openOrder}).Str("id")
	h.patch(t, id, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	if o := h.order(t, w.openOrder); o.Str("status") != "open" {
		t.Errorf("the order after a close with the setting off: %s", o.Raw)
	}
	h.autoComplete(t, true)
	plain := h.create(t, map[string]any{"title": "Utan order"}).Str("id")
	h.patch(t, plain, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	if o := h.order(t, w.openOrder); o.Str("status") != "open" {
		t.Errorf("another case's close touched the order: %s", o.Raw)
	}
}

// TestClosingAtomic: when the transaction of the close fails, neither the
// case nor the order changed; the retry does both.
func TestClosingAtomic(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.autoComplete(t, true)
	id := h.create(t, map[string]any{"title": "Atomär", "customerId": w.custA, "linkedOrderId": w.openOrder}).Str("id")
	before := h.get(t, id)
	h.probe.onNextTransact(func() { h.db.Fail(true) })
	r := h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": statusClosed}, ifMatch(1)...)
	h.db.Fail(false)
	r.MustProblem(t, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After")
	}
	h.unchanged(t, id, before, 1)
	if o := h.order(t, w.openOrder); o.Str("status") != "open" {
		t.Errorf("the order changed although the close failed: %s", o.Raw)
	}
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": statusClosed}, ifMatch(1)...).Must(t, http.StatusOK)
	if o := h.order(t, w.openOrder); o.Str("status") != "completed" {
		t.Errorf("the order after the retried close: %s", o.Raw)
	}
}

// TestClosingWhileLinkingTheOrder: one PATCH that links an order and
// closes the case completes that order; a cancelled one stays cancelled;
// an order that does not exist is refused and nothing changes.
func TestClosingWhileLinkingTheOrder(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.autoComplete(t, true)
	for _, tc := range []struct {
		name, order, want string
	}{
		{"open order", w.openOrder, "completed"},
		{"cancelled order", w.cancelledOrder, "cancelled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := h.create(t, map[string]any{"title": tc.name, "customerId": w.custA}).Str("id")
			r := h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": statusClosed, "linkedOrderId": tc.order}, ifMatch(1)...).
				Must(t, http.StatusOK)
			if r.Str("linkedOrderId") != tc.order || r.Str("statusCategory") != "closed" {
				t.Errorf("case after link and close: %s", r.Raw)
			}
			if o := h.order(t, tc.order); o.Str("status") != tc.want {
				t.Errorf("order %s, want %s", o.Str("status"), tc.want)
			}
		})
	}
	id := h.create(t, map[string]any{"title": "Okänd order"}).Str("id")
	before := h.get(t, id)
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": statusClosed, "linkedOrderId": noSuchID}, ifMatch(1)...).
		MustProblem(t, http.StatusBadRequest, "linkedOrderId")
	h.unchanged(t, id, before, 1)
}

// TestCreatingClosedCompletesLinkedOrder: a case created directly in a
// closed-category status completes its linked open order as a move to
// closed does, in the create's transaction; an order that is not open is
// left as it is, and with autoCompleteLinkedOrder off nothing changes.
func TestCreatingClosedCompletesLinkedOrder(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.autoComplete(t, true)
	before := h.order(t, w.openOrder)
	h.clock.Advance(time.Minute)
	h.listIDs(t, "") // settings warm
	var r response
	c := h.cost(func() {
		r = h.create(t, map[string]any{"title": "Redan klart", "customerId": w.custA, "statusId": statusClosed, "linkedOrderId": w.openOrder})
	})
	if c["UpdateItem"] != 1 || c["GetItem"] != 1 || c["TransactWriteItems"] != 1 || total(c) != 3 {
		t.Errorf("the create cost %v: the number, the customer's names and one transaction", c)
	}
	o := h.order(t, w.openOrder)
	if o.Str("status") != "completed" || o.Version() != before.Version()+1 || !o.Time(t, "updatedAt").Equal(h.clock.Now()) {
		t.Errorf("the linked order after a closed create: %s", o.Raw)
	}
	if got := eventTypes(h.events(t, r.Str("id"))); !slices.Equal(got, []string{"created", "order-completed"}) {
		t.Errorf("events %v", got)
	}

	// The order is completed now: the next closed create leaves it so.
	second := h.create(t, map[string]any{"title": "Också klart", "statusId": statusClosed, "linkedOrderId": w.openOrder}).Str("id")
	if o2 := h.order(t, w.openOrder); o2.Version() != o.Version() {
		t.Errorf("a completed order changed: %s", o2.Raw)
	}
	if got := eventTypes(h.events(t, second)); !slices.Equal(got, []string{"created"}) {
		t.Errorf("events of a closed create with a completed order: %v", got)
	}
	h.create(t, map[string]any{"title": "Avbokad", "statusId": statusClosed, "linkedOrderId": w.cancelledOrder})
	if o := h.order(t, w.cancelledOrder); o.Str("status") != "cancelled" {
		t.Errorf("a cancelled order after a closed create: %s", o.Raw)
	}
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Ingen order", "statusId": statusClosed, "linkedOrderId": noSuchID}).
		MustProblem(t, http.StatusBadRequest, "linkedOrderId")

	// Off: a closed create leaves an open order open.
	h.autoComplete(t, false)
	fresh := h.Do(&admin, "POST", "/v1/orders", map[string]any{"number": "SO-3", "title": "Ny", "customerId": w.custA, "status": "open"}).Must(t, http.StatusCreated).Str("id")
	h.create(t, map[string]any{"title": "Stängd utan order", "statusId": statusClosed, "linkedOrderId": fresh})
	if o := h.order(t, fresh); o.Str("status") != "open" {
		t.Errorf("with autoCompleteLinkedOrder off: %s", o.Raw)
	}
	h.checkIntegrity(t, admin.Tenant)
}
