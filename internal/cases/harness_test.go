package cases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/directory"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/identity/devtoken"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/settings"
)

// clock is an injectable clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// t0 is where every harness clock starts.
var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// queryRecord is what the probe saw of one Query of the cases service.
type queryRecord struct {
	Index    string
	PK       string
	Limit    int32
	Filtered bool
	Count    int32
	Scanned  int32
	Items    int
}

// probe wraps the DynamoDB client the cases service uses: it records what
// each Query read, and can run a hook just before a transaction is sent
// (to switch the embedded server's failure emulation on in the middle of
// an operation). The round-trip Counter sits below it, on the SDK client.
// Every other call goes straight to the embedded client.
type probe struct {
	*dynamodb.Client
	inner *dynamodb.Client

	mu             sync.Mutex
	queries        []queryRecord
	beforeTransact func()
}

func (p *probe) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := p.inner.Query(ctx, in, opts...)
	if err == nil {
		rec := queryRecord{Index: aws.ToString(in.IndexName), Limit: aws.ToInt32(in.Limit), Filtered: in.FilterExpression != nil,
			Count: out.Count, Scanned: out.ScannedCount, Items: len(out.Items)}
		if pk, ok := in.ExpressionAttributeValues[":pk"].(*types.AttributeValueMemberS); ok {
			rec.PK = pk.Value
		}
		p.mu.Lock()
		p.queries = append(p.queries, rec)
		p.mu.Unlock()
	}
	return out, err
}

func (p *probe) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	p.mu.Lock()
	hook := p.beforeTransact
	p.beforeTransact = nil // once
	p.mu.Unlock()
	if hook != nil {
		hook()
	}
	return p.inner.TransactWriteItems(ctx, in, opts...)
}

// takeQueries returns the Queries recorded since the last call.
func (p *probe) takeQueries() []queryRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.queries
	p.queries = nil
	return out
}

// onNextTransact runs f just before the next transaction is sent.
func (p *probe) onNextTransact(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.beforeTransact = f
}

// hookPending reports whether the hook of onNextTransact has not run yet.
func (p *probe) hookPending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.beforeTransact != nil
}

var _ dynamo.Client = (*probe)(nil)

// harness is the settings, cases and directory routes on one real mux,
// behind real token verification, against the embedded DynamoDB server,
// as the cases function and the local stack mount them.
type harness struct {
	t        testing.TB
	db       *dynamotest.Env
	clock    *clock
	settings *settings.Service
	dir      *directory.Service
	svc      *cases.Service
	probe    *probe
	h        http.Handler
	tokens   *devtoken.Issuer
	mu       sync.Mutex
	minted   map[string]string
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	db := dynamotest.New(t)
	clk := &clock{now: t0}
	st := settings.NewService(db.Table, clk.Now, 10*time.Second)
	dir := directory.NewService(db.Table, clk.Now)
	pr := &probe{Client: db.Client, inner: db.Client}
	svc := cases.NewService(dynamo.Table{Client: pr, Name: db.Table.Name}, st, dir, clk.Now)
	issuer, err := devtoken.NewIssuer(bytes.Repeat([]byte("k"), 32), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	mux := httpapi.NewMux(settings.Routes(st), cases.Routes(svc), directory.Routes(dir),
		notifications.Routes(notifications.NewService(db.Table, st, clk.Now)))
	h := httpapi.Observe(log, nil, identity.Middleware(issuer.Authenticate, mux))
	return &harness{t: t, db: db, clock: clk, settings: st, dir: dir, svc: svc, probe: pr, h: h, tokens: issuer}
}

// token mints a token for p once per harness and clock reading.
func (h *harness) token(p identity.Principal) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	key := fmt.Sprint(p, h.clock.Now().Unix())
	if tok, ok := h.minted[key]; ok {
		return tok
	}
	tok, err := h.tokens.Mint(p)
	if err != nil {
		panic(err) // a principal of this file: cannot happen
	}
	if h.minted == nil {
		h.minted = map[string]string{}
	}
	h.minted[key] = tok
	return tok
}

var (
	admin    = identity.Principal{Tenant: "acme", User: "boss", Roles: []identity.Role{identity.Admin}}
	agent    = identity.Principal{Tenant: "acme", User: "agent1", Roles: []identity.Role{identity.Agent}}
	customer = identity.Principal{Tenant: "acme", User: "cust1", Roles: []identity.Role{identity.Customer}, Customer: "c1"}
	intruder = identity.Principal{Tenant: "other", User: "boss2", Roles: []identity.Role{identity.Admin}}
)

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// do sends a request as p (nil: no token). body may be a string (sent as
// is) or a value (sent as JSON). headers are name, value pairs. It is safe
// to call from several goroutines.
func (h *harness) do(p *identity.Principal, method, path string, body any, headers ...string) response {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			panic(err) // a body of this file: cannot happen
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequestWithContext(context.Background(), method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if p != nil {
		req.Header.Set("Authorization", "Bearer "+h.token(*p))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if len(res.Raw) > 0 && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/") {
		var m map[string]any
		if err := json.Unmarshal(res.Raw, &m); err == nil {
			res.Body = m
		}
	}
	return res
}

// must fails the test unless the answer has status want.
func (r response) must(t testing.TB, want int) response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body: %s", r.Status, want, r.Raw)
	}
	return r
}

// problemFields returns the field names of a problem's per-field errors.
func (r response) problemFields() []string {
	var out []string
	errs, _ := r.Body["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m["field"].(string))
		}
	}
	return out
}

// mustProblem asserts a problem+json answer with status and, if fields are
// given, per-field errors naming each of them.
func (r response) mustProblem(t testing.TB, status int, fields ...string) response {
	t.Helper()
	r.must(t, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body: %s", ct, r.Raw)
	}
	got := r.problemFields()
	for _, f := range fields {
		if !slices.Contains(got, f) {
			t.Fatalf("problem names fields %v, want %q among them; body: %s", got, f, r.Raw)
		}
	}
	return r
}

func (r response) detail() string { s, _ := r.Body["detail"].(string); return s }

func (r response) str(key string) string { s, _ := r.Body[key].(string); return s }

func (r response) num(key string) int64 { f, _ := r.Body[key].(float64); return int64(f) }

func (r response) version() int64 { return r.num("version") }

func (r response) obj(key string) map[string]any { m, _ := r.Body[key].(map[string]any); return m }

func (r response) list(key string) []map[string]any {
	raw, _ := r.Body[key].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		out = append(out, it.(map[string]any))
	}
	return out
}

func (r response) items() []map[string]any { return r.list("items") }

// ids returns the IDs of a list answer's items, in order.
func (r response) ids() []string {
	var out []string
	for _, it := range r.items() {
		out = append(out, it["id"].(string))
	}
	return out
}

// time reads an RFC 3339 field of the answer.
func (r response) time(t testing.TB, key string) time.Time {
	t.Helper()
	return parseTime(t, r.Body[key])
}

func parseTime(t testing.TB, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("%v is not an RFC 3339 time: %v", v, err)
	}
	return tm
}

// ifMatch is the If-Match header pair for version v.
func ifMatch(v int64) []string {
	return []string{"If-Match", strconv.Quote(strconv.FormatInt(v, 10))}
}

// noSuchID is a well-formed ID that no object has.
const noSuchID = "01jzzzzzzzzzzzzzzzzzzzzzzz"

// create posts a case as agent and insists on 201.
func (h *harness) create(t testing.TB, body map[string]any) response {
	t.Helper()
	return h.do(&agent, "POST", "/v1/cases", body).must(t, http.StatusCreated)
}

// get reads a case as agent and insists on 200.
func (h *harness) get(t testing.TB, id string) response {
	t.Helper()
	return h.do(&agent, "GET", "/v1/cases/"+id, nil).must(t, http.StatusOK)
}

// patch merge-patches a case as agent with the version read now.
func (h *harness) patch(t testing.TB, id string, body any) response {
	t.Helper()
	v := h.get(t, id).version()
	return h.do(&agent, "PATCH", "/v1/cases/"+id, body, ifMatch(v)...)
}

// events reads a case's whole event log as agent, oldest first.
func (h *harness) events(t testing.TB, id string) []map[string]any {
	t.Helper()
	return h.do(&agent, "GET", "/v1/cases/"+id+"/events?limit=100", nil).must(t, http.StatusOK).items()
}

// eventTypes lists the types of events, in order.
func eventTypes(events []map[string]any) []string {
	var out []string
	for _, e := range events {
		out = append(out, e["type"].(string))
	}
	return out
}

// listIDs reads one page of a case list as agent and returns its IDs.
func (h *harness) listIDs(t testing.TB, query string) []string {
	t.Helper()
	return h.do(&agent, "GET", "/v1/cases"+query, nil).must(t, http.StatusOK).ids()
}

// change returns the change of field in event e, if it has one.
func change(e map[string]any, field string) (before, after any, ok bool) {
	changes, _ := e["changes"].([]any)
	for _, c := range changes {
		m := c.(map[string]any)
		if m["field"] == field {
			return m["before"], m["after"], true
		}
	}
	return nil, nil, false
}

// cost runs call with the round-trip counter reset and returns the
// DynamoDB requests it made, by operation.
func (h *harness) cost(call func()) map[string]int {
	h.db.Counter.Reset()
	call()
	return h.db.Counter.Snapshot()
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// putSettings replaces a singleton setting (general, case-fields,
// case-menu) as admin: GET, change, PUT with the version.
func (h *harness) putSettings(t testing.TB, path string, edit func(body map[string]any)) response {
	t.Helper()
	cur := h.do(&admin, "GET", path, nil).must(t, http.StatusOK)
	body := map[string]any{}
	for k, v := range cur.Body {
		switch k {
		case "id", "createdAt", "updatedAt", "version":
			continue
		}
		body[k] = v
	}
	edit(body)
	return h.do(&admin, "PUT", path, body, ifMatch(cur.version())...).must(t, http.StatusOK)
}
