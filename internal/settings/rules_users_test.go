package settings_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

const usersPath = "/v1/users"

func TestUserRules(t *testing.T) {
	h := newHarness(t)
	anna := ruleCreate(t, h, usersPath, map[string]any{"name": "Anna Agent", "email": "anna@example.se", "roles": []string{"agent"}})
	annaPath := usersPath + "/" + anna.Str("id")

	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no email", map[string]any{"name": "Bo", "roles": []string{"agent"}}, "email"},
		{"empty email", map[string]any{"name": "Bo", "email": "", "roles": []string{"agent"}}, "email"},
		{"malformed email", map[string]any{"name": "Bo", "email": "bo.example.se", "roles": []string{"agent"}}, "email"},
		{"email with a line break", map[string]any{"name": "Bo", "email": "bo@example.se\r\nBcc: x@y.se", "roles": []string{"agent"}}, "email"},
		{"email taken", map[string]any{"name": "Bo", "email": "anna@example.se", "roles": []string{"agent"}}, "email"},
		{"email taken in other case", map[string]any{"name": "Bo", "email": "Anna@Example.SE", "roles": []string{"admin"}}, "email"},
		{"no roles", map[string]any{"name": "Bo", "email": "bo@example.se"}, "roles"},
		{"empty roles", map[string]any{"name": "Bo", "email": "bo@example.se", "roles": []string{}}, "roles"},
		{"customer role", map[string]any{"name": "Bo", "email": "bo@example.se", "roles": []string{"customer"}}, "roles[0]"},
		{"unknown role second", map[string]any{"name": "Bo", "email": "bo@example.se", "roles": []string{"agent", "superuser"}}, "roles[1]"},
		{"role twice", map[string]any{"name": "Bo", "email": "bo@example.se", "roles": []string{"agent", "agent"}}, "roles[1]"},
		{"no name", map[string]any{"email": "bo@example.se", "roles": []string{"agent"}}, "name"},
	}
	for _, tc := range cases {
		t.Run("create/"+tc.name, func(t *testing.T) {
			before := ruleRead(t, h, usersPath)
			h.Do(&admin, "POST", usersPath, tc.body).MustProblem(t, http.StatusBadRequest, tc.field)
			ruleUnchanged(t, h, usersPath, before)
		})
	}

	bo := ruleCreate(t, h, usersPath, map[string]any{"name": "Bo Admin", "email": "bo@example.se", "roles": []string{"admin", "agent"}})
	boPath := usersPath + "/" + bo.Str("id")
	for _, tc := range []struct {
		name  string
		patch map[string]any
		field string
	}{
		{"email taken", map[string]any{"email": "ANNA@example.se"}, "email"},
		{"email removed", map[string]any{"email": ""}, "email"},
		{"customer role", map[string]any{"roles": []string{"admin", "customer"}}, "roles[1]"},
		{"roles removed", map[string]any{"roles": []string{}}, "roles"},
	} {
		t.Run("patch/"+tc.name, func(t *testing.T) {
			before := ruleRead(t, h, boPath)
			h.Do(&admin, "PATCH", boPath, tc.patch, ifMatch(before.Version())...).MustProblem(t, http.StatusBadRequest, tc.field)
			ruleUnchanged(t, h, boPath, before)
		})
	}

	t.Run("a user keeps its own email", func(t *testing.T) {
		r := rulePatch(t, h, annaPath, map[string]any{"name": "Anna Andersson", "email": "ANNA@example.se"}).Must(t, http.StatusOK)
		if r.Version() != 2 || r.Str("name") != "Anna Andersson" {
			t.Errorf("answered %s", r.Raw)
		}
	})

	t.Run("the same email in another tenant", func(t *testing.T) {
		r := h.Do(&intruder, "POST", usersPath, map[string]any{"name": "Anna", "email": "anna@example.se", "roles": []string{"admin"}}).
			Must(t, http.StatusCreated)
		if r.Str("id") == anna.Str("id") {
			t.Errorf("two tenants share the user ID %s", r.Str("id"))
		}
		if n := len(h.Do(&intruder, "GET", usersPath, nil).Must(t, http.StatusOK).Items()); n != 1 {
			t.Errorf("the other tenant lists %d users, want 1", n)
		}
		h.Do(&intruder, "GET", annaPath, nil).MustProblem(t, http.StatusNotFound)
	})
}

func TestUserSubjectLinksALogin(t *testing.T) {
	h := newHarness(t)
	a := h.Do(&admin, "POST", "/v1/users", map[string]any{"name": "Ada", "email": "ada@acme.example", "roles": []string{"agent"}, "subject": "3f9c2b1e-7d4a-4f7e-9c1a-2b3c4d5e6f70"}).Must(t, http.StatusCreated)
	if a.Str("subject") != "3f9c2b1e-7d4a-4f7e-9c1a-2b3c4d5e6f70" {
		t.Fatalf("subject not stored: %s", a.Raw)
	}
	h.Do(&admin, "POST", "/v1/users", map[string]any{"name": "Bea", "email": "bea@acme.example", "roles": []string{"agent"}, "subject": "3f9c2b1e-7d4a-4f7e-9c1a-2b3c4d5e6f70"}).
		MustProblem(t, http.StatusBadRequest, "subject")
	h.Do(&admin, "POST", "/v1/users", map[string]any{"name": "Bea", "email": "bea@acme.example", "roles": []string{"agent"}, "subject": "T#acme#SETTINGS"}).
		MustProblem(t, http.StatusBadRequest, "subject")
	if n := len(h.Do(&admin, "GET", "/v1/users", nil).Items()); n != 1 {
		t.Errorf("%d users after refused creates, want 1", n)
	}
}

// TestUsersInSwedishOrder: lists by name read as Swedes expect: å, ä, ö
// after z, in that order, whatever the case.
func TestUsersInSwedishOrder(t *testing.T) {
	h := newHarness(t)
	for i, name := range []string{"Örjan", "ärla", "Zlatan", "Åsa", "Ängla", "adam"} {
		ruleCreate(t, h, usersPath, map[string]any{"name": name, "email": fmt.Sprintf("u%d@example.se", i), "roles": []string{"agent"}})
	}
	var got []string
	for _, u := range h.Do(&admin, "GET", usersPath, nil).Must(t, http.StatusOK).Items() {
		got = append(got, u["name"].(string))
	}
	want := []string{"adam", "Zlatan", "Åsa", "Ängla", "ärla", "Örjan"}
	if !slices.Equal(got, want) {
		t.Errorf("users %v, want %v", got, want)
	}
	// Renamed by an admin, or by the user on /v1/me: in the new name's place.
	ids := map[string]string{}
	for _, u := range h.Do(&admin, "GET", usersPath, nil).Must(t, http.StatusOK).Items() {
		ids[u["name"].(string)] = u["id"].(string)
	}
	h.Do(&admin, "PATCH", usersPath+"/"+ids["adam"], map[string]any{"name": "Östen"}, "If-Match", `"1"`).Must(t, http.StatusOK)
	h.Do(&admin, "PATCH", usersPath+"/"+ids["Zlatan"], map[string]any{"subject": agent.User}, "If-Match", `"1"`).Must(t, http.StatusOK)
	h.Do(&agent, "PATCH", "/v1/me", map[string]any{"name": "Örn"}, "If-Match", `"2"`).Must(t, http.StatusOK)
	got = nil
	for _, u := range h.Do(&admin, "GET", usersPath, nil).Must(t, http.StatusOK).Items() {
		got = append(got, u["name"].(string))
	}
	if want := []string{"Åsa", "Ängla", "ärla", "Örjan", "Örn", "Östen"}; !slices.Equal(got, want) {
		t.Errorf("after renames: %v, want %v", got, want)
	}
}
