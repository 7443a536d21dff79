package settings_test

import (
	"net/http"
	"strings"
	"testing"
)

// veryLong are durations past what a time.Duration holds (about 292
// years): they must be refused with the real limit, not read as negative.
var veryLong = []string{"P106752D", "PT2562048H", "P15250W", "PT153722867M", "PT9223372037S", "P99999999999999999999D", "P367D"}

// ruleTooLong insists that r refuses field with the limit of durations.
func ruleTooLong(t *testing.T, r response, field string) {
	t.Helper()
	msg := ruleMessages(r)
	if !strings.Contains(msg, "at most 366 days (P366D)") || strings.Contains(msg, "longer than zero") {
		t.Errorf("%s: %s", field, msg)
	}
}

// TestVeryLongDurationsNameTheLimit: every duration of the settings is at
// most 366 days, and a longer one is refused saying so, however long.
func TestVeryLongDurationsNameTheLimit(t *testing.T) {
	h := newHarness(t)
	for _, d := range veryLong {
		t.Run(d, func(t *testing.T) {
			for _, field := range []string{"startWithin", "resolveWithin"} {
				b := map[string]any{"name": "Mellan", "color": "#336699", "startWithin": "PT4H", "resolveWithin": "P300D", "order": 25}
				b[field] = d
				ruleTooLong(t, h.Do(&admin, "POST", prioritiesPath, b).MustProblem(t, http.StatusBadRequest, field), field)
			}

			r := h.Do(&admin, "POST", "/v1/settings/task-templates", map[string]any{"name": "Mall",
				"tasks": []map[string]any{{"title": "Ring kunden", "dueWithin": d}}}).MustProblem(t, http.StatusBadRequest, "tasks[0].dueWithin")
			ruleTooLong(t, r, "dueWithin")

			portal := ruleRead(t, h, portalPath).Editable()
			portal["deadlineWithin"] = d
			ruleTooLong(t, ruleRefusedPut(t, h, portalPath, portal, "deadlineWithin"), "deadlineWithin")

			conv := ruleRead(t, h, conversationsPath).Editable()
			conv["linkValidFor"] = d
			ruleTooLong(t, ruleRefusedPut(t, h, conversationsPath, conv, "linkValidFor"), "linkValidFor")
		})
	}
	// The limit itself is allowed.
	ruleCreate(t, h, prioritiesPath, map[string]any{"name": "Långsam", "color": "#336699", "startWithin": "P366D", "resolveWithin": "P366D", "order": 50})
}
