package cases_test

import (
	"net/http"
	"testing"
)

// TestDateTimesOutsideTheYears: a date-time that is RFC 3339 but lies
// outside the years 0000 to 9999 once in UTC (where every time is stored
// and answered) is a 400 naming the field, on every route that takes one,
// and writes nothing. It was a 500, after the request had been accepted.
func TestDateTimesOutsideTheYears(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Datum")).Str("id")
	task := h.get(t, id).List("tasks")[0]["id"].(string)
	before := h.get(t, id)
	events := len(h.events(t, id))
	for _, bad := range []string{"9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00+00:01"} {
		t.Run(bad, func(t *testing.T) {
			body := w.validService("x")
			body["deadline"] = bad
			h.Do(&agent, "POST", "/v1/cases", body).MustProblem(t, http.StatusBadRequest, "deadline")
			h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"deadline": bad}, ifMatch(1)...).MustProblem(t, http.StatusBadRequest, "deadline")
			h.Do(&agent, "POST", "/v1/cases/"+id+"/tasks", map[string]any{"title": "x", "due": bad}).MustProblem(t, http.StatusBadRequest, "due")
			h.Do(&agent, "PATCH", "/v1/cases/"+id+"/tasks/"+task, map[string]any{"due": bad}, ifMatch(1)...).MustProblem(t, http.StatusBadRequest, "due")
		})
	}
	h.unchanged(t, id, before, events)
	if n := len(h.listIDs(t, "")); n != 1 {
		t.Errorf("%d cases listed, want 1", n)
	}
	// The last and first instants that are within the years in UTC.
	for _, ok := range []string{"9999-12-31T23:59:59Z", "9999-12-31T23:59:59+01:00", "0000-01-01T00:00:00Z", "0000-01-01T00:00:00-01:00"} {
		h.Do(&agent, "PATCH", "/v1/cases/"+id+"/tasks/"+task, map[string]any{"due": ok}, "If-Match", "*").Must(t, http.StatusOK)
		body := w.validService("Gräns")
		body["deadline"] = ok
		h.create(t, body)
	}
}
