package intake_test

import (
	"net/http"
	"testing"
	"time"
)

// TestIntakeRoundTrips asserts what each website-intake request costs in
// DynamoDB requests, with the tenant's settings warm: an external create
// is three (the budget), whether the sender is a contact or not,
// with an Idempotency-Key or without, with the answers of its form or
// without.
func TestIntakeRoundTrips(t *testing.T) {
	h := newHarness(t)
	typeID, apiID, text, _, _ := h.typeOf(t, admin, "Felanmälan")
	h.withForm(t, admin, typeID, "customer")
	answered := form(apiID, text, "rita@example.se")
	answered["form"] = map[string]any{"what": "Droppar", "where": "Kök"}
	key, _ := h.newKey(t, admin, map[string]any{"name": "Webb", "rateLimitPerMinute": 1000, "origins": []string{"https://www.example.se"}})
	h.customerWith(t, "Bostad AB", "Karin Lund", "karin@bostad.example")
	h.submit(key, form(apiID, text, "warm@example.se")).Must(t, http.StatusCreated) // settings warm, the key's minute begun
	trap := form(apiID, text, "bot@example.se")
	trap["website"] = "x"
	create := map[string]int{"BatchGetItem": 1, "UpdateItem": 1, "TransactWriteItems": 1}
	for _, tc := range []struct {
		name string
		want map[string]int
		call func(t *testing.T)
	}{
		{"create, unknown sender", create, func(t *testing.T) {
			h.submit(key, form(apiID, text, "rita@example.se")).Must(t, http.StatusCreated)
		}},
		{"create, a contact's address", create, func(t *testing.T) {
			h.submit(key, form(apiID, text, "karin@bostad.example")).Must(t, http.StatusCreated)
		}},
		{"create with the answers of its form", create, func(t *testing.T) {
			h.submit(key, answered).Must(t, http.StatusCreated)
		}},
		{"create with an Idempotency-Key, from an allowed origin", create, func(t *testing.T) {
			h.submit(key, form(apiID, text, "rita@example.se"), "Idempotency-Key", "k1", "Origin", "https://www.example.se").Must(t, http.StatusCreated)
		}},
		{"replay", map[string]int{"BatchGetItem": 1, "UpdateItem": 1}, func(t *testing.T) {
			h.submit(key, form(apiID, text, "rita@example.se"), "Idempotency-Key", "k1").Must(t, http.StatusCreated)
		}},
		{"honeypot", map[string]int{"BatchGetItem": 1, "UpdateItem": 1}, func(t *testing.T) {
			h.submit(key, trap).Must(t, http.StatusAccepted)
		}},
		{"bad input", map[string]int{"BatchGetItem": 1, "UpdateItem": 1}, func(t *testing.T) {
			h.submit(key, form(apiID, text, "rita@")).MustProblem(t, http.StatusBadRequest)
		}},
		{"form", map[string]int{"UpdateItem": 1}, func(t *testing.T) {
			h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", key).Must(t, http.StatusOK)
		}},
		{"preflight", map[string]int{"GetItem": 1}, func(t *testing.T) {
			h.Do(nil, "OPTIONS", "/v1/external/cases", nil, "Origin", "https://www.example.se").Must(t, http.StatusNoContent)
		}},
		{"unknown key", map[string]int{"BatchGetItem": 1}, func(t *testing.T) {
			h.submit(key[:len(key)-3]+"AAA", form(apiID, text, "rita@example.se")).MustProblem(t, http.StatusUnauthorized)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { h.db.Counter.Expect(t.Errorf, tc.name, tc.want, func() { tc.call(t) }) })
	}

	// The first request of a minute starts the key's count anew: a form
	// makes a second UpdateItem then; a create's transaction does it.
	warm := func() { h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK) }
	h.clock.Advance(time.Minute)
	warm()
	h.db.Counter.Expect(t.Errorf, "form, first of a minute", map[string]int{"UpdateItem": 2}, func() {
		h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", key).Must(t, http.StatusOK)
	})
	h.clock.Advance(time.Minute)
	warm()
	h.db.Counter.Expect(t.Errorf, "create, first of a minute", create, func() {
		h.submit(key, form(apiID, text, "rita@example.se")).Must(t, http.StatusCreated)
	})
}
