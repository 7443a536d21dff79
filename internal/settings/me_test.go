package settings_test

import (
	"net/http"
	"testing"
)

// TestMe: a member of staff reads and changes their own profile and
// notification choices; what only admins may change stays theirs.
func TestMe(t *testing.T) {
	h := newHarness(t)
	h.do(&agent, "GET", "/v1/me", nil).mustProblem(t, http.StatusNotFound) // no directory entry linked yet
	id := h.do(&admin, "POST", "/v1/users", map[string]any{"name": "Agda Agent", "email": "agda@acme.example",
		"roles": []string{"agent"}, "subject": agent.User}).must(t, http.StatusCreated).str("id")

	me := h.do(&agent, "GET", "/v1/me", nil).must(t, http.StatusOK)
	if me.str("id") != id || me.Body["notifications"].(map[string]any)["mentionByMail"] != false {
		t.Fatalf("GET /v1/me: %s", me.Raw)
	}
	res := h.do(&agent, "PATCH", "/v1/me", map[string]any{"notifications": map[string]any{"mentionByMail": true}, "phone": "+46 70 123 45 67"}, "If-Match", `"1"`).must(t, http.StatusOK)
	if res.Body["notifications"].(map[string]any)["mentionByMail"] != true || res.str("phone") != "+46 70 123 45 67" || res.version() != 2 {
		t.Errorf("PATCH /v1/me: %s", res.Raw)
	}
	h.do(&agent, "PATCH", "/v1/me", map[string]any{"email": "boss@acme.example"}, "If-Match", `"2"`).mustProblem(t, http.StatusBadRequest, "email")
	h.do(&agent, "PATCH", "/v1/me", map[string]any{"roles": []string{"admin"}}, "If-Match", `"2"`).mustProblem(t, http.StatusBadRequest, "roles")
	h.do(&agent, "PATCH", "/v1/me", map[string]any{"name": ""}, "If-Match", `"2"`).mustProblem(t, http.StatusBadRequest, "name")
	h.do(&agent, "PATCH", "/v1/me", map[string]any{"name": "X"}, "If-Match", `"1"`).mustProblem(t, http.StatusPreconditionFailed)
	h.do(&customer, "GET", "/v1/me", nil).mustProblem(t, http.StatusForbidden)

	got := h.do(&admin, "GET", "/v1/users/"+id, nil).must(t, http.StatusOK)
	if got.str("email") != "agda@acme.example" || got.version() != 2 {
		t.Errorf("after refused changes: %s", got.Raw)
	}
}
