package settings_test

import (
	"fmt"
	"net/http"
	"testing"
)

const prioritiesPath = "/v1/settings/priorities"

func TestPriorityColorMustBeRRGGBB(t *testing.T) {
	h := newHarness(t)
	path := prioritiesPath + "/priority-high"
	for _, c := range badColors {
		t.Run("create/"+c, func(t *testing.T) {
			before := ruleRead(t, h, prioritiesPath)
			h.Do(&admin, "POST", prioritiesPath, map[string]any{"name": "Mellan", "color": c, "startWithin": "PT8H", "resolveWithin": "P3D", "order": 25}).
				MustProblem(t, http.StatusBadRequest, "color")
			ruleUnchanged(t, h, prioritiesPath, before)
		})
		t.Run("patch/"+c, func(t *testing.T) {
			before := ruleRead(t, h, path)
			h.Do(&admin, "PATCH", path, map[string]any{"color": c}, ifMatch(before.Version())...).
				MustProblem(t, http.StatusBadRequest, "color")
			ruleUnchanged(t, h, path, before)
		})
	}
}

func TestPriorityDurations(t *testing.T) {
	h := newHarness(t)
	body := func(start, resolve string) map[string]any {
		return map[string]any{"name": "Mellan", "color": "#336699", "startWithin": start, "resolveWithin": resolve, "order": 25}
	}

	bad := []string{"4 hours", "4h", "P1M", "P1Y", "P1Y2D", "", "P", "PT", "PT0S", "P0D", "-PT4H", "P400D", "PT4H ", "pt4h"}
	for _, d := range bad {
		for _, field := range []string{"startWithin", "resolveWithin"} {
			t.Run(fmt.Sprintf("create/%s=%q", field, d), func(t *testing.T) {
				b := body("PT4H", "P20D")
				b[field] = d
				before := ruleRead(t, h, prioritiesPath)
				h.Do(&admin, "POST", prioritiesPath, b).MustProblem(t, http.StatusBadRequest, field)
				ruleUnchanged(t, h, prioritiesPath, before)
			})
			t.Run(fmt.Sprintf("patch/%s=%q", field, d), func(t *testing.T) {
				path := prioritiesPath + "/priority-low"
				before := ruleRead(t, h, path)
				h.Do(&admin, "PATCH", path, map[string]any{field: d}, ifMatch(before.Version())...).
					MustProblem(t, http.StatusBadRequest, field)
				ruleUnchanged(t, h, path, before)
			})
		}
	}

	t.Run("startWithin longer than resolveWithin", func(t *testing.T) {
		for _, pair := range [][2]string{{"P3D", "P2D"}, {"PT25H", "P1D"}, {"P1W", "P6D"}} {
			before := ruleRead(t, h, prioritiesPath)
			h.Do(&admin, "POST", prioritiesPath, body(pair[0], pair[1])).MustProblem(t, http.StatusBadRequest, "startWithin")
			ruleUnchanged(t, h, prioritiesPath, before)
		}
		// On a patch the check uses the stored other half: Akut resolves
		// within PT8H.
		path := prioritiesPath + "/priority-urgent"
		before := ruleRead(t, h, path)
		h.Do(&admin, "PATCH", path, map[string]any{"startWithin": "PT9H"}, ifMatch(before.Version())...).
			MustProblem(t, http.StatusBadRequest, "startWithin")
		ruleUnchanged(t, h, path, before)
	})

	good := [][2]string{{"PT4H", "P2D"}, {"P2D", "P2D"}, {"PT30M", "PT1H"}, {"P1D", "P1W"}, {"PT1H30M", "P1DT12H"}}
	for i, pair := range good {
		t.Run(fmt.Sprintf("accepted/%s..%s", pair[0], pair[1]), func(t *testing.T) {
			b := body(pair[0], pair[1])
			b["name"] = fmt.Sprintf("Nivå %d", i)
			r := ruleCreate(t, h, prioritiesPath, b)
			if r.Str("startWithin") != pair[0] || r.Str("resolveWithin") != pair[1] {
				t.Errorf("created %s", r.Raw)
			}
		})
	}
}

func TestPriorityExactlyOneDefault(t *testing.T) {
	h := newHarness(t)
	def := prioritiesPath + "/priority-normal"

	t.Run("a new default replaces the former", func(t *testing.T) {
		r := ruleCreate(t, h, prioritiesPath, map[string]any{"name": "Standard", "color": "#336699", "startWithin": "PT8H", "resolveWithin": "P3D", "order": 15, "isDefault": true})
		items := ruleRead(t, h, prioritiesPath).Items()
		n, id := ruleDefaults(items)
		if n != 1 || id != r.Str("id") {
			t.Errorf("%d defaults, the last %s; want exactly 1, %s: %v", n, id, r.Str("id"), items)
		}
		former := ruleRead(t, h, def)
		if former.Body["isDefault"] != false || former.Version() != 2 {
			t.Errorf("the former default is %s; want isDefault false at version 2", former.Raw)
		}
		def = prioritiesPath + "/" + r.Str("id")
	})
	t.Run("PATCH isDefault false on the default", func(t *testing.T) {
		before := ruleRead(t, h, def)
		h.Do(&admin, "PATCH", def, map[string]any{"isDefault": false}, ifMatch(before.Version())...).
			MustProblem(t, http.StatusBadRequest, "isDefault")
		ruleUnchanged(t, h, def, before)
	})
	t.Run("deleting the default", func(t *testing.T) {
		before := ruleRead(t, h, prioritiesPath)
		h.Do(&admin, "DELETE", def, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
		ruleUnchanged(t, h, prioritiesPath, before)
	})
	t.Run("PATCH isDefault true moves the default", func(t *testing.T) {
		rulePatch(t, h, prioritiesPath+"/priority-high", map[string]any{"isDefault": true}).Must(t, http.StatusOK)
		n, id := ruleDefaults(ruleRead(t, h, prioritiesPath).Items())
		if n != 1 || id != "priority-high" {
			t.Errorf("%d defaults, the last %s; want exactly 1, priority-high", n, id)
		}
		h.Do(&admin, "DELETE", def, nil, "If-Match", "*").Must(t, http.StatusNoContent)
		h.Do(&admin, "GET", def, nil).MustProblem(t, http.StatusNotFound)
	})
}
