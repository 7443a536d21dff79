package settings_test

import (
	"net/http"
	"testing"
)

// TestMe: a member of staff reads and changes their own profile and
// notification choices; what only admins may change stays theirs.
func TestMe(t *testing.T) {
	h := newHarness(t)
	h.Do(&agent, "GET", "/v1/me", nil).MustProblem(t, http.StatusNotFound) // no directory entry linked yet
	id := h.Do(&admin, "POST", "/v1/users", map[string]any{"name": "Agda Agent", "email": "agda@acme.example",
		"roles": []string{"agent"}, "subject": agent.User}).Must(t, http.StatusCreated).Str("id")

	me := h.Do(&agent, "GET", "/v1/me", nil).Must(t, http.StatusOK)
	if me.Str("id") != id || me.Body["notifications"].(map[string]any)["mentionByMail"] != false {
		t.Fatalf("GET /v1/me: %s", me.Raw)
	}
	res := h.Do(&agent, "PATCH", "/v1/me", map[string]any{"notifications": map[string]any{"mentionByMail": true}, "phone": "+46 70 123 45 67"}, "If-Match", `"1"`).Must(t, http.StatusOK)
	if res.Body["notifications"].(map[string]any)["mentionByMail"] != true || res.Str("phone") != "+46 70 123 45 67" || res.Version() != 2 {
		t.Errorf("PATCH /v1/me: %s", res.Raw)
	}
	h.Do(&agent, "PATCH", "/v1/me", map[string]any{"email": "boss@acme.example"}, "If-Match", `"2"`).MustProblem(t, http.StatusBadRequest, "email")
	h.Do(&agent, "PATCH", "/v1/me", map[string]any{"roles": []string{"admin"}}, "If-Match", `"2"`).MustProblem(t, http.StatusBadRequest, "roles")
	h.Do(&agent, "PATCH", "/v1/me", map[string]any{"name": ""}, "If-Match", `"2"`).MustProblem(t, http.StatusBadRequest, "name")
	h.Do(&agent, "PATCH", "/v1/me", map[string]any{"name": "X"}, "If-Match", `"1"`).MustProblem(t, http.StatusPreconditionFailed)
	h.Do(&customer, "GET", "/v1/me", nil).MustProblem(t, http.StatusForbidden)

	got := h.Do(&admin, "GET", "/v1/users/"+id, nil).Must(t, http.StatusOK)
	if got.Str("email") != "agda@acme.example" || got.Version() != 2 {
		t.Errorf("after refused changes: %s", got.Raw)
	}
}
