package cases_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTasks: tasks are created, updated and deleted by hand with
// versions, each change an event of the case.
func TestTasks(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	caseID := h.create(t, w.validService("Uppgifter")).Str("id")
	tasks := "/v1/cases/" + caseID + "/tasks"

	h.clock.Advance(time.Minute)
	due, written := "2026-12-01T12:00:00Z", "2026-12-01T12:00:00.000Z"
	r := h.Do(&agent, "POST", tasks, map[string]any{"title": "Ring kunden", "assigneeId": userAgent2, "due": due}).Must(t, http.StatusCreated)
	id := r.Str("id")
	if r.Version() != 1 || r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != tasks+"/"+id ||
		r.Str("title") != "Ring kunden" || r.Str("assigneeId") != userAgent2 || r.Str("due") != written || r.Body["done"] != false {
		t.Errorf("created task: %s %v", r.Raw, r.Header)
	}
	if got := h.Do(&agent, "GET", tasks+"/"+id, nil).Must(t, http.StatusOK); got.Str("title") != "Ring kunden" {
		t.Errorf("GET task: %s", got.Raw)
	}
	if n := len(h.get(t, caseID).List("tasks")); n != 3 {
		t.Errorf("the case shows %d tasks, want 2 from the template and 1 by hand", n)
	}
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"title": ""}, "title"},
		{map[string]any{"title": strings.Repeat("x", 201)}, "title"},
		{map[string]any{"title": "x", "assigneeId": noSuchID}, "assigneeId"},
		{map[string]any{"title": "x", "id": "mine"}, "id"},
		{map[string]any{"title": "x", "colour": "red"}, "colour"},
	} {
		h.Do(&agent, "POST", tasks, bad.body).MustProblem(t, http.StatusBadRequest, bad.field)
	}

	h.clock.Advance(time.Minute)
	r = h.Do(&agent, "PATCH", tasks+"/"+id, map[string]any{"done": true}, ifMatch(1)...).Must(t, http.StatusOK)
	if r.Version() != 2 || r.Body["done"] != true || !r.Time(t, "doneAt").Equal(h.clock.Now()) || r.Str("title") != "Ring kunden" {
		t.Errorf("done task: %s", r.Raw)
	}
	before := h.Do(&agent, "GET", tasks+"/"+id, nil).Must(t, http.StatusOK)
	h.Do(&agent, "PATCH", tasks+"/"+id, map[string]any{"title": "Förlorad"}, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
	h.Do(&agent, "PATCH", tasks+"/"+id, map[string]any{"assigneeId": noSuchID}, ifMatch(2)...).MustProblem(t, http.StatusBadRequest, "assigneeId")
	h.Do(&agent, "PATCH", tasks+"/"+id, map[string]any{"title": "x"}).MustProblem(t, http.StatusBadRequest, "version")
	if after := h.Do(&agent, "GET", tasks+"/"+id, nil).Must(t, http.StatusOK); string(after.Raw) != string(before.Raw) {
		t.Errorf("a refused task update changed it:\n%s\n%s", before.Raw, after.Raw)
	}
	r = h.Do(&agent, "PATCH", tasks+"/"+id, map[string]any{"done": false, "due": nil}, ifMatch(2)...).Must(t, http.StatusOK)
	if _, has := r.Body["doneAt"]; has || r.Version() != 3 {
		t.Errorf("undone task: %s", r.Raw)
	}
	if _, has := r.Body["due"]; has {
		t.Errorf("due not removed: %s", r.Raw)
	}

	h.Do(&agent, "DELETE", tasks+"/"+id, nil, ifMatch(2)...).MustProblem(t, http.StatusPreconditionFailed)
	h.Do(&agent, "DELETE", tasks+"/"+id, nil).MustProblem(t, http.StatusPreconditionRequired)
	h.Do(&agent, "DELETE", tasks+"/"+id, nil, ifMatch(3)...).Must(t, http.StatusNoContent)
	h.Do(&agent, "GET", tasks+"/"+id, nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "PATCH", tasks+"/"+id, map[string]any{"done": true}, ifMatch(3)...).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "DELETE", tasks+"/"+id, nil, ifMatch(3)...).MustProblem(t, http.StatusNotFound)
	if n := len(h.get(t, caseID).List("tasks")); n != 2 {
		t.Errorf("%d tasks after the delete", n)
	}
	h.Do(&agent, "GET", tasks+"/"+noSuchID, nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "POST", "/v1/cases/"+noSuchID+"/tasks", map[string]any{"title": "x"}).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "GET", "/v1/cases/"+noSuchID+"/tasks", nil).MustProblem(t, http.StatusNotFound)

	// The template tasks are tasks like any other.
	tpl := h.get(t, caseID).List("tasks")[0]["id"].(string)
	h.Do(&agent, "PATCH", tasks+"/"+tpl, map[string]any{"done": true}, ifMatch(1)...).Must(t, http.StatusOK)

	// Each change is an event, naming the task, with before and after.
	ev := h.events(t, caseID)
	if got, want := eventTypes(ev), []string{"created", "task-created", "task-updated", "task-updated", "task-deleted", "task-updated"}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for _, e := range ev[1:5] {
		if e["subject"] != id {
			t.Errorf("event %v does not name the task %s", e, id)
		}
	}
	if b, a, ok := change(ev[2], "done"); !ok || b != false || a != true {
		t.Errorf("task-updated done: %v", ev[2])
	}
	if _, _, ok := change(ev[2], "title"); ok {
		t.Errorf("an unchanged title is listed as a change: %v", ev[2])
	}
	if b, _, ok := change(ev[4], "title"); !ok || b != "Ring kunden" {
		t.Errorf("task-deleted: %v", ev[4])
	}
	// Task changes do not change the case's version.
	if v := h.get(t, caseID).Version(); v != 1 {
		t.Errorf("case version %d after task changes", v)
	}
}

// TestTimeReports: reports with versions; the case type's report
// template's required values are enforced; the case's total follows
// creates, updates and deletes.
func TestTimeReports(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	caseID := h.create(t, w.validService("Tid")).Str("id")
	reports := "/v1/cases/" + caseID + "/time-reports"
	valid := func(minutes int) map[string]any {
		return map[string]any{"date": "2026-11-26", "minutes": minutes, "values": map[string]any{"arbete": "Service", "km": 12}}
	}
	for _, tc := range []struct {
		name  string
		edit  func(b map[string]any)
		field string
	}{
		{"required value missing", func(b map[string]any) { b["values"] = map[string]any{"km": 3} }, "values.arbete"},
		{"no values", func(b map[string]any) { delete(b, "values") }, "values.arbete"},
		{"required value null", func(b map[string]any) { b["values"] = map[string]any{"arbete": nil} }, "values.arbete"},
		{"dropdown outside options", func(b map[string]any) { b["values"] = map[string]any{"arbete": "Fika"} }, "values.arbete"},
		{"number as text", func(b map[string]any) { b["values"] = map[string]any{"arbete": "Service", "km": "tolv"} }, "values.km"},
		{"unknown value", func(b map[string]any) { b["values"] = map[string]any{"arbete": "Service", "färg": "röd"} }, "values.färg"},
		{"no minutes", func(b map[string]any) { delete(b, "minutes") }, "minutes"},
		{"more than a day", func(b map[string]any) { b["minutes"] = 24*60 + 1 }, "minutes"},
		{"negative minutes", func(b map[string]any) { b["minutes"] = -5 }, "minutes"},
		{"bad date", func(b map[string]any) { b["date"] = "26/11/2026" }, "date"},
		{"unknown user", func(b map[string]any) { b["userId"] = noSuchID }, "userId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := valid(30)
			tc.edit(b)
			h.Do(&agent, "POST", reports, b).MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	if got := h.get(t, caseID).Num("timeTotalMinutes"); got != 0 {
		t.Errorf("refused reports counted: %d", got)
	}

	h.clock.Advance(time.Minute)
	r := h.Do(&agent, "POST", reports, valid(30)).Must(t, http.StatusCreated)
	first := r.Str("id")
	if r.Version() != 1 || r.Str("userId") != agent.User || r.Num("minutes") != 30 || r.Header.Get("Location") != reports+"/"+first {
		t.Errorf("created report: %s", r.Raw)
	}
	b := valid(45)
	b["userId"], b["note"] = userAgent2, "Resa"
	second := h.Do(&agent, "POST", reports, b).Must(t, http.StatusCreated).Str("id")
	total := func() int64 { t.Helper(); return h.get(t, caseID).Num("timeTotalMinutes") }
	if got := total(); got != 75 {
		t.Errorf("total %d, want 75", got)
	}
	if ids := h.Do(&agent, "GET", reports, nil).Must(t, http.StatusOK).IDs(); len(ids) != 2 {
		t.Errorf("listed reports %v", ids)
	}

	h.Do(&agent, "PATCH", reports+"/"+first, map[string]any{"minutes": 60}, ifMatch(1)...).Must(t, http.StatusOK)
	if got := total(); got != 105 {
		t.Errorf("total after update %d, want 105", got)
	}
	h.Do(&agent, "PATCH", reports+"/"+first, map[string]any{"minutes": 5}, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
	h.Do(&agent, "PATCH", reports+"/"+first, map[string]any{"values": map[string]any{"arbete": nil}}, ifMatch(2)...).MustProblem(t, http.StatusBadRequest, "values.arbete")
	h.Do(&agent, "PATCH", reports+"/"+first, map[string]any{"minutes": 0}, ifMatch(2)...).MustProblem(t, http.StatusBadRequest, "minutes")
	if got := total(); got != 105 {
		t.Errorf("total after refused updates %d, want 105", got)
	}
	r = h.Do(&agent, "PATCH", reports+"/"+first, map[string]any{"values": map[string]any{"km": nil}}, ifMatch(2)...).Must(t, http.StatusOK)
	if _, has := r.Obj("values")["km"]; has || r.Obj("values")["arbete"] != "Service" || r.Num("minutes") != 60 {
		t.Errorf("values after merge patch: %s", r.Raw)
	}

	h.Do(&agent, "DELETE", reports+"/"+second, nil, ifMatch(2)...).MustProblem(t, http.StatusPreconditionFailed)
	h.Do(&agent, "DELETE", reports+"/"+second, nil, ifMatch(1)...).Must(t, http.StatusNoContent)
	if got := total(); got != 60 {
		t.Errorf("total after delete %d, want 60", got)
	}
	h.Do(&agent, "GET", reports+"/"+second, nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "DELETE", reports+"/"+second, nil, ifMatch(1)...).MustProblem(t, http.StatusNotFound)

	// A case whose type has no report template takes no values.
	plain := "/v1/cases/" + h.create(t, map[string]any{"title": "Utan mall"}).Str("id") + "/time-reports"
	h.Do(&agent, "POST", plain, map[string]any{"date": "2026-11-26", "minutes": 10, "values": map[string]any{"arbete": "Service"}}).MustProblem(t, http.StatusBadRequest, "values")
	h.Do(&agent, "POST", plain, map[string]any{"date": "2026-11-26", "minutes": 10}).Must(t, http.StatusCreated)

	ev := h.events(t, caseID)
	if got, want := eventTypes(ev), []string{"created", "time-reported", "time-reported", "time-report-updated", "time-report-updated", "time-report-deleted"}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	if b, a, ok := change(ev[3], "minutes"); !ok || b != float64(30) || a != float64(60) {
		t.Errorf("time-report-updated: %v", ev[3])
	}
	if b, _, ok := change(ev[5], "minutes"); !ok || b != float64(45) {
		t.Errorf("time-report-deleted: %v", ev[5])
	}
	// The total is the sum of the reports that remain, also after case
	// changes (a case update keeps it).
	h.patch(t, caseID, map[string]any{"title": "Tid ändrad"}).Must(t, http.StatusOK)
	if got := total(); got != 60 {
		t.Errorf("total after a case update %d, want 60", got)
	}
	// Lists never show a total that the detail contradicts: reports change
	// the total without rewriting the case's list entries.
	h.Do(&agent, "POST", reports, valid(15)).Must(t, http.StatusCreated)
	if got := total(); got != 75 {
		t.Errorf("total %d, want 75", got)
	}
	for _, q := range []string{"", "?sort=updated", "?type=" + w.service} {
		for _, it := range h.Do(&agent, "GET", "/v1/cases"+q, nil).Must(t, http.StatusOK).Items() {
			if v, has := it["timeTotalMinutes"]; it["id"] == caseID && has && v != float64(75) {
				t.Errorf("%s shows timeTotalMinutes %v, the case has 75", q, v)
			}
		}
	}
}

// TestEventLog: every change writes an event, in order, paged with a
// cursor; the log answers 403 with a clear message while the case-menu
// item "events" is disabled.
func TestEventLog(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	b := w.validService("Logg")
	b["customerId"] = w.custA
	id := h.create(t, b).Str("id")
	path := "/v1/cases/" + id
	step := func(method, p string, body any, version int64, want int) response {
		t.Helper()
		h.clock.Advance(time.Second)
		var headers []string
		if version > 0 {
			headers = ifMatch(version)
		}
		return h.Do(&admin, method, p, body, headers...).Must(t, want)
	}
	step("PATCH", path, map[string]any{"statusId": statusOpen}, 1, http.StatusOK)
	step("POST", path+"/customer", map[string]any{"customerId": w.custB}, 2, http.StatusOK)
	task := step("POST", path+"/tasks", map[string]any{"title": "T"}, 0, http.StatusCreated).Str("id")
	step("PATCH", path+"/tasks/"+task, map[string]any{"title": "T2"}, 1, http.StatusOK)
	step("DELETE", path+"/tasks/"+task, nil, 2, http.StatusNoContent)
	rep := step("POST", path+"/time-reports", map[string]any{"date": "2026-11-26", "minutes": 5, "values": map[string]any{"arbete": "Service"}}, 0, http.StatusCreated).Str("id")
	step("PATCH", path+"/time-reports/"+rep, map[string]any{"minutes": 6}, 1, http.StatusOK)
	step("DELETE", path+"/time-reports/"+rep, nil, 2, http.StatusNoContent)
	step("PATCH", path, map[string]any{"statusId": statusClosed}, 3, http.StatusOK)
	want := []string{"created", "updated", "customer-switched", "task-created", "task-updated", "task-deleted",
		"time-reported", "time-report-updated", "time-report-deleted", "updated"}
	ev := h.events(t, id)
	if got := eventTypes(ev); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i, e := range ev {
		by := admin.User
		if i == 0 {
			by = agent.User // h.create posts as the agent
		}
		if e["by"] != by || e["id"] == "" {
			t.Errorf("event %d: %v", i, e)
		}
		if i > 0 && !parseTime(t, e["at"]).After(parseTime(t, ev[i-1]["at"])) {
			t.Errorf("event %d is not after event %d", i, i-1)
		}
	}

	// Paged: limit and cursor, no duplicates or gaps.
	var paged []string
	cursor := ""
	for range len(want) + 1 {
		q := path + "/events?limit=3"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		r := h.Do(&agent, "GET", q, nil).Must(t, http.StatusOK)
		paged = append(paged, eventTypes(r.Items())...)
		if cursor = r.Str("next"); cursor == "" {
			break
		}
	}
	if !slices.Equal(paged, want) {
		t.Errorf("paged events %v", paged)
	}
	h.Do(&agent, "GET", path+"/events?cursor=garbage", nil).MustProblem(t, http.StatusBadRequest, "cursor")
	otherCase := h.create(t, map[string]any{"title": "Annan"}).Str("id")
	c := h.Do(&agent, "GET", path+"/events?limit=1", nil).Must(t, http.StatusOK).Str("next")
	h.Do(&agent, "GET", "/v1/cases/"+otherCase+"/events?cursor="+c, nil).MustProblem(t, http.StatusBadRequest, "cursor")
	h.Do(&agent, "GET", path+"/events?limit=0", nil).MustProblem(t, http.StatusBadRequest, "limit")

	// Disable "Händelser" in the case-detail menu: the log answers 403,
	// saying why; the rest of the case still answers.
	h.putSettings(t, "/v1/settings/case-menu", func(body map[string]any) {
		for _, it := range body["items"].([]any) {
			if m := it.(map[string]any); m["key"] == "events" {
				m["enabled"] = false
			}
		}
	})
	for _, p := range []string{path + "/events", "/v1/cases/" + noSuchID + "/events"} {
		r := h.Do(&agent, "GET", p, nil).MustProblem(t, http.StatusForbidden)
		if d := r.Detail(); !strings.Contains(d, "events") || !strings.Contains(d, "menu") {
			t.Errorf("the 403 does not say the events menu item is off: %q", d)
		}
	}
	h.get(t, id)
	// Changes are still logged while the log cannot be read.
	h.patch(t, id, map[string]any{"title": "Medan loggen är av"}).Must(t, http.StatusOK)
	h.putSettings(t, "/v1/settings/case-menu", func(body map[string]any) {
		for _, it := range body["items"].([]any) {
			if m := it.(map[string]any); m["key"] == "events" {
				m["enabled"] = true
			}
		}
	})
	if got := eventTypes(h.events(t, id)); len(got) != len(want)+1 || got[len(got)-1] != "updated" {
		t.Errorf("after re-enabling: %v", got)
	}
	h.Do(&agent, "GET", "/v1/cases/"+noSuchID+"/events", nil).MustProblem(t, http.StatusNotFound)
}
