package settings_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/settings"
)

// seedOneOfEach creates one object in every settings collection of admin's
// tenant and returns their IDs by collection path.
func seedOneOfEach(t testing.TB, h *harness) map[string]string {
	t.Helper()
	ids := map[string]string{}
	create := func(path string, body any) string {
		t.Helper()
		id := h.Do(&admin, "POST", path, body).Must(t, http.StatusCreated).Str("id")
		ids[path] = id
		return id
	}
	user := create("/v1/users", map[string]any{"name": "Ulla Agent", "email": "ulla@acme.example", "roles": []string{"agent"}})
	group := create("/v1/groups", map[string]any{"name": "Fält", "members": []string{user}})
	field := create("/v1/settings/case-type-fields", map[string]any{"name": "Modell", "kind": "dropdown", "options": []string{"A", "B"}})
	tasks := create("/v1/settings/task-templates", map[string]any{"name": "Installation", "tasks": []map[string]any{{"title": "Boka tid", "dueWithin": "P1D"}}})
	report := create("/v1/settings/report-templates", map[string]any{"name": "Service", "fields": []map[string]any{{"key": "km", "name": "Körda km", "kind": "number", "required": true}}})
	form := create("/v1/settings/forms", map[string]any{"name": "Felbeskrivning", "questions": []map[string]any{{"key": "fel", "label": "Vad är fel?", "kind": "longtext", "required": true}}})
	create("/v1/settings/case-types", map[string]any{
		"name": "Felanmälan", "visibleInPortal": true,
		"assignees":      map[string]any{"users": []string{user}, "groups": []string{group}},
		"fields":         []map[string]any{{"fieldId": field, "required": true, "filledBy": "customer"}},
		"taskTemplateId": tasks, "reportTemplateId": report,
		"defaultForm": map[string]any{"formId": form, "filledBy": "customer"},
	})
	create("/v1/settings/statuses", map[string]any{"name": "Granskas", "color": "#123456", "category": "open", "order": 25})
	create("/v1/settings/priorities", map[string]any{"name": "Kritisk", "color": "#FF0000", "startWithin": "PT30M", "resolveWithin": "PT4H", "order": 50})
	create("/v1/settings/canned-responses", map[string]any{"name": "Tack", "body": "Tack för ditt ärende!"})
	create("/v1/settings/recurring-cases", map[string]any{"name": "Månadsservice", "active": true, "rule": "FREQ=MONTHLY",
		"start": "2026-12-01T07:00", "case": map[string]any{"title": "Service {{occurrence.month}}"}})
	return ids
}

func TestRoles(t *testing.T) {
	h := newHarness(t)
	ids := seedOneOfEach(t, h)

	for _, r := range settings.Routes(nil) {
		if r.Pattern == "/v1/me" {
			continue // self-service: TestMe
		}
		path := strings.ReplaceAll(r.Pattern, "{key}", "case-created")
		if strings.Contains(path, "{id}") {
			path = strings.ReplaceAll(path, "{id}", ids[strings.TrimSuffix(r.Pattern, "/{id}")])
		}
		t.Run(r.String(), func(t *testing.T) {
			// Nobody without a token.
			h.Do(nil, r.Method, path, nil).MustProblem(t, http.StatusUnauthorized)
			// Customers read nothing here.
			h.Do(&customer, r.Method, path, nil).MustProblem(t, http.StatusForbidden)
			if r.Method == "GET" {
				h.Do(&agent, r.Method, path, nil).Must(t, http.StatusOK)
				return
			}
			// Only admins write: an agent's write is refused before its body is read.
			h.Do(&agent, r.Method, path, map[string]any{"name": "x"}).MustProblem(t, http.StatusForbidden)
		})
	}
	// Nothing the refused writes sent changed anything.
	for path, id := range ids {
		if v := h.Do(&admin, "GET", path+"/"+id, nil).Must(t, http.StatusOK).Version(); v != 1 {
			t.Errorf("%s/%s has version %d after refused writes, want 1", path, id, v)
		}
	}
}

func TestBadTokens(t *testing.T) {
	h := newHarness(t)
	for name, auth := range map[string]string{
		"no bearer":   "Basic YWRtaW46YWRtaW4=",
		"garbage":     "Bearer not.a.token",
		"forged":      "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0ZW5hbnQiOiJhY21lIiwic3ViIjoiYm9zcyIsImNvZ25pdG86Z3JvdXBzIjpbImFkbWluIl0sInRva2VuX3VzZSI6ImFjY2VzcyIsImlzcyI6ImFyZW5kZWhhbnRlcmluZy1sb2NhbCJ9.c2lnbmF0dXJl",
		"alg none":    "Bearer eyJhbGciOiJub25lIn0.eyJ0ZW5hbnQiOiJhY21lIn0.",
		"empty token": "Bearer ",
	} {
		t.Run(name, func(t *testing.T) {
			h.Do(nil, "GET", "/v1/settings/statuses", nil, "Authorization", auth).MustProblem(t, http.StatusUnauthorized)
		})
	}
	t.Run("expired", func(t *testing.T) {
		tok, err := h.tokens.Mint(admin)
		if err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(13 * 60 * 60 * 1e9)
		h.Do(nil, "GET", "/v1/settings/statuses", nil, "Authorization", "Bearer "+tok).MustProblem(t, http.StatusUnauthorized)
	})
}

// TestTenantIsolation calls every settings route with another tenant's
// admin token and the first tenant's IDs: every ID answers 404, no list
// shows them, and nothing of the first tenant changes.
func TestTenantIsolation(t *testing.T) {
	h := newHarness(t)
	ids := seedOneOfEach(t, h)
	before := h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)

	for _, r := range settings.Routes(nil) {
		if r.Pattern == "/v1/me" {
			continue // one's own profile: TestMe
		}
		t.Run(r.String(), func(t *testing.T) {
			if !strings.Contains(r.Pattern, "{id}") {
				if r.Method != "GET" {
					return // singletons and texts: the intruder's writes are to its own tenant (checked below)
				}
				path := strings.ReplaceAll(r.Pattern, "{key}", "case-created")
				res := h.Do(&intruder, "GET", path, nil).Must(t, http.StatusOK)
				for _, id := range ids {
					if strings.Contains(string(res.Raw), id) {
						t.Fatalf("%s of tenant other shows tenant acme's %s", path, id)
					}
				}
				return
			}
			collection := strings.TrimSuffix(r.Pattern, "/{id}")
			path := collection + "/" + ids[collection]
			var body any
			if r.Method == "PATCH" {
				body = map[string]any{"name": "taken over"}
			}
			h.Do(&intruder, r.Method, path, body, "If-Match", `"1"`).MustProblem(t, http.StatusNotFound)
		})
	}

	// The intruder's singleton writes land in its own tenant only.
	h.Do(&intruder, "PUT", "/v1/settings/general", map[string]any{
		"customerAccess": "none", "timeZone": "Europe/London", "locale": "en",
	}, "If-Match", `"1"`).Must(t, http.StatusOK)
	after := h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	if string(after.Raw) != string(before.Raw) {
		t.Errorf("tenant acme's general settings changed: %s -> %s", before.Raw, after.Raw)
	}
	for path, id := range ids {
		if v := h.Do(&admin, "GET", path+"/"+id, nil).Must(t, http.StatusOK).Version(); v != 1 {
			t.Errorf("%s/%s has version %d, want 1", path, id, v)
		}
	}
}
