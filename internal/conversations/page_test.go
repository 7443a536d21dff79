package conversations_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
)

// checkPageHeaders fails unless r carries every header the page must.
func checkPageHeaders(t testing.TB, r apitest.Response) {
	t.Helper()
	for name, want := range map[string]string{
		"Content-Type":              "text/html; charset=utf-8",
		"Referrer-Policy":           "no-referrer",
		"Cache-Control":             "no-store",
		"X-Robots-Tag":              "noindex, nofollow",
		"X-Content-Type-Options":    "nosniff",
		"Strict-Transport-Security": "max-age=31536000",
	} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") || strings.Contains(csp, "*") {
		t.Errorf("CSP %q allows more than the page itself", csp)
	}
	// The inline stylesheet is allowed by its hash, and nothing else is
	// loaded: no script, no other origin.
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindSubmatch(r.Raw)
	if m == nil {
		t.Fatalf("no stylesheet:\n%s", r.Raw)
	}
	sum := sha256.Sum256(m[1])
	if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("CSP %q does not allow the page's stylesheet by its hash", csp)
	}
	mustLack(t, r, "<script", "src=", "<link", "url(", "@import", "<iframe", "<img")
}

// TestPage: the page of a link shows the company, the case's number and
// title, its status as the customer may see it, the conversation and the
// contact details the settings choose, in the contact's language, with
// every security header; a GET changes nothing.
func TestPage(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.putConversations(t, map[string]any{"companyContact": map[string]any{"name": "Acme Service AB", "email": "kund@acme.example", "phone": "+46 8 000"}})
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent2"}})
	h.send(t, id, "Vi kommer <b>på</b> torsdag.")
	token := h.linkOf(t, "anna@bygg.example")

	before := h.state(t, id)
	r := h.page(token).Must(t, http.StatusOK)
	checkPageHeaders(t, r)
	mustContain(t, r, `<html lang="en">`, "Acme Service AB", "Case #1: Läckande kran", `class="status">Ny<`, "Vi kommer &lt;b&gt;på&lt;/b&gt; torsdag.",
		"Agnes Agent", "agnes@acme.example", `name="binding"`, `<textarea`)
	if h.state(t, id) != before {
		t.Error("a GET of the page changed the case or its conversation")
	}

	// A status invisible to customers shows as its category in words.
	h.Do(&admin, "PATCH", "/v1/settings/statuses/status-new", map[string]any{"visibleToCustomer": false}, apitest.IfMatch(1)...).Must(t, http.StatusOK)
	h.clock.Advance(11 * time.Second) // the settings cache
	mustLack(t, h.page(token).Must(t, http.StatusOK), `class="status">Ny`)
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": "status-in-progress"}, apitest.IfMatch(h.version(t, id))...).Must(t, http.StatusOK)
	mustContain(t, h.page(token).Must(t, http.StatusOK), `class="status">Pågående`) // visible: its own name
	h.Do(&admin, "PATCH", "/v1/settings/statuses/status-in-progress", map[string]any{"visibleToCustomer": false, "name": "Hemligt namn"}, apitest.IfMatch(1)...).Must(t, http.StatusOK)
	h.clock.Advance(11 * time.Second)
	r = h.page(token).Must(t, http.StatusOK)
	mustContain(t, r, `class="status">In progress`)
	mustLack(t, r, "Hemligt namn")

	// showContact company: the company's details, staff by no name.
	h.putConversations(t, map[string]any{"showContact": "company"})
	h.clock.Advance(11 * time.Second)
	r = h.page(token).Must(t, http.StatusOK)
	mustContain(t, r, "kund@acme.example", "46 8 000", "Customer service")
	mustLack(t, r, "Agnes", "agnes@acme.example")
}

// TestPageInSwedish: a contact without a language reads the tenant's.
func TestPageInSwedish(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.bo, nil)
	h.send(t, id, "Hej Bo!")
	r := h.page(h.linkOf(t, "bo@bygg.example")).Must(t, http.StatusOK)
	mustContain(t, r, `<html lang="sv">`, "Ärende #1", "Konversation", "Ditt svar", "Skicka")
}

// TestPageWeight: the page is small (it is read on phones).
func TestPageWeight(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.send(t, id, "Hej! Vi kommer på torsdag mellan 8 och 10.")
	token := h.linkOf(t, "anna@bygg.example")
	h.reply(t, token, "Det passar bra, tack!").Must(t, http.StatusSeeOther)
	r := h.page(token).Must(t, http.StatusOK)
	t.Logf("page with two messages: %d bytes (one request; nothing else is loaded)", len(r.Raw))
	if len(r.Raw) > 8<<10 {
		t.Errorf("the page weighs %d bytes", len(r.Raw))
	}
}
