// Package apitest drives the HTTP API in tests: routes on the real mux,
// behind the real middleware and token verification (development tokens),
// with a clock the test moves by hand. Every answer the Client receives is
// checked against the OpenAPI document (infra/openapi.yaml), except in
// benchmarks.
//
// It is test support: only _test.go files import it, so no Lambda binary
// contains it (nor the development token issuer it uses).
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/identity/devtoken"
)

// Clock is an injectable clock tests move by hand. It is safe for
// concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// NoSuchID is a well-formed ID that no object has.
const NoSuchID = "01jzzzzzzzzzzzzzzzzzzzzzzz"

// IfMatch is the If-Match header pair for version v, as Do takes headers.
func IfMatch(v int64) []string {
	return []string{"If-Match", strconv.Quote(strconv.FormatInt(v, 10))}
}

// Client sends requests through an http.Handler as a principal, with a
// development token. It is safe for concurrent use.
type Client struct {
	t       testing.TB
	handler http.Handler
	issuer  *devtoken.Issuer
	now     func() time.Time

	mu     sync.Mutex
	minted map[string]string
}

// NewClient returns a client of routes mounted on the real mux, behind the
// real middleware and token verification, with development tokens whose
// time is clock's. Failures of the OpenAPI check are reported to t.
func NewClient(t testing.TB, clock *Clock, routes ...[]httpapi.Route) *Client {
	t.Helper()
	issuer, err := devtoken.NewIssuer(bytes.Repeat([]byte("k"), 32), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{t: t, issuer: issuer, now: clock.Now}
	c.handler = c.Mount(routes...)
	return c
}

// Mount returns routes on a new real mux behind the client's middleware
// and token verification: another warm function instance, for DoWith.
func (c *Client) Mount(routes ...[]httpapi.Route) http.Handler {
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	return httpapi.Observe(log, nil, identity.Handler(c.issuer.Authenticate, routes...))
}

// Handler returns the handler Do sends requests through.
func (c *Client) Handler() http.Handler { return c.handler }

// Issuer returns the issuer of the client's tokens, to mint one by hand.
func (c *Client) Issuer() *devtoken.Issuer { return c.issuer }

// Token returns a token for p, minted once per principal and clock
// reading (moving the clock makes new ones). A principal the issuer
// refuses panics: it is a mistake of the test.
func (c *Client) Token(p identity.Principal) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := fmt.Sprint(p, c.now().Unix())
	if tok, ok := c.minted[key]; ok {
		return tok
	}
	tok, err := c.issuer.Mint(p)
	if err != nil {
		panic(fmt.Sprintf("apitest: token for %v: %v", p, err))
	}
	if c.minted == nil {
		c.minted = map[string]string{}
	}
	c.minted[key] = tok
	return tok
}

// Do sends a request as p (nil: no token) through the client's handler.
// body may be a string or []byte (sent as is) or another value (sent as
// JSON; a value that cannot be encoded panics: it is a mistake of the
// test); any body but nil is sent with Content-Type application/json.
// headers are name, value pairs, set after the defaults. The answer is
// checked against the OpenAPI document unless the client's t is a
// benchmark's (benchmarks measure the handler, not the checker).
func (c *Client) Do(p *identity.Principal, method, path string, body any, headers ...string) Response {
	c.t.Helper()
	return c.DoWith(c.handler, p, method, path, body, headers...)
}

// DoWith is Do through another handler (one of Mount).
func (c *Client) DoWith(handler http.Handler, p *identity.Principal, method, path string, body any, headers ...string) Response {
	c.t.Helper()
	var rd io.Reader
	var sent []byte
	switch b := body.(type) {
	case nil:
	case string:
		sent = []byte(b)
	case []byte:
		sent = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			panic(fmt.Sprintf("apitest: body of %s %s: %v", method, path, err))
		}
		sent = raw
	}
	if body != nil {
		rd = bytes.NewReader(sent)
	}
	req := httptest.NewRequestWithContext(context.Background(), method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if p != nil {
		req.Header.Set("Authorization", "Bearer "+c.Token(*p))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if _, bench := c.t.(*testing.B); !bench {
		checkResponse(c.t, req, sent, rec.Code, rec.Header(), rec.Body.Bytes())
	}
	res := Response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if len(res.Raw) > 0 && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/") {
		var m map[string]any
		if err := json.Unmarshal(res.Raw, &m); err == nil {
			res.Body = m
		}
	}
	return res
}
