package settings_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestStaleVersionChangesNothing(t *testing.T) {
	h := newHarness(t)
	created := h.do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej!"}).must(t, http.StatusCreated)
	path := created.Header.Get("Location")
	if path != "/v1/settings/canned-responses/"+created.str("id") {
		t.Fatalf("Location %q", path)
	}
	h.do(&admin, "PATCH", path, map[string]any{"body": "Hej igen!"}, "If-Match", `"1"`).must(t, http.StatusOK)

	t.Run("stale If-Match", func(t *testing.T) {
		res := h.do(&admin, "PATCH", path, map[string]any{"body": "lost update"}, "If-Match", `"1"`).mustProblem(t, http.StatusPreconditionFailed)
		if !strings.Contains(res.detail(), "version") {
			t.Errorf("detail %q does not explain the version", res.detail())
		}
	})
	t.Run("stale body version", func(t *testing.T) {
		h.do(&admin, "PATCH", path, map[string]any{"body": "lost update", "version": 1}).mustProblem(t, http.StatusPreconditionFailed)
	})
	t.Run("no version", func(t *testing.T) {
		h.do(&admin, "PATCH", path, map[string]any{"body": "blind write"}).mustProblem(t, http.StatusBadRequest, "version")
	})
	t.Run("If-Match and body disagree", func(t *testing.T) {
		h.do(&admin, "PATCH", path, map[string]any{"body": "x", "version": 1}, "If-Match", `"2"`).mustProblem(t, http.StatusBadRequest, "version")
	})
	t.Run("stale delete", func(t *testing.T) {
		h.do(&admin, "DELETE", path, nil, "If-Match", `"1"`).mustProblem(t, http.StatusPreconditionFailed)
	})
	t.Run("stale singleton put", func(t *testing.T) {
		h.do(&admin, "PUT", "/v1/settings/general", map[string]any{"customerAccess": "portal", "timeZone": "Europe/Stockholm", "locale": "sv"}, "If-Match", `"1"`).must(t, http.StatusOK)
		h.do(&admin, "PUT", "/v1/settings/general", map[string]any{"customerAccess": "none", "timeZone": "Europe/Stockholm", "locale": "sv"}, "If-Match", `"1"`).mustProblem(t, http.StatusPreconditionFailed)
		if got := h.do(&admin, "GET", "/v1/settings/general", nil).str("customerAccess"); got != "portal" {
			t.Errorf("customerAccess %q after a stale put, want portal", got)
		}
	})

	got := h.do(&admin, "GET", path, nil).must(t, http.StatusOK)
	if got.str("body") != "Hej igen!" || got.version() != 2 || got.Header.Get("ETag") != `"2"` {
		t.Errorf("after stale writes: %s (ETag %s)", got.Raw, got.Header.Get("ETag"))
	}
}

func TestMergePatchKeepsWhatIsNotSent(t *testing.T) {
	h := newHarness(t)
	c := h.do(&admin, "POST", "/v1/settings/statuses", map[string]any{"name": "Granskas", "color": "#123456", "category": "open", "order": 25, "visibleToCustomer": true}).must(t, http.StatusCreated)
	res := h.do(&admin, "PATCH", "/v1/settings/statuses/"+c.str("id"), `{"color":"#654321"}`, "If-Match", `"1"`, "Content-Type", "application/merge-patch+json").must(t, http.StatusOK)
	if res.str("name") != "Granskas" || res.str("color") != "#654321" || res.Body["visibleToCustomer"] != true || res.str("createdAt") != c.str("createdAt") {
		t.Errorf("merge patch result %s", res.Raw)
	}
	if res.str("updatedAt") == "" || res.version() != 2 {
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
			res := h.do(&admin, "POST", "/v1/settings/canned-responses", tc.body)
			if tc.field != "" {
				res.mustProblem(t, tc.status, tc.field)
			} else {
				res.mustProblem(t, tc.status)
			}
		})
	}
	t.Run("wrong content type", func(t *testing.T) {
		h.do(&admin, "POST", "/v1/settings/canned-responses", `{"name":"A","body":"B"}`, "Content-Type", "text/plain").mustProblem(t, http.StatusUnsupportedMediaType)
	})
	t.Run("hostile ID in path", func(t *testing.T) {
		h.do(&admin, "GET", "/v1/settings/statuses/..%2F..%2Fx", nil).mustProblem(t, http.StatusNotFound)
		h.do(&admin, "GET", "/v1/settings/statuses/"+strings.Repeat("a", 65), nil).mustProblem(t, http.StatusNotFound)
		h.do(&admin, "GET", "/v1/settings/statuses/T%23other%23SETTINGS", nil).mustProblem(t, http.StatusNotFound)
	})
	t.Run("unknown route", func(t *testing.T) {
		h.do(&admin, "GET", "/v1/settings/nothing", nil).mustProblem(t, http.StatusNotFound)
	})
	if n := len(h.do(&admin, "GET", "/v1/settings/canned-responses", nil).must(t, http.StatusOK).items()); n != 0 {
		t.Errorf("%d canned responses stored from refused requests", n)
	}
}

// TestReadModifyWrite: what a GET answers can be sent back as the PUT body
// with a change; server-owned fields may come back unchanged, not changed.
func TestReadModifyWrite(t *testing.T) {
	h := newHarness(t)
	got := h.do(&admin, "GET", "/v1/settings/general", nil).must(t, http.StatusOK)
	body := got.Body
	body["customerAccess"] = "portal"
	res := h.do(&admin, "PUT", "/v1/settings/general", body).must(t, http.StatusOK)
	if res.str("customerAccess") != "portal" || res.version() != 2 || res.str("createdAt") != got.str("createdAt") {
		t.Errorf("round trip answered %s", res.Raw)
	}

	body = res.Body
	body["createdAt"] = "2001-01-01T00:00:00Z"
	h.do(&admin, "PUT", "/v1/settings/general", body).mustProblem(t, http.StatusBadRequest, "createdAt")
	body = res.Body
	body["createdAt"] = got.str("createdAt")
	body["id"] = "someone-else"
	h.do(&admin, "PUT", "/v1/settings/general", body).mustProblem(t, http.StatusBadRequest, "id")
}

// TestIfMatchStar overwrites whatever version is stored, as RFC 9110 says.
func TestIfMatchStar(t *testing.T) {
	h := newHarness(t)
	c := h.do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej"}).must(t, http.StatusCreated)
	path := c.Header.Get("Location")
	h.do(&admin, "PATCH", path, map[string]any{"body": "Hej då"}, "If-Match", `"1"`).must(t, http.StatusOK)
	res := h.do(&admin, "PATCH", path, map[string]any{"body": "Hej hej"}, "If-Match", "*").must(t, http.StatusOK)
	if res.version() != 3 || res.str("body") != "Hej hej" {
		t.Errorf("If-Match * answered %s", res.Raw)
	}
	h.do(&admin, "DELETE", path, nil, "If-Match", "*").must(t, http.StatusNoContent)
}

// TestDeleteNeedsTheVersion: a delete without If-Match answers 428 and
// removes nothing.
func TestDeleteNeedsTheVersion(t *testing.T) {
	h := newHarness(t)
	path := h.do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Hej", "body": "Hej"}).must(t, http.StatusCreated).Header.Get("Location")
	h.do(&admin, "DELETE", path, nil).mustProblem(t, http.StatusPreconditionRequired)
	h.do(&admin, "GET", path, nil).must(t, http.StatusOK)
	h.do(&admin, "DELETE", path, nil, "If-Match", `"1"`).must(t, http.StatusNoContent)
	h.do(&admin, "GET", path, nil).mustProblem(t, http.StatusNotFound)
}

// TestNestedNamesAreExact: field names match letter for letter at every
// depth, in merge patches too.
func TestNestedNamesAreExact(t *testing.T) {
	h := newHarness(t)
	id := h.do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Service"}).must(t, http.StatusCreated).str("id")
	h.do(&admin, "PATCH", "/v1/settings/case-types/"+id, `{"assignees":{"Users":[]}}`, "If-Match", `"1"`).mustProblem(t, http.StatusBadRequest, "assignees.Users")
	h.do(&admin, "PATCH", "/v1/settings/case-types/"+id, `{"Name":"X"}`, "If-Match", `"1"`).mustProblem(t, http.StatusBadRequest, "Name")
	if got := h.do(&admin, "GET", "/v1/settings/case-types/"+id, nil).str("name"); got != "Service" {
		t.Errorf("name %q after refused patches", got)
	}
}
