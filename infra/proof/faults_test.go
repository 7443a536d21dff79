package proof_test

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// TestFaultAtEveryCall: every write operation of infra/openapi.yaml
// (every POST, PUT, PATCH and DELETE), sent in a seeded tenant, and every
// writer that runs outside HTTP (writers: the mailer's delivery, a
// recurring case's occurrence, an SLA alert), is run once to count its
// DynamoDB calls, then once per call with that call failing (throttling
// or a server error), from the same starting table each time: before the
// call is made, and, for a write call, after it was made with its answer
// lost. An HTTP operation must answer 503 with Retry-After, or succeed
// (the failure was retried safely); a writer must fail (its event is
// delivered again) or succeed. Either way the table must be exactly as
// before or exactly as after the successful run (the random values a run
// draws aside, and the documented gap in case numbers): a partial write,
// an outbox item of a change that did not commit, or a half-done change is
// found here. A writer's event delivered again after its failure must then
// leave the table as after a success, its mail sent once.
func TestFaultAtEveryCall(t *testing.T) {
	w := newWorld(t)
	ops := operations(t)
	s := w.seed(ops, "acme")
	if t.Failed() {
		return
	}
	f := &faultSuite{w: w, s: s, start: w.scan()}
	f.known = idsIn(f.start.dump())
	f.before = normalized(f.start.dump(keyUse...), f.known)
	for _, o := range ops {
		if !o.Write() || (testing.Short() && !f.sample(o.String())) {
			continue
		}
		t.Run(o.String(), func(t *testing.T) {
			r := f.requestOf(t, o)
			f.run(t, writer{name: o.String(), run: func() outcome { return httpOutcome(w.do(r)) }, ignore: keyUse})
		})
	}
	// The writers run later, when an SLA target has passed.
	w.clock.Advance(writersAfter)
	for _, wr := range writers(w, s) {
		if testing.Short() && !f.sample(wr.name) {
			continue
		}
		t.Run(wr.name, func(t *testing.T) { f.run(t, wr) })
	}
	t.Logf("fault at every call: %d write operations and writers, %d calls failed (%d before the call, %d after it with the answer lost), %d failed as they should, %d succeeded; partial writes found: %d",
		f.ops, f.tried, f.tried-f.lost, f.lost, f.unavailable, f.succeeded, f.partial)
}

// faultSuite is the fault suite's state: the seeded tenant, the table it
// starts every attempt from, and the figures.
type faultSuite struct {
	w     *world
	s     *tenant
	start snapshot
	// before is start as text; known the IDs it holds (any other ID in
	// a later table was drawn by the operation).
	before dump
	known  map[string]bool

	ops, tried, lost, unavailable, succeeded, partial int
}

// sample is the few operations and writers -short runs.
func (f *faultSuite) sample(name string) bool {
	return slices.Contains([]string{"POST /v1/cases", "PATCH /v1/cases/{id}", "POST /v1/cases/{id}/comments",
		"PATCH /v1/settings/statuses/{id}", "POST /v1/external/cases", "POST /c/{token}", "mailer: deliver"}, name)
}

// outcome is how one run of an operation ended: ok (it was done), or
// retryable (it failed the way a failure of the store must: 503 with
// Retry-After, or an error its event is delivered again for); anything
// else is wrong.
type outcome struct {
	ok, retryable bool
	detail        string
}

func httpOutcome(res apitest.Response) outcome {
	return outcome{ok: res.Status < 400,
		retryable: res.Status == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != "",
		detail:    fmt.Sprintf("%d (Retry-After %q) %s", res.Status, res.Header.Get("Retry-After"), clip(string(res.Raw), 300))}
}

// run runs the fault attempts of one operation or writer.
func (f *faultSuite) run(t *testing.T, wr writer) {
	w := f.w
	w.restore(f.start)
	w.fresh()
	w.faults.arm(0, false)
	if o := wr.run(); !o.ok {
		t.Fatalf("it fails in the seeded tenant; the suite needs one that succeeds (specs, writers): %s", o.detail)
	}
	calls := w.faults.made()
	t.Logf("calls %v", calls)
	after := normalized(w.scan().dump(wr.ignore...), f.known)
	before := normalized(f.start.dump(wr.ignore...), f.known)
	f.ops++
	for i, op := range calls {
		for _, lost := range []bool{false, true} {
			if lost && !writes(op) {
				continue
			}
			f.attempt(t, wr, attempt{n: i + 1, op: op, lost: lost, before: before, after: after})
		}
	}
}

// attempt is one run with call n (an op) failing.
type attempt struct {
	n             int
	op            string
	lost          bool
	before, after dump
}

func (a attempt) String() string {
	if a.lost {
		return fmt.Sprintf("call %d (%s) failing after it was made", a.n, a.op)
	}
	return fmt.Sprintf("call %d (%s) failing before it was made", a.n, a.op)
}

// attempt runs one attempt from the starting table and checks what it
// left: a success exactly what a success leaves; a failure of an HTTP
// operation exactly what was there before, or what a success leaves; a
// failure of a writer a table from which its event, delivered again,
// leaves exactly what a success leaves.
func (f *faultSuite) attempt(t *testing.T, wr writer, a attempt) {
	t.Helper()
	w := f.w
	w.restore(f.start)
	w.fresh()
	w.faults.arm(a.n, a.lost)
	o := wr.run()
	w.faults.arm(0, false)
	got := normalized(w.scan().dump(wr.ignore...), f.known)
	f.tried++
	if a.lost {
		f.lost++
	}
	switch {
	case o.ok:
		f.succeeded++
		if !got.equal(a.after) {
			f.partial++
			t.Errorf("%s: it succeeded, but the table is not as after a success:\n%s", a, diff(a.after, got))
		}
	case o.retryable:
		f.unavailable++
		f.failed(t, wr, a, got)
	default:
		t.Errorf("%s: %s; want a failure to retry (503 with Retry-After) or a success", a, o.detail)
	}
}

// failed checks the table a failed attempt left.
func (f *faultSuite) failed(t *testing.T, wr writer, a attempt, got dump) {
	t.Helper()
	settled := got
	if wr.settle != nil {
		settled = wr.settle(got)
	}
	gap := withGap(a.before, settled)
	asBefore, asAfter := gap.equal(a.before), got.equal(a.after)
	switch {
	case asAfter:
		return
	case wr.again == nil && !asBefore:
		f.partial++
		t.Errorf("%s: it failed, and the table is neither as before nor as after a success; against before:\n%s\nagainst after:\n%s",
			a, diff(a.before, got), diff(a.after, got))
		return
	case wr.again == nil, asBefore && !settled.equal(gap):
		return // a gap: delivered again, its case takes another number
	}
	w := f.w
	w.fresh()
	if o := wr.again(); !o.ok {
		t.Errorf("%s, then delivered again: %s", a, o.detail)
	}
	if again := normalized(w.scan().dump(wr.ignore...), f.known); !again.equal(a.after) {
		f.partial++
		t.Errorf("%s, then delivered again: the table is not as after a success:\n%s", a, diff(a.after, again))
	}
}

// requestOf is o's request in the seeded tenant; a DELETE deletes the
// spare of its collection (which nothing uses), a create makes a third.
func (f *faultSuite) requestOf(t *testing.T, o operation) request {
	s := f.s
	if o.Method == "DELETE" {
		last := o.Prefix(len(o.Params) - 1)
		if spare, ok := s.spares[last]; ok {
			s = &tenant{name: s.name, ids: overlay(s.ids, map[string]string{last: spare}), refs: s.refs}
		}
	}
	r, err := f.w.request(o, s)
	if err != nil {
		t.Fatal(err)
	}
	if o.Creates {
		r.body = another(r.body, " 3") // the seed made two already
	}
	return r
}

// Values an operation draws at random, which differ between two runs of
// it: IDs (ULIDs, drawn at the suite's one time t0, so all of them start
// alike; also where a suffix follows, as in a task's), case types'
// API-IDs, an API key's SHA-256 and the start of its secret.
var (
	ulidWord  = regexp.MustCompile(`\b(?:` + dynamo.NewID(t0)[:10] + `|` + dynamo.NewID(t0.Add(writersAfter))[:10] + `)[0-9a-hjkmnp-tv-z]{16}`)
	apiIDWord = regexp.MustCompile(`(APIID#|apiId\\?":\\?")([0-9a-z]{26})`)
	hashWord  = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
	keyPrefix = regexp.MustCompile(`(ak\.[A-Za-z0-9_-]+\.[0-9a-hjkmnp-tv-z]{26}\.)[A-Za-z0-9_-]{4}`)
)

// idsIn are the random values a table holds.
func idsIn(d dump) map[string]bool {
	known := map[string]bool{}
	for k, v := range d {
		line := k + " " + v
		for _, re := range []*regexp.Regexp{hashWord, ulidWord} {
			for _, id := range re.FindAllString(line, -1) {
				known[id] = true
			}
		}
		for _, m := range apiIDWord.FindAllStringSubmatch(line, -1) {
			known[m[2]] = true
		}
	}
	return known
}

// normalized is d with the random values not in known replaced: IDs by
// their order (<id1>, <id2> ...; ULIDs sort as they were drawn, so two
// runs that drew the same IDs in the same order compare equal), the
// others by what they are.
func normalized(d dump, known map[string]bool) dump {
	drawn := map[string]bool{}
	for k, v := range d {
		for _, id := range ulidWord.FindAllString(k+" "+v, -1) {
			if !known[id] {
				drawn[id] = true
			}
		}
	}
	order := slices.Sorted(maps.Keys(drawn))
	pairs := make([]string, 0, 2*len(order))
	for i, id := range order {
		pairs = append(pairs, id, fmt.Sprintf("<id%d>", i+1))
	}
	ids := strings.NewReplacer(pairs...)
	fix := func(s string) string {
		s = hashWord.ReplaceAllStringFunc(s, func(h string) string {
			if known[h] {
				return h
			}
			return "<hash>"
		})
		s = apiIDWord.ReplaceAllStringFunc(s, func(m string) string {
			sub := apiIDWord.FindStringSubmatch(m)
			if known[sub[2]] {
				return m
			}
			return sub[1] + "<apiId>"
		})
		return ids.Replace(keyPrefix.ReplaceAllString(s, "$1<secret>"))
	}
	out := make(dump, len(d))
	for k, v := range d {
		out[fix(k)] = fix(v)
	}
	return out
}

// counterKey is the item of a tenant's case number counter in a dump.
const counterKey = `"T#acme#COUNTER" | "CASE"`

var counterN = regexp.MustCompile(`\bn=(\d+)`)

// withGap is got with its case number counter as before's when it is one
// ahead of it: a create that fails after taking its number leaves a gap
// (README, Data: the case number counter), the one change a failure may
// leave behind.
func withGap(before, got dump) dump {
	b, g := counterN.FindStringSubmatch(before[counterKey]), counterN.FindStringSubmatch(got[counterKey])
	if b == nil || g == nil {
		return got
	}
	var nb, ng int
	fmt.Sscan(b[1], &nb)
	fmt.Sscan(g[1], &ng)
	if ng != nb+1 {
		return got
	}
	out := maps.Clone(got)
	out[counterKey] = before[counterKey]
	return out
}

// equal reports whether two dumps hold the same items.
func (d dump) equal(o dump) bool { return maps.Equal(d, o) }

// diff lists the items of got that want lacks (+), the other way round
// (-), and those that differ (~, with the first difference).
func diff(want, got dump) string {
	var out []string
	for k, v := range got {
		w, ok := want[k]
		switch {
		case !ok:
			out = append(out, "+ "+k)
		case w != v:
			i := 0
			for i < len(w) && i < len(v) && w[i] == v[i] {
				i++
			}
			from := max(0, i-60)
			out = append(out, fmt.Sprintf("~ %s: ...%s... was ...%s...", k, clip(v[from:], 160), clip(w[from:], 160)))
		}
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			out = append(out, "- "+k)
		}
	}
	slices.Sort(out)
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("(and %d more)", len(out)-12))
	}
	return strings.Join(out, "\n")
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
