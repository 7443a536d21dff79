package settings_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestStaleVersionChangesNothing(t *testing.T) {
	h := newHarness(t)
	created := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej!"}).Must(t, http.StatusCreated)
	path := created.Header.Get("Location")
	if path != "/v1/settings/canned-responses/"+created.Str("id") {
		t.Fatalf("Location %q", path)
	}
	h.Do(&admin, "PATCH", path, map[string]any{"body": "Hej igen!"}, "If-Match", `"1"`).Must(t, http.StatusOK)

	t.Run("stale If-Match", func(t *testing.T) {
		res := h.Do(&admin, "PATCH", path, map[string]any{"body": "lost update"}, "If-Match", `"1"`).MustProblem(t, http.StatusPreconditionFailed)
		if !strings.Contains(res.Detail(), "version") {
			t.Errorf("detail %q does not explain the version", res.Detail())
		}
	})
	t.Run("stale body version", func(t *testing.T) {
		h.Do(&admin, "PATCH", path, map[string]any{"body": "lost update", "version": 1}).MustProblem(t, http.StatusPreconditionFailed)
	})
	t.Run("no version", func(t *testing.T) {
		h.Do(&admin, "PATCH", path, map[string]any{"body": "blind write"}).MustProblem(t, http.StatusBadRequest, "version")
	})
	t.Run("If-Match and body disagree", func(t *testing.T) {
		h.Do(&admin, "PATCH", path, map[string]any{"body": "x", "version": 1}, "If-Match", `"2"`).MustProblem(t, http.StatusBadRequest, "version")
	})
	t.Run("stale delete", func(t *testing.T) {
		h.Do(&admin, "DELETE", path, nil, "If-Match", `"1"`).MustProblem(t, http.StatusPreconditionFailed)
	})
	t.Run("stale singleton put", func(t *testing.T) {
		h.Do(&admin, "PUT", "/v1/settings/general", map[string]any{"customerAccess": "portal", "timeZone": "Europe/Stockholm", "locale": "sv"}, "If-Match", `"1"`).Must(t, http.StatusOK)
		h.Do(&admin, "PUT", "/v1/settings/general", map[string]any{"customerAccess": "none", "timeZone": "Europe/Stockholm", "locale": "sv"}, "If-Match", `"1"`).MustProblem(t, http.StatusPreconditionFailed)
		if got := h.Do(&admin, "GET", "/v1/settings/general", nil).Str("customerAccess"); got != "portal" {
			t.Errorf("customerAccess %q after a stale put, want portal", got)
		}
	})

	got := h.Do(&admin, "GET", path, nil).Must(t, http.StatusOK)
	if got.Str("body") != "Hej igen!" || got.Version() != 2 || got.Header.Get("ETag") != `"2"` {
		t.Errorf("after stale writes: %s (ETag %s)", got.Raw, got.Header.Get("ETag"))
	}
}

func TestMergePatchKeepsWhatIsNotSent(t *testing.T) {
	h := newHarness(t)
	c := h.Do(&admin, "POST", "/v1/settings/statuses", map[string]any{"name": "Granskas", "color": "#123456", "category": "open", "order": 25, "visibleToCustomer": true}).Must(t, http.StatusCreated)
	res := h.Do(&admin, "PATCH", "/v1/settings/statuses/"+c.Str("id"), `{"color":"#654321"}`, "If-Match", `"1"`, "Content-Type", "application/merge-patch+json").Must(t, http.StatusOK)
	if res.Str("name") != "Granskas" || res.Str("color") != "#654321" || res.Body["visibleToCustomer"] != true || res.Str("createdAt") != c.Str("createdAt") {
		t.Errorf("merge patch result %s", res.Raw)
	}
	if res.Str("updatedAt") == "" || res.Version() != 2 {
		t.Errorf("updatedAt/version not advanced: %s", res.Raw)
	}
}

func TestHostileInputIsRefused(t *testing.T) {
	h := newHarness(t)
	long := strings.Repeat("å", 101)
	for _, tc := range []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"unknown field", `{"name":"A","body":"B","tenantId":"other"}`, 400, "tenantId"},
		{"sets id", `{"id":"mine","name":"A","body":"B"}`, 400, "id"},
		{"sets version", `{"version":7,"name":"A","body":"B"}`, 400, "version"},
		{"sets createdAt", `{"createdAt":"2020-01-01T00:00:00Z","name":"A","body":"B"}`, 400, "createdAt"},
		{"misspelled field", `{"nmae":"A","body":"B"}`, 400, "nmae"},
		{"field in the wrong case", `{"Name":"A","body":"B"}`, 400, "Name"},
		{"wrong type", `{"name":7,"body":"B"}`, 400, "name"},
		{"name too long", map[string]any{"name": long, "body": "B"}, 400, "name"},
		{"empty name", map[string]any{"name": "", "body": "B"}, 400, "name"},
		{"not json", `name=A`, 400, ""},
		{"two objects", `{"name":"A","body":"B"}{"name":"C","body":"D"}`, 400, ""},
		{"array", `[{"name":"A","body":"B"}]`, 400, ""},
		{"empty", ``, 400, ""},
		{"too large", `{"name":"A","body":"` + strings.Repeat("x", 1<<20) + `"}`, 413, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.Do(&admin, "POST", "/v1/settings/canned-responses", tc.body)
			if tc.field != "" {
				res.MustProblem(t, tc.status, tc.field)
			} else {
				res.MustProblem(t, tc.status)
			}
		})
	}
	t.Run("wrong content type", func(t *testing.T) {
		h.Do(&admin, "POST", "/v1/settings/canned-responses", `{"name":"A","body":"B"}`, "Content-Type", "text/plain").MustProblem(t, http.StatusUnsupportedMediaType)
	})
	t.Run("hostile ID in path", func(t *testing.T) {
		h.Do(&admin, "GET", "/v1/settings/statuses/..%2F..%2Fx", nil).MustProblem(t, http.StatusNotFound)
		h.Do(&admin, "GET", "/v1/settings/statuses/"+strings.Repeat("a", 65), nil).MustProblem(t, http.StatusNotFound)
		h.Do(&admin, "GET", "/v1/settings/statuses/T%23other%23SETTINGS", nil).MustProblem(t, http.StatusNotFound)
	})
	t.Run("unknown route", func(t *testing.T) {
		h.Do(&admin, "GET", "/v1/settings/nothing", nil).MustProblem(t, http.StatusNotFound)
	})
	if n := len(h.Do(&admin, "GET", "/v1/settings/canned-responses", nil).Must(t, http.StatusOK).Items()); n != 0 {
		t.Errorf("%d canned responses stored from refused requests", n)
	}
}

// TestReadModifyWrite: what a GET answers can be sent back as the PUT body
// with a change; server-owned fields may come back unchanged, not changed.
func TestReadModifyWrite(t *testing.T) {
	h := newHarness(t)
	got := h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	body := got.Body
	body["customerAccess"] = "portal"
	res := h.Do(&admin, "PUT", "/v1/settings/general", body).Must(t, http.StatusOK)
	if res.Str("customerAccess") != "portal" || res.Version() != 2 || res.Str("createdAt") != got.Str("createdAt") {
		t.Errorf("round trip answered %s", res.Raw)
	}

	body = res.Body
	body["createdAt"] = "2001-01-01T00:00:00Z"
	h.Do(&admin, "PUT", "/v1/settings/general", body).MustProblem(t, http.StatusBadRequest, "createdAt")
	body = res.Body
	body["createdAt"] = got.Str("createdAt")
	body["id"] = "someone-else"
	h.Do(&admin, "PUT", "/v1/settings/general", body).MustProblem(t, http.StatusBadRequest, "id")
}

// TestIfMatchStar overwrites whatever version is stored, as RFC 9110 says.
func TestIfMatchStar(t *testing.T) {
	h := newHarness(t)
	c := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej"}).Must(t, http.StatusCreated)
	path := c.Header.Get("Location")
	h.Do(&admin, "PATCH", path, map[string]any{"body": "Hej då"}, "If-Match", `"1"`).Must(t, http.StatusOK)
	res := h.Do(&admin, "PATCH", path, map[string]any{"body": "Hej hej"}, "If-Match", "*").Must(t, http.StatusOK)
	if res.Version() != 3 || res.Str("body") != "Hej hej" {
		t.Errorf("If-Match * answered %s", res.Raw)
	}
	h.Do(&admin, "DELETE", path, nil, "If-Match", "*").Must(t, http.StatusNoContent)
}

// TestDeleteNeedsTheVersion: a delete without If-Match answers 428 and
// removes nothing.
func TestDeleteNeedsTheVersion(t *testing.T) {
	h := newHarness(t)
	path := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej"}).Must(t, http.StatusCreated).Header.Get("Location")
	h.Do(&admin, "DELETE", path, nil).MustProblem(t, http.StatusPreconditionRequired)
	h.Do(&admin, "GET", path, nil).Must(t, http.StatusOK)
	h.Do(&admin, "DELETE", path, nil, "If-Match", `"1"`).Must(t, http.StatusNoContent)
	h.Do(&admin, "GET", path, nil).MustProblem(t, http.StatusNotFound)
}

// TestNestedNamesAreExact: field names match letter for letter at every
// depth, in merge patches too.
func TestNestedNamesAreExact(t *testing.T) {
	h := newHarness(t)
	id := h.Do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Service"}).Must(t, http.StatusCreated).Str("id")
	h.Do(&admin, "PATCH", "/v1/settings/case-types/"+id, `{"assignees":{"Users":[]}}`, "If-Match", `"1"`).MustProblem(t, http.StatusBadRequest, "assignees.Users")
	h.Do(&admin, "PATCH", "/v1/settings/case-types/"+id, `{"Name":"X"}`, "If-Match", `"1"`).MustProblem(t, http.StatusBadRequest, "Name")
	if got := h.Do(&admin, "GET", "/v1/settings/case-types/"+id, nil).Str("name"); got != "Service" {
		t.Errorf("name %q after refused patches", got)
	}
}
