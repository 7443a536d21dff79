package cases_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestConcurrentCreates: 30 creates at once all answer 201 at the first
// try (none waits for another's number), with exactly the numbers 1..30,
// no gap, no duplicate.
func TestConcurrentCreates(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.listIDs(t, "") // settings warm, as in a busy function
	const n = 30
	results := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			b := w.validService(fmt.Sprintf("Samtidig %d", i))
			b["customerId"], b["contactId"] = w.custA, w.anna
			results[i] = h.Do(&agent, "POST", "/v1/cases", b)
		})
	}
	wg.Wait()
	var numbers []int64
	ids := map[string]bool{}
	for i, r := range results {
		if r.Status != http.StatusCreated {
			t.Errorf("create %d answered %d: %s", i, r.Status, r.Raw)
			continue
		}
		numbers = append(numbers, r.Num("number"))
		ids[r.Str("id")] = true
	}
	slices.Sort(numbers)
	if len(numbers) != n {
		t.Fatalf("%d of %d creates answered 201", len(numbers), n)
	}
	for i, num := range numbers {
		if num != int64(i+1) {
			t.Fatalf("numbers %v are not 1..%d", numbers, n)
		}
	}
	listed := h.listIDs(t, "?limit=100")
	if len(listed) != n || len(ids) != n {
		t.Errorf("%d listed, %d distinct IDs answered 201, want %d", len(listed), len(ids), n)
	}
	for _, id := range listed {
		if !ids[id] {
			t.Errorf("listed case %s was not answered 201", id)
		}
	}
	if got := h.checkIntegrity(t, admin.Tenant); got != n {
		t.Errorf("%d cases stored, %d answered 201", got, n)
	}
	// The next create takes the next number.
	if num := h.create(t, map[string]any{"title": "Efteråt"}).Num("number"); num != n+1 {
		t.Errorf("next number %d, want %d", num, n+1)
	}
}

// TestConcurrentUpdates: 50 PATCHes of one case with the same If-Match:
// exactly one succeeds, with its own event; the rest answer 412 (or 503)
// and none is lost without saying so.
func TestConcurrentUpdates(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Omtvistad")).Str("id")
	h.listIDs(t, "") // settings warm
	const n = 50
	results := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			results[i] = h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"title": fmt.Sprintf("Version %d", i)}, ifMatch(1)...)
		})
	}
	wg.Wait()
	var won []string
	for i, r := range results {
		switch r.Status {
		case http.StatusOK:
			won = append(won, fmt.Sprintf("Version %d", i))
			if r.Version() != 2 {
				t.Errorf("the winner answered version %d", r.Version())
			}
		case http.StatusPreconditionFailed:
		case http.StatusServiceUnavailable:
			if r.Header.Get("Retry-After") == "" {
				t.Errorf("PATCH %d: 503 without Retry-After", i)
			}
		default:
			t.Errorf("PATCH %d answered %d: %s", i, r.Status, r.Raw)
		}
	}
	if len(won) != 1 {
		t.Fatalf("%d PATCHes with If-Match \"1\" succeeded: %v", len(won), won)
	}
	got := h.get(t, id)
	if got.Version() != 2 || got.Str("title") != won[0] {
		t.Errorf("stored %q at version %d, the winner was %q", got.Str("title"), got.Version(), won[0])
	}
	ev := h.events(t, id)
	if types := eventTypes(ev); !slices.Equal(types, []string{"created", "updated"}) {
		t.Fatalf("events %v", types)
	}
	if _, after, _ := change(ev[1], "title"); after != won[0] {
		t.Errorf("the event records %v, the winner was %q", after, won[0])
	}

	// Sequential updates, each with the version it read: every one lands,
	// each with its own event, even when they race with stale writers.
	const m = 10
	var stale sync.WaitGroup
	staleStatus := make([]int, m)
	for i := range m {
		v := h.get(t, id).Version()
		stale.Go(func() { // a stale writer racing with the fresh one
			staleStatus[i] = h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"title": "gammal"}, ifMatch(v-1)...).Status
		})
		h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"title": fmt.Sprintf("Steg %d", i)}, ifMatch(v)...).Must(t, http.StatusOK)
	}
	stale.Wait()
	for i, s := range staleStatus {
		if s != http.StatusPreconditionFailed {
			t.Errorf("stale writer %d answered %d, want 412", i, s)
		}
	}
	if got := h.get(t, id); got.Version() != 2+m || got.Str("title") != fmt.Sprintf("Steg %d", m-1) {
		t.Errorf("after %d sequential updates: version %d, title %q", m, got.Version(), got.Str("title"))
	}
	if n := countOf(eventTypes(h.events(t, id)), "updated"); n != 1+m {
		t.Errorf("%d update events, want %d", n, 1+m)
	}
}

// TestFailureEmulation: with the embedded server failing, before or in
// the middle of a create or an update, the API answers 503 with
// Retry-After and nothing is half-written: no case without its event, no
// list entry without its case. A create that fails before it takes a
// number leaves the counter as it was; one that fails at its transaction,
// after taking its number, leaves that number unused: the one gap a
// failed write may leave.
func TestFailureEmulation(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	b := w.validService("Först")
	b["customerId"] = w.custA
	first := h.create(t, b).Str("id")
	h.listIDs(t, "") // settings warm

	unavailable := func(t *testing.T, r response) {
		t.Helper()
		if h.probe.hookPending() {
			t.Fatalf("the request sent no transaction, so the failure was never switched on: %d %s", r.Status, r.Raw)
		}
		r.MustProblem(t, http.StatusServiceUnavailable)
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("503 without Retry-After")
		}
	}
	nextNumber, created := int64(2), 1
	var gaps []int64
	for _, tc := range []struct {
		name        string
		fail        func()
		takesNumber bool
	}{
		{"failing from the start", func() { h.db.Fail(true) }, false},
		{"failing at the transaction", func() { h.probe.onNextTransact(func() { h.db.Fail(true) }) }, true},
	} {
		t.Run("create "+tc.name, func(t *testing.T) {
			tc.fail()
			r := h.Do(&agent, "POST", "/v1/cases", w.validService("Misslyckad"))
			h.db.Fail(false)
			unavailable(t, r)
			if tc.takesNumber {
				gaps = append(gaps, nextNumber)
				nextNumber++
			}
			if got := h.checkIntegrity(t, admin.Tenant, gaps...); got != created {
				t.Errorf("%d cases stored after a failed create, want %d", got, created)
			}
			if n := len(h.listIDs(t, "")); n != created {
				t.Errorf("%d cases listed", n)
			}
			if num := h.create(t, w.validService("Lyckad")).Num("number"); num != nextNumber {
				t.Errorf("the create after the failure got number %d, want %d", num, nextNumber)
			}
			nextNumber++
			created++
		})
		t.Run("update "+tc.name, func(t *testing.T) {
			h.clock.Advance(time.Second)
			before := h.get(t, first)
			events := len(h.events(t, first))
			tc.fail()
			r := h.Do(&agent, "PATCH", "/v1/cases/"+first, map[string]any{"title": "Misslyckad", "statusId": statusClosed}, ifMatch(before.Version())...)
			h.db.Fail(false)
			unavailable(t, r)
			h.unchanged(t, first, before, events)
			if got := h.listIDs(t, "?category=closed"); len(got) != 0 {
				t.Errorf("the failed close reached a list: %v", got)
			}
			h.Do(&agent, "PATCH", "/v1/cases/"+first, map[string]any{"title": "Lyckad " + tc.name}, ifMatch(before.Version())...).Must(t, http.StatusOK)
			if n := len(h.events(t, first)); n != events+1 {
				t.Errorf("%d events after the retried update, want %d", n, events+1)
			}
		})
		t.Run("switch customer "+tc.name, func(t *testing.T) {
			before := h.get(t, first)
			tc.fail()
			r := h.Do(&agent, "POST", "/v1/cases/"+first+"/customer", map[string]any{"customerId": w.custB}, ifMatch(before.Version())...)
			h.db.Fail(false)
			unavailable(t, r)
			h.unchanged(t, first, before, len(h.events(t, first)))
			if got := h.listIDs(t, "?customer="+w.custB); len(got) != 0 {
				t.Errorf("the failed switch reached a list: %v", got)
			}
		})
		t.Run("task and time report "+tc.name, func(t *testing.T) {
			before := h.get(t, first)
			events := len(h.events(t, first))
			tc.fail()
			r := h.Do(&agent, "POST", "/v1/cases/"+first+"/tasks", map[string]any{"title": "Misslyckad"})
			h.db.Fail(false)
			unavailable(t, r)
			tc.fail()
			r = h.Do(&agent, "POST", "/v1/cases/"+first+"/time-reports", map[string]any{"date": "2026-11-26", "minutes": 10, "values": map[string]any{"arbete": "Service"}})
			h.db.Fail(false)
			unavailable(t, r)
			h.unchanged(t, first, before, events)
		})
	}
	h.checkIntegrity(t, admin.Tenant, gaps...)
}
