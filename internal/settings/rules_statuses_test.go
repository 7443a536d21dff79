package settings_test

import (
	"net/http"
	"testing"
)

const statusesPath = "/v1/settings/statuses"

// badColors are colours the API refuses: it takes #RRGGBB only.
var badColors = []string{"red", "#12345", "#1234567", "#GGGGGG", "12345F", "#FFF", "", " #123456", "#123456 "}

func TestStatusColorMustBeRRGGBB(t *testing.T) {
	h := newHarness(t)
	path := statusesPath + "/status-in-progress"
	for _, c := range badColors {
		ruleRefusedWrites(t, h, statusesPath, path, c, "color",
			map[string]any{"name": "Granskas", "color": c, "category": "open", "order": 25}, map[string]any{"color": c})
	}
	for _, c := range []string{"#12AB9f", "#000000", "#ffffff"} {
		t.Run("accepted/"+c, func(t *testing.T) {
			r := rulePatch(t, h, path, map[string]any{"color": c}).Must(t, http.StatusOK)
			if r.Str("color") != c {
				t.Errorf("color %q, want %q", r.Str("color"), c)
			}
		})
	}
}

func TestStatusCategory(t *testing.T) {
	h := newHarness(t)
	path := statusesPath + "/status-in-progress"
	for _, c := range []string{"done", "", "Open", "closed "} {
		ruleRefusedWrites(t, h, statusesPath, path, c, "category",
			map[string]any{"name": "Granskas", "color": "#123456", "category": c, "order": 25}, map[string]any{"category": c})
	}
	for i, c := range []string{"new", "open", "waiting", "closed"} {
		t.Run("accepted/"+c, func(t *testing.T) {
			r := ruleCreate(t, h, statusesPath, map[string]any{"name": "Extra " + c, "color": "#123456", "category": c, "order": 50 + i})
			if r.Str("category") != c || r.Body["isDefault"] != false {
				t.Errorf("created %s", r.Raw)
			}
		})
	}
}

func TestStatusLastClosedRemains(t *testing.T) {
	h := newHarness(t)
	closed := statusesPath + "/status-closed"

	t.Run("delete the last closed status", func(t *testing.T) {
		before := ruleRead(t, h, statusesPath)
		r := h.Do(&admin, "DELETE", closed, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
		if r.Detail() == "" {
			t.Errorf("409 without a detail: %s", r.Raw)
		}
		ruleUnchanged(t, h, statusesPath, before)
	})
	t.Run("change the category of the last closed status", func(t *testing.T) {
		for _, c := range []string{"open", "waiting", "new"} {
			before := ruleRead(t, h, closed)
			h.Do(&admin, "PATCH", closed, map[string]any{"category": c}, ifMatch(before.Version())...).
				MustProblem(t, http.StatusBadRequest, "category")
			ruleUnchanged(t, h, closed, before)
		}
	})
	t.Run("the last new status stays new", func(t *testing.T) {
		// Status "Ny" is the only new status (and the default).
		path := statusesPath + "/status-new"
		before := ruleRead(t, h, path)
		h.Do(&admin, "PATCH", path, map[string]any{"category": "open", "isDefault": false}, ifMatch(before.Version())...).
			MustProblem(t, http.StatusBadRequest, "category", "isDefault")
		ruleUnchanged(t, h, path, before)
	})
	t.Run("with a second closed status the first may go", func(t *testing.T) {
		other := ruleCreate(t, h, statusesPath, map[string]any{"name": "Makulerad", "color": "#777777", "category": "closed", "order": 50})
		r := rulePatch(t, h, closed, map[string]any{"category": "waiting"}).Must(t, http.StatusOK)
		if r.Str("category") != "waiting" {
			t.Errorf("category %q, want waiting", r.Str("category"))
		}
		// Now Makulerad is the last closed status.
		otherPath := statusesPath + "/" + other.Str("id")
		before := ruleRead(t, h, statusesPath)
		h.Do(&admin, "DELETE", otherPath, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
		ruleUnchanged(t, h, statusesPath, before)

		rulePatch(t, h, closed, map[string]any{"category": "closed"}).Must(t, http.StatusOK)
		h.Do(&admin, "DELETE", otherPath, nil, "If-Match", "*").Must(t, http.StatusNoContent)
		h.Do(&admin, "GET", otherPath, nil).MustProblem(t, http.StatusNotFound)
	})
}

func TestStatusExactlyOneDefault(t *testing.T) {
	h := newHarness(t)
	body := map[string]any{"name": "Inkommen", "color": "#00AA00", "category": "new", "order": 5, "isDefault": true}
	ruleExactlyOneDefault(t, h, statusesPath, "status-new", "status-new", body, func(t *testing.T, def string) {
		t.Run("isDefault on a status not of category new", func(t *testing.T) {
			for _, c := range []string{"open", "waiting", "closed"} {
				before := ruleRead(t, h, statusesPath)
				h.Do(&admin, "POST", statusesPath, map[string]any{"name": "Fel " + c, "color": "#123456", "category": c, "order": 60, "isDefault": true}).
					MustProblem(t, http.StatusBadRequest, "isDefault")
				ruleUnchanged(t, h, statusesPath, before)
			}
			path := statusesPath + "/status-in-progress"
			before := ruleRead(t, h, statusesPath)
			h.Do(&admin, "PATCH", path, map[string]any{"isDefault": true}, ifMatch(1)...).
				MustProblem(t, http.StatusBadRequest, "isDefault")
			ruleUnchanged(t, h, statusesPath, before)
			// Nor can the default leave category new.
			one := ruleRead(t, h, def)
			h.Do(&admin, "PATCH", def, map[string]any{"category": "open"}, ifMatch(one.Version())...).
				MustProblem(t, http.StatusBadRequest, "isDefault")
			ruleUnchanged(t, h, def, one)
		})
	})
}

func TestStatusUsedByExternalSettingsStaysNewOrOpen(t *testing.T) {
	h := newHarness(t)
	id := h.Do(&admin, "POST", "/v1/settings/statuses", map[string]any{"name": "Inkommen", "color": "#123456", "category": "open", "order": 5}).Must(t, http.StatusCreated).Str("id")
	h.Do(&admin, "PUT", "/v1/settings/external", map[string]any{"statusId": id, "assignees": map[string]any{}}, "If-Match", `"1"`).Must(t, http.StatusOK)
	h.Do(&admin, "PATCH", "/v1/settings/statuses/"+id, map[string]any{"category": "closed"}, "If-Match", `"1"`).MustProblem(t, http.StatusBadRequest, "category")
	if got := h.Do(&admin, "GET", "/v1/settings/statuses/"+id, nil).Str("category"); got != "open" {
		t.Errorf("category %q after a refused change, want open", got)
	}
}
