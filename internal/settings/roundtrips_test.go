package settings_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/settings"
)

// TestRoundTrips asserts what each settings operation costs in DynamoDB
// requests, counted by an SDK middleware on the real client.
func TestRoundTrips(t *testing.T) {
	h := newHarness(t)
	seedOneOfEach(t, h) // many items in the partition: the cost must not depend on it
	h.clock.Advance(time.Minute)
	c := h.db.Counter

	cost := func(name string, want map[string]int, call func()) {
		t.Helper()
		c.Expect(t.Errorf, name, want, call)
	}

	cost("cold read: every setting in one Query", map[string]int{"Query": 1}, func() {
		h.Do(&agent, "GET", "/v1/settings/statuses", nil).Must(t, http.StatusOK)
	})
	cost("warm reads: served from memory", map[string]int{}, func() {
		h.Do(&agent, "GET", "/v1/settings/priorities", nil).Must(t, http.StatusOK)
		h.Do(&agent, "GET", "/v1/settings/case-types", nil).Must(t, http.StatusOK)
		h.Do(&agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	})
	var id string
	cost("warm create: one transaction", map[string]int{"TransactWriteItems": 1}, func() {
		id = h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Tack igen", "body": "Tack!"}).Must(t, http.StatusCreated).Str("id")
	})
	cost("read after own write: the cache holds what was committed", map[string]int{}, func() {
		h.Do(&agent, "GET", "/v1/settings/canned-responses/"+id, nil).Must(t, http.StatusOK)
	})
	cost("warm update", map[string]int{"TransactWriteItems": 1}, func() {
		h.Do(&admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": "Tack så mycket!"}, "If-Match", `"1"`).Must(t, http.StatusOK)
	})
	h.clock.Advance(11 * time.Second)
	cost("cold update: one Query, one transaction", map[string]int{"Query": 1, "TransactWriteItems": 1}, func() {
		h.Do(&admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": "Tack!"}, "If-Match", `"2"`).Must(t, http.StatusOK)
	})
	h.Do(&agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	cost("refused write on a warm cache: re-checked on fresh data", map[string]int{"Query": 1}, func() {
		h.Do(&admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": ""}, "If-Match", `"3"`).MustProblem(t, http.StatusBadRequest, "body")
	})
	h.clock.Advance(11 * time.Second)
	cost("cache expires after its TTL", map[string]int{"Query": 1}, func() {
		h.Do(&agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	})
}

// TestStaleCacheOfAnotherInstance: instance A has the settings cached when
// instance B changes them. A's next write, with the version B answered,
// succeeds: A re-plans on fresh data instead of answering 412.
func TestStaleCacheOfAnotherInstance(t *testing.T) {
	h := newHarness(t)
	a := h.Handler()
	b := h.handlerFor(settings.NewService(h.db.Table, h.clock.Now, 10*time.Second))

	id := h.DoWith(a, &admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej"}).Must(t, http.StatusCreated).Str("id")
	h.DoWith(a, &agent, "GET", "/v1/settings/canned-responses", nil).Must(t, http.StatusOK) // A caches version 1
	h.DoWith(b, &admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": "från B"}, "If-Match", `"1"`).Must(t, http.StatusOK)

	res := h.DoWith(a, &admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": "från A"}, "If-Match", `"2"`).Must(t, http.StatusOK)
	if res.Version() != 3 {
		t.Errorf("version %d, want 3", res.Version())
	}
	// And a blind write with the version A had cached is refused, not lost.
	h.DoWith(a, &admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": "stale"}, "If-Match", `"1"`).MustProblem(t, http.StatusPreconditionFailed)
}

// TestConcurrentWritesAllLand: settings writes of one tenant are
// serialised by the revision condition; concurrent creates all commit
// (planning again when another commits first) and of concurrent updates
// of one object with the same version exactly one lands, the others are
// answered 412.
func TestConcurrentWritesAllLand(t *testing.T) {
	h := newHarness(t)
	h.Do(&agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	const n = 4
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			statuses[i] = h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": fmt.Sprintf("Svar %d", i), "body": "x"}).Status
		})
	}
	wg.Wait()
	for _, s := range statuses {
		if s != http.StatusCreated {
			t.Errorf("concurrent create answered %d", s)
		}
	}
	if got := len(h.Do(&admin, "GET", "/v1/settings/canned-responses", nil).Items()); got != n {
		t.Errorf("%d stored, want %d", got, n)
	}

	id := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Delad", "body": "0"}).Must(t, http.StatusCreated).Str("id")
	var mu sync.Mutex
	ok := 0
	for i := range n {
		wg.Go(func() {
			res := h.Do(&admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": fmt.Sprint(i)}, "If-Match", `"1"`)
			if res.Status == http.StatusOK {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if res.Status != http.StatusPreconditionFailed {
				t.Errorf("concurrent update answered %d: %s", res.Status, res.Raw)
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Errorf("%d updates with version 1 succeeded, want exactly 1", ok)
	}
	if v := h.Do(&admin, "GET", "/v1/settings/canned-responses/"+id, nil).Version(); v != 2 {
		t.Errorf("version %d, want 2", v)
	}
}

// TestDatabaseDown: with the database failing, reads and writes answer 503
// with Retry-After, and a write made while it failed left nothing behind.
func TestDatabaseDown(t *testing.T) {
	h := newHarness(t)
	h.Do(&agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	h.clock.Advance(time.Minute) // cache expired: the next call needs the database

	h.db.Fail(true)
	res := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej"}).MustProblem(t, http.StatusServiceUnavailable)
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	h.Do(&agent, "GET", "/v1/settings/statuses", nil).MustProblem(t, http.StatusServiceUnavailable)
	h.db.Fail(false)

	if n := len(h.Do(&admin, "GET", "/v1/settings/canned-responses", nil).Must(t, http.StatusOK).Items()); n != 0 {
		t.Errorf("%d canned responses after a failed create", n)
	}
}

// BenchmarkSettings measures the common operations through the whole
// HTTP stack, with DynamoDB round trips per operation as a metric.
func BenchmarkSettings(b *testing.B) {
	b.Run("read/warm", func(b *testing.B) {
		h := newHarness(b)
		h.Do(&agent, "GET", "/v1/settings/statuses", nil).Must(b, http.StatusOK)
		h.db.Counter.Reset()
		for b.Loop() {
			h.Do(&agent, "GET", "/v1/settings/statuses", nil).Must(b, http.StatusOK)
		}
		b.ReportMetric(float64(h.db.Counter.Total())/float64(b.N), "roundtrips/op")
	})
	b.Run("read/cold", func(b *testing.B) {
		h := newHarness(b)
		seedOneOfEach(b, h)
		h.db.Counter.Reset()
		for b.Loop() {
			h.clock.Advance(time.Minute)
			h.Do(&agent, "GET", "/v1/settings/statuses", nil).Must(b, http.StatusOK)
		}
		b.ReportMetric(float64(h.db.Counter.Total())/float64(b.N), "roundtrips/op")
	})
	b.Run("three writes in a row/warm", func(b *testing.B) {
		h := newHarness(b)
		h.Do(&agent, "GET", "/v1/settings/general", nil).Must(b, http.StatusOK)
		h.db.Counter.Reset()
		for b.Loop() {
			id := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Tack", "body": "Tack!"}).Must(b, http.StatusCreated).Str("id")
			h.Do(&admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": "Tack så mycket!"}, "If-Match", `"1"`).Must(b, http.StatusOK)
			h.Do(&admin, "DELETE", "/v1/settings/canned-responses/"+id, nil, "If-Match", `"2"`).Must(b, http.StatusNoContent)
		}
		b.ReportMetric(float64(h.db.Counter.Total())/float64(b.N), "roundtrips/op")
	})
	b.Run("update/warm", func(b *testing.B) {
		h := newHarness(b)
		id := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Tack", "body": "Tack!"}).Must(b, http.StatusCreated).Str("id")
		version := 1
		h.Do(&agent, "GET", "/v1/settings/general", nil).Must(b, http.StatusOK)
		writes := 0
		for b.Loop() {
			h.db.Counter.Reset()
			h.Do(&admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": fmt.Sprint(version)}, "If-Match", fmt.Sprintf("%q", fmt.Sprint(version))).Must(b, http.StatusOK)
			writes += h.db.Counter.Total()
			version++
			h.Do(&agent, "GET", "/v1/settings/general", nil).Must(b, http.StatusOK) // re-warm, as a busy function's next request would
		}
		b.ReportMetric(float64(writes)/float64(b.N), "roundtrips/op")
	})
}

// conflictOnce is the table's client, except that its first transaction
// is cancelled the way DynamoDB cancels one that raced another.
type conflictOnce struct {
	dynamo.Client
	mu      sync.Mutex
	pending int
}

func (c *conflictOnce) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.mu.Lock()
	fail := c.pending > 0
	if fail {
		c.pending--
	}
	c.mu.Unlock()
	if fail {
		return nil, &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"),
			CancellationReasons: []types.CancellationReason{{Code: aws.String("None")}, {Code: aws.String("TransactionConflict")}}}
	}
	return c.Client.TransactWriteItems(ctx, in, opts...)
}

// TestTransactionConflictIsRetried: two settings writes in flight at once
// make DynamoDB cancel one with TransactionConflict; the API retries it
// instead of answering 503, as often as the write budget allows.
func TestTransactionConflictIsRetried(t *testing.T) {
	h := newHarness(t)
	racy := &conflictOnce{Client: h.db.Client}
	svc := settings.NewService(dynamo.Table{Client: racy, Name: h.db.Table.Name}, h.clock.Now, 10*time.Second)
	handler := h.handlerFor(svc)

	racy.pending = 1 // the first use stores the defaults: that one conflicts too
	h.DoWith(handler, &agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	racy.pending = 1
	h.DoWith(handler, &admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej"}).Must(t, http.StatusCreated)
	// More conflicts in a row than the four attempts a write once had.
	racy.pending = 6
	h.DoWith(handler, &admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej igen", "body": "Hej"}).Must(t, http.StatusCreated)
	if n := len(h.DoWith(handler, &agent, "GET", "/v1/settings/canned-responses", nil).Items()); n != 2 {
		t.Errorf("%d canned responses, want 2", n)
	}
}
