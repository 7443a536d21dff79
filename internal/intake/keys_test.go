package intake_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
)

// TestKeyOrigins: a key with origins answers CORS for them, the preflight
// included, and refuses (403, nothing created, no CORS) any other; a key
// without origins refuses every request with an Origin header; a
// preflight from an origin no key allows gets no CORS answer, and a
// deleted key's origins none either.
func TestKeyOrigins(t *testing.T) {
	h := newHarness(t)
	_, apiID, text, _, _ := h.typeOf(t, admin, "Felanmälan")
	web, webID := h.newKey(t, admin, map[string]any{"name": "Webb", "origins": []string{"https://WWW.Example.se:443/"}})
	server, _ := h.newKey(t, admin, map[string]any{"name": "Server"})
	body := form(apiID, text, "rita@example.se")

	r := h.submit(web, body, "Origin", "https://www.example.se").Must(t, http.StatusCreated)
	if r.Header.Get("Access-Control-Allow-Origin") != "https://www.example.se" || !strings.Contains(r.Header.Get("Vary"), "Origin") {
		t.Errorf("CORS of an allowed origin: %v", r.Header)
	}
	f := h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", web, "Origin", "https://www.example.se").Must(t, http.StatusOK)
	if f.Header.Get("Access-Control-Allow-Origin") != "https://www.example.se" {
		t.Errorf("CORS of the form: %v", f.Header)
	}
	for _, tc := range []struct{ key, origin string }{{web, "https://evil.example"}, {web, "http://www.example.se"}, {server, "https://www.example.se"}} {
		r := h.submit(tc.key, body, "Origin", tc.origin).MustProblem(t, http.StatusForbidden)
		if r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s got CORS: %v", tc.origin, r.Header)
		}
	}
	h.submit(server, body).Must(t, http.StatusCreated) // server to server
	if n := h.caseCount(t, admin); n != 2 {
		t.Errorf("%d cases, want the 2 allowed", n)
	}

	preflight := func(path, origin string) apitest.Response {
		return h.Do(nil, "OPTIONS", path, nil, "Origin", origin, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "content-type,x-api-key,idempotency-key")
	}
	for _, path := range []string{"/v1/external/cases", "/v1/external/case-types/" + apiID} {
		p := preflight(path, "https://www.example.se").Must(t, http.StatusNoContent)
		if p.Header.Get("Access-Control-Allow-Origin") != "https://www.example.se" || !strings.Contains(p.Header.Get("Access-Control-Allow-Headers"), "X-Api-Key") ||
			!strings.Contains(p.Header.Get("Access-Control-Allow-Methods"), "POST") || p.Header.Get("Access-Control-Max-Age") == "" {
			t.Errorf("preflight of %s: %v", path, p.Header)
		}
		if p := preflight(path, "https://evil.example").MustProblem(t, http.StatusForbidden); p.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight of another origin: %v", p.Header)
		}
	}
	h.Do(&admin, "DELETE", "/v1/settings/api-keys/"+webID, nil, "If-Match", `"1"`).Must(t, http.StatusNoContent)
	preflight("/v1/external/cases", "https://www.example.se").MustProblem(t, http.StatusForbidden)
}

// TestKeyChecks: a malformed, tampered, unknown or deleted key answers 401
// and creates nothing; a key restricted to case types creates only those;
// another tenant's key does not know this tenant's API-IDs.
func TestKeyChecks(t *testing.T) {
	h := newHarness(t)
	_, apiID, text, _, _ := h.typeOf(t, admin, "Felanmälan")
	_, secondAPIID, secondText, _, _ := h.typeOf(t, admin, "Fråga")
	key, keyID := h.newKey(t, admin, map[string]any{"name": "Webb", "caseTypes": []string{secondAPIID}})
	body := form(apiID, text, "rita@example.se")

	swap := "A"
	if key[len(key)-2] == 'A' {
		swap = "B"
	}
	tampered := key[:len(key)-2] + swap + key[len(key)-1:]
	for name, k := range map[string]string{"none": "", "malformed": "hello", "tampered": tampered,
		"another tenant's ID": strings.Replace(key, ".acme.", ".other.", 1)} {
		t.Run(name, func(t *testing.T) {
			h.submit(k, body).MustProblem(t, http.StatusUnauthorized)
			h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", k).MustProblem(t, http.StatusUnauthorized)
		})
	}
	h.submit(key, body).MustProblem(t, http.StatusForbidden) // restricted to the other type
	h.submit(key, form(secondAPIID, secondText, "rita@example.se")).Must(t, http.StatusCreated)

	// Another tenant's key on this tenant's API-ID.
	other, _ := h.newKey(t, intruder, map[string]any{"name": "Annan"})
	h.submit(other, body).MustProblem(t, http.StatusBadRequest, "apiId")
	h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", other).MustProblem(t, http.StatusNotFound)

	// Deleted: refused at once.
	h.Do(&admin, "DELETE", "/v1/settings/api-keys/"+keyID, nil, "If-Match", "*").Must(t, http.StatusNoContent)
	h.submit(key, form(secondAPIID, secondText, "rita@example.se")).MustProblem(t, http.StatusUnauthorized)
	if n := h.caseCount(t, admin); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
}

// TestKeyRate: a key takes its limit of requests a minute, every request
// it authenticates counted (forms, creates, refusals, honeypots); the next
// is 429 with Retry-After until the next minute. Another key is not
// affected.
func TestKeyRate(t *testing.T) {
	h := newHarness(t)
	_, apiID, text, _, _ := h.typeOf(t, admin, "Felanmälan")
	key, _ := h.newKey(t, admin, map[string]any{"name": "Webb", "rateLimitPerMinute": 4})
	other, _ := h.newKey(t, admin, map[string]any{"name": "Annan", "rateLimitPerMinute": 4})
	body := form(apiID, text, "rita@example.se")
	bad := form(apiID, text, "rita@")
	trap := form(apiID, text, "bot@example.se")
	trap["website"] = "x"
	h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", key).Must(t, http.StatusOK)
	h.submit(key, body).Must(t, http.StatusCreated)
	h.submit(key, bad).MustProblem(t, http.StatusBadRequest)
	h.submit(key, trap).Must(t, http.StatusAccepted)
	for _, r := range []apitest.Response{
		h.submit(key, body).MustProblem(t, http.StatusTooManyRequests),
		h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", key).MustProblem(t, http.StatusTooManyRequests),
	} {
		if ra := r.Header.Get("Retry-After"); ra != "55" {
			t.Errorf("Retry-After %q, want the seconds to the next minute (55)", ra)
		}
	}
	if n := h.caseCount(t, admin); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
	h.submit(other, body).Must(t, http.StatusCreated)
	h.clock.Advance(time.Minute)
	h.submit(key, body).Must(t, http.StatusCreated)
	list := h.Do(&admin, "GET", "/v1/settings/api-keys", nil).Must(t, http.StatusOK).Items()
	if used := list[0]["lastUsedAt"]; used != "2026-11-26T09:01:05.000Z" {
		t.Errorf("lastUsedAt %v, want the last request's time", used)
	}
}
