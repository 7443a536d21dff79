package directory_test

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

	"github.com/workcloud/arendehantering/internal/directory"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/identity/devtoken"
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

// harness is the directory routes on the real mux, behind real token
// verification, against the embedded DynamoDB server.
type harness struct {
	t      testing.TB
	db     *dynamotest.Env
	clock  *clock
	svc    *directory.Service
	h      http.Handler
	tokens *devtoken.Issuer
	mu     sync.Mutex
	minted map[string]string
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	db := dynamotest.New(t)
	clk := &clock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	svc := directory.NewService(db.Table, clk.Now)
	issuer, err := devtoken.NewIssuer(bytes.Repeat([]byte("k"), 32), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	h := httpapi.Observe(log, nil, identity.Middleware(issuer.Authenticate, httpapi.NewMux(directory.Routes(svc))))
	return &harness{t: t, db: db, clock: clk, svc: svc, h: h, tokens: issuer}
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
		h.t.Fatal(err)
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
// is) or a value (sent as JSON). headers are name, value pairs.
func (h *harness) do(p *identity.Principal, method, path string, body any, headers ...string) response {
	h.t.Helper()
	return h.doWith(h.h, p, method, path, body, headers...)
}

// handlerFor returns the routes of another service instance (another warm
// function) behind the harness's token verification.
func (h *harness) handlerFor(svc *directory.Service) http.Handler {
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	return httpapi.Observe(log, nil, identity.Middleware(h.tokens.Authenticate, httpapi.NewMux(directory.Routes(svc))))
}

// doWith is do against another handler.
func (h *harness) doWith(handler http.Handler, p *identity.Principal, method, path string, body any, headers ...string) response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
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
	handler.ServeHTTP(rec, req)
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

func (r response) version() int64 { f, _ := r.Body["version"].(float64); return int64(f) }

func (r response) items() []map[string]any {
	raw, _ := r.Body["items"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		out = append(out, it.(map[string]any))
	}
	return out
}

// contacts returns the contacts of a customer answer.
func (r response) contacts() []map[string]any {
	raw, _ := r.Body["contacts"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		out = append(out, it.(map[string]any))
	}
	return out
}

// ids returns the IDs of a list answer's items, in order.
func (r response) ids() []string {
	var out []string
	for _, it := range r.items() {
		out = append(out, it["id"].(string))
	}
	return out
}

// ifMatch is the If-Match header pair for version v.
func ifMatch(v int64) []string {
	return []string{"If-Match", strconv.Quote(strconv.FormatInt(v, 10))}
}

// noSuchID is a well-formed ID that no object has.
const noSuchID = "01jzzzzzzzzzzzzzzzzzzzzzzz"

// read GETs path as admin and insists on 200.
func (h *harness) read(t testing.TB, path string) response {
	t.Helper()
	return h.do(&admin, "GET", path, nil).must(t, http.StatusOK)
}

// unchanged re-reads each path and fails unless the answer is byte for
// byte the one read before a refused write.
func (h *harness) unchanged(t testing.TB, before map[string]response) {
	t.Helper()
	for path, b := range before {
		after := h.read(t, path)
		if !bytes.Equal(b.Raw, after.Raw) {
			t.Errorf("%s changed although the write was refused:\nbefore: %s\nafter:  %s", path, b.Raw, after.Raw)
		}
	}
}

// snapshot reads each path now, for unchanged.
func (h *harness) snapshot(t testing.TB, paths ...string) map[string]response {
	t.Helper()
	out := map[string]response{}
	for _, p := range paths {
		out[p] = h.read(t, p)
	}
	return out
}

// newCustomer creates a customer as admin and returns the answer.
func (h *harness) newCustomer(t testing.TB, body map[string]any) response {
	t.Helper()
	if _, ok := body["kind"]; !ok {
		body["kind"] = "company"
	}
	return h.do(&admin, "POST", "/v1/customers", body).must(t, http.StatusCreated)
}

// newOrder creates an order as admin and returns the answer.
func (h *harness) newOrder(t testing.TB, customerID, number string) response {
	t.Helper()
	return h.do(&admin, "POST", "/v1/orders", map[string]any{"number": number, "title": "Order " + number, "customerId": customerID}).must(t, http.StatusCreated)
}
