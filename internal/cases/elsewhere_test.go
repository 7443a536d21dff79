package cases_test

import (
	"net/http"
	"strings"
	"testing"
)

// problemSays fails unless the 400 names field with a message that
// contains want.
func problemSays(t *testing.T, r response, field, want string) {
	t.Helper()
	for _, e := range r.List("errors") {
		if e["field"] == field && strings.Contains(e["message"].(string), want) {
			return
		}
	}
	t.Errorf("the 400 does not say %q of %s: %s", want, field, r.Raw)
}

// TestFieldsOfOtherRoutes: what a case has that its PATCH does not change
// is refused with the route that changes it, never accepted and dropped:
// tasks, time reports, comments and events always; the customer, contact
// and type when they differ from the stored ones (sent back unchanged,
// like the computed fields, they are accepted).
func TestFieldsOfOtherRoutes(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	b := w.validService("Annan väg")
	b["customerId"], b["contactId"] = w.custA, w.anna
	id := h.create(t, b).Str("id")
	path := "/v1/cases/" + id
	before := h.get(t, id)
	for _, tc := range []struct {
		field string
		value any
		says  string
	}{
		{"tasks", []map[string]any{{"title": "Ny uppgift"}}, path + "/tasks"},
		{"timeReports", []map[string]any{{"date": "2026-11-26", "minutes": 5}}, path + "/time-reports"},
		{"comments", []map[string]any{{"body": "Hej"}}, "POST " + path + "/comments"},
		{"events", []map[string]any{}, "GET " + path + "/events"},
		{"customerId", w.custB, "POST " + path + "/customer"},
		{"contactId", w.bo, "POST " + path + "/customer"},
		{"contactId", nil, "POST " + path + "/customer"},
		{"typeId", w.question, "keeps the type"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			r := h.Do(&agent, "PATCH", path, map[string]any{tc.field: tc.value, "title": "Ändrad"}, ifMatch(1)...).
				MustProblem(t, http.StatusBadRequest, tc.field)
			problemSays(t, r, tc.field, tc.says)
		})
	}
	// The whole detail view sent back (its tasks with it) is refused too:
	// its tasks would not be changed.
	echo := h.get(t, id).Body
	echo["title"] = "Eko"
	echo["tasks"].([]any)[0].(map[string]any)["title"] = "Ändrad uppgift"
	problemSays(t, h.Do(&agent, "PATCH", path, echo).MustProblem(t, http.StatusBadRequest, "tasks"), "tasks", path+"/tasks")
	h.unchanged(t, id, before, 1)

	// On create, the tasks come from the type's template: more are added
	// once the case exists.
	body := w.validService("Med uppgifter")
	body["tasks"] = []map[string]any{{"title": "x"}}
	problemSays(t, h.Do(&agent, "POST", "/v1/cases", body).MustProblem(t, http.StatusBadRequest, "tasks"), "tasks", "/v1/cases/{id}/tasks")
	if n := len(h.listIDs(t, "")); n != 1 {
		t.Errorf("%d cases listed, want 1", n)
	}

	// Sent back unchanged, the customer, contact and type are accepted.
	h.Do(&agent, "PATCH", path, map[string]any{"customerId": w.custA, "contactId": w.anna, "typeId": w.service, "title": "Samma"}, ifMatch(1)...).
		Must(t, http.StatusOK)
}
