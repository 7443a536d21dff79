package settings_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/settings"
)

// burst is how many writers of one tenant's settings act at once.
const burst = 10

// together runs do(i) for i in [0, n) on n goroutines released at the same
// moment, and waits for all of them.
func together(n int, do func(i int)) {
	var ready, wg sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	for i := range n {
		wg.Go(func() {
			ready.Done()
			<-start
			do(i)
		})
	}
	ready.Wait()
	close(start)
	wg.Wait()
}

// instances returns the handlers the burst is sent to: one warm function
// serving every request, or one warm function per request (as Lambda
// runs them), each with its own cache, all warmed before the burst.
func instances(t *testing.T, h *harness, shared bool) []http.Handler {
	t.Helper()
	handlers := make([]http.Handler, burst)
	for i := range handlers {
		handlers[i] = h.Handler()
		if !shared {
			handlers[i] = h.handlerFor(settings.NewService(h.db.Table, h.clock.Now, 10*time.Second))
		}
		h.DoWith(handlers[i], &agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	}
	return handlers
}

// stored reads path as a new instance does: from the table, whatever the
// caches of the instances that wrote hold.
func stored(t *testing.T, h *harness, path string) response {
	t.Helper()
	fresh := h.handlerFor(settings.NewService(h.db.Table, h.clock.Now, 0))
	return h.DoWith(fresh, &admin, "GET", path, nil).Must(t, http.StatusOK)
}

// TestBurstOfPatchesAllSucceedAtFirstTry: ten admins each change another
// object of one tenant's settings at the same moment. Every one of them
// is answered 200 at its first request (no 503 to retry), and afterwards
// every change is there: none was lost.
func TestBurstOfPatchesAllSucceedAtFirstTry(t *testing.T) {
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("one instance=%v", shared), func(t *testing.T) {
			h := newHarness(t)
			ids := make([]string, burst)
			for i := range ids {
				ids[i] = h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": fmt.Sprintf("Svar %d", i), "body": "före"}).Must(t, http.StatusCreated).Str("id")
			}
			handlers := instances(t, h, shared)

			answers := make([]int, burst)
			took := make([]time.Duration, burst)
			together(burst, func(i int) {
				start := time.Now()
				defer func() { took[i] = time.Since(start) }()
				res := h.DoWith(handlers[i], &admin, "PATCH", "/v1/settings/canned-responses/"+ids[i], map[string]any{"body": fmt.Sprintf("efter %d", i)}, "If-Match", `"1"`)
				answers[i] = res.Status
				if res.Status != http.StatusOK {
					t.Errorf("writer %d answered %d at its first try: %s", i, res.Status, res.Raw)
				}
			})
			t.Logf("slowest writer answered after %v", slices.Max(took))

			for i, id := range ids {
				res := stored(t, h, "/v1/settings/canned-responses/"+id)
				if got, want := res.Str("body"), fmt.Sprintf("efter %d", i); got != want || res.Version() != 2 {
					t.Errorf("canned response %d: body %q version %d, want %q version 2 (lost update; writer answered %d)", i, got, res.Version(), want, answers[i])
				}
			}
		})
	}
}

// TestBurstOfCreatesAllLand: ten statuses created at the same moment are
// all answered 201 at the first request, with ten distinct IDs, and all
// ten are stored.
func TestBurstOfCreatesAllLand(t *testing.T) {
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("one instance=%v", shared), func(t *testing.T) {
			h := newHarness(t)
			before := len(h.Do(&admin, "GET", "/v1/settings/statuses", nil).Must(t, http.StatusOK).Items())
			handlers := instances(t, h, shared)

			ids := make([]string, burst)
			together(burst, func(i int) {
				res := h.DoWith(handlers[i], &admin, "POST", "/v1/settings/statuses", map[string]any{"name": fmt.Sprintf("Steg %d", i), "color": "#123456", "category": "open"})
				if res.Status != http.StatusCreated {
					t.Errorf("create %d answered %d at its first try: %s", i, res.Status, res.Raw)
					return
				}
				ids[i] = res.Str("id")
			})

			list := stored(t, h, "/v1/settings/statuses").Items()
			names := map[string]string{}
			orders := map[float64]bool{}
			for _, it := range list {
				names[it["id"].(string)] = it["name"].(string)
				// Each was planned on the settings as they were when it
				// committed, so each went after the ones before it.
				if o := it["order"].(float64); orders[o] {
					t.Errorf("two statuses have order %v", o)
				} else {
					orders[o] = true
				}
			}
			if len(list) != before+burst {
				t.Errorf("%d statuses stored, want %d", len(list), before+burst)
			}
			for i, id := range ids {
				if name := fmt.Sprintf("Steg %d", i); names[id] != name {
					t.Errorf("status %d (%s): stored as %q, want %q", i, id, names[id], name)
				}
				if slices.Index(ids, id) != i {
					t.Errorf("status %d has the ID of status %d", i, slices.Index(ids, id))
				}
			}
		})
	}
}
