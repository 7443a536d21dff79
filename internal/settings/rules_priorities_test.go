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
		ruleRefusedWrites(t, h, prioritiesPath, path, c, "color",
			map[string]any{"name": "Mellan", "color": c, "startWithin": "PT8H", "resolveWithin": "P3D", "order": 25}, map[string]any{"color": c})
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
			b := body("PT4H", "P20D")
			b[field] = d
			ruleRefusedWrites(t, h, prioritiesPath, prioritiesPath+"/priority-low", fmt.Sprintf("%s=%q", field, d), field, b, map[string]any{field: d})
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
	ruleExactlyOneDefault(t, newHarness(t), prioritiesPath, "priority-normal", "priority-high",
		map[string]any{"name": "Standard", "color": "#336699", "startWithin": "PT8H", "resolveWithin": "P3D", "order": 15, "isDefault": true}, nil)
}
