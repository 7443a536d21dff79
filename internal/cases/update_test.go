package cases_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// unchanged re-reads a case and its event log and fails unless both are
// byte for byte what they were before a refused write.
func (h *harness) unchanged(t *testing.T, id string, before response, beforeEvents int) {
	t.Helper()
	after := h.get(t, id)
	if !bytes.Equal(before.Raw, after.Raw) {
		t.Errorf("the case changed although the write was refused:\nbefore: %s\nafter:  %s", before.Raw, after.Raw)
	}
	if n := len(h.events(t, id)); n != beforeEvents {
		t.Errorf("%d events after the refused write, %d before", n, beforeEvents)
	}
}

// TestUpdateMergePatch: PATCH is a JSON merge patch based on the version
// in If-Match (or the body); each change is an event with before and after.
func TestUpdateMergePatch(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	b := w.validService("Trasig dörr")
	b["description"] = "Dörren går inte att låsa"
	b["fields"] = map[string]any{w.serial: "SN-1", w.count: 2}
	id := h.create(t, b).Str("id")
	path := "/v1/cases/" + id

	h.clock.Advance(time.Minute)
	r := h.Do(&agent, "PATCH", path, map[string]any{"title": "Trasigt lås"}, ifMatch(1)...).Must(t, http.StatusOK)
	if r.Version() != 2 || r.Header.Get("ETag") != `"2"` || r.Str("title") != "Trasigt lås" ||
		r.Str("description") != "Dörren går inte att låsa" || r.Obj("fields")[w.count] != float64(2) {
		t.Errorf("after title patch: %s", r.Raw)
	}
	if !r.Time(t, "updatedAt").Equal(h.clock.Now()) || !r.Time(t, "createdAt").Equal(t0) {
		t.Errorf("stamps after patch: %s", r.Raw)
	}
	if got := h.get(t, id); got.Str("title") != "Trasigt lås" || got.Version() != 2 {
		t.Errorf("GET after patch: %s", got.Raw)
	}
	ev := h.events(t, id)
	last := ev[len(ev)-1]
	if last["type"] != "updated" || last["by"] != agent.User || len(last["changes"].([]any)) != 1 {
		t.Fatalf("update event: %v", last)
	}
	if before, after, _ := change(last, "title"); before != "Trasig dörr" || after != "Trasigt lås" {
		t.Errorf("title change %v → %v", before, after)
	}

	// Fields merge: one added, one removed with null, the rest kept.
	r = h.Do(&agent, "PATCH", path, map[string]any{"fields": map[string]any{w.place: "Kontor", w.count: nil}}, ifMatch(2)...).Must(t, http.StatusOK)
	f := r.Obj("fields")
	if f[w.serial] != "SN-1" || f[w.place] != "Kontor" || len(f) != 2 {
		t.Errorf("fields after merge patch: %v", f)
	}
	ev = h.events(t, id)
	if before, after, ok := change(ev[len(ev)-1], "fields"); !ok || before.(map[string]any)[w.count] != float64(2) || after.(map[string]any)[w.place] != "Kontor" {
		t.Errorf("fields change: %v", ev[len(ev)-1])
	}
	// null removes an optional value; the version may come in the body.
	r = h.Do(&agent, "PATCH", path, `{"description":null,"version":3}`, "Content-Type", "application/merge-patch+json").Must(t, http.StatusOK)
	if _, has := r.Body["description"]; has || r.Version() != 4 {
		t.Errorf("description not removed: %s", r.Raw)
	}
	// Several fields at once: one event listing each change.
	// The deadline is sent with an offset and answered as every time is:
	// UTC, three fraction digits.
	deadline, written := "2026-12-24T16:00:00+01:00", "2026-12-24T15:00:00.000Z"
	r = h.Do(&agent, "PATCH", path, map[string]any{"statusId": statusOpen, "priorityId": prioHigh, "deadline": deadline,
		"assignees": map[string]any{"users": []string{userAgent2}, "groups": []string{}}, "linkedOrderId": w.openOrder}, ifMatch(4)...).Must(t, http.StatusOK)
	if r.Str("deadline") != written || r.Str("linkedOrderId") != w.openOrder || r.Str("statusCategory") != "open" {
		t.Errorf("after multi patch: %s", r.Raw)
	}
	ev = h.events(t, id)
	last = ev[len(ev)-1]
	for _, f := range []string{"statusId", "priorityId", "deadline", "assignees", "linkedOrderId"} {
		if _, _, ok := change(last, f); !ok {
			t.Errorf("event lacks the change of %s: %v", f, last)
		}
	}
	if before, after, _ := change(last, "statusId"); before != statusNew || after != statusOpen {
		t.Errorf("status change %v → %v", before, after)
	}
	if before, after, _ := change(last, "deadline"); before != nil || after != written {
		t.Errorf("deadline change %v → %v, want none → %s", before, after, written)
	}
	// What was read may be sent back whole, server fields included, even
	// when the SLA it shows has moved on with the clock since (the tasks
	// of the detail view are not part of the case).
	echo := h.get(t, id).Body
	delete(echo, "tasks")
	h.clock.Advance(7 * 24 * time.Hour) // the SLA states are now "breached"
	echo["title"] = "Eko"
	if r = h.Do(&agent, "PATCH", path, echo).Must(t, http.StatusOK); r.Version() != 6 || r.Str("title") != "Eko" {
		t.Errorf("echo patch: %s", r.Raw)
	}
	// A patch that changes nothing writes no version and no event.
	n := len(h.events(t, id))
	if r = h.Do(&agent, "PATCH", path, map[string]any{"title": "Eko"}, ifMatch(6)...).Must(t, http.StatusOK); r.Version() != 6 {
		t.Errorf("no-op patch made version %d", r.Version())
	}
	if len(h.events(t, id)) != n {
		t.Errorf("a no-op patch wrote an event")
	}
	// If-Match: * overwrites whatever is stored.
	h.Do(&agent, "PATCH", path, map[string]any{"title": "Stjärna"}, "If-Match", "*").Must(t, http.StatusOK)
	// No version at all is refused.
	h.Do(&agent, "PATCH", path, map[string]any{"title": "x"}).MustProblem(t, http.StatusBadRequest, "version")
	h.Do(&agent, "PATCH", "/v1/cases/"+noSuchID, map[string]any{"title": "x"}, ifMatch(1)...).MustProblem(t, http.StatusNotFound)
}

// TestUpdateStale: a stale version answers 412 and changes nothing.
func TestUpdateStale(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Gammal")).Str("id")
	h.patch(t, id, map[string]any{"title": "Ny"}).Must(t, http.StatusOK)
	before := h.get(t, id)
	for _, v := range []int64{1, 3, 99} {
		h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"title": "Förlorad", "statusId": statusClosed}, ifMatch(v)...).
			MustProblem(t, http.StatusPreconditionFailed)
	}
	h.Do(&agent, "PATCH", "/v1/cases/"+id, `{"title":"Förlorad","version":1}`).MustProblem(t, http.StatusPreconditionFailed)
	h.unchanged(t, id, before, 2)
	if got := h.listIDs(t, "?category=closed"); len(got) != 0 {
		t.Errorf("a refused close reached the lists: %v", got)
	}
}

// TestUpdateRefusesTypeAndCustomer: the type never changes; the customer
// changes only through POST /v1/cases/{id}/customer.
func TestUpdateRefusesTypeAndCustomer(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	b := w.validService("Fast")
	b["customerId"], b["contactId"] = w.custA, w.anna
	id := h.create(t, b).Str("id")
	before := h.get(t, id)
	for field, value := range map[string]any{
		"typeId": w.question, "customerId": w.custB, "contactId": w.bo, "number": 99, "createdBy": "x",
		"startBy": "2030-01-01T00:00:00Z", "resolveBy": "2030-01-01T00:00:00Z", "waitingSeconds": 5, "statusCategory": "closed",
	} {
		t.Run(field, func(t *testing.T) {
			h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{field: value, "title": "x"}, ifMatch(1)...).
				MustProblem(t, http.StatusBadRequest, field)
		})
	}
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"colour": "red"}, ifMatch(1)...).MustProblem(t, http.StatusBadRequest, "colour")
	h.unchanged(t, id, before, 1)
	// Sent back unchanged they are accepted.
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"typeId": w.service, "customerId": w.custA, "title": "Samma typ"}, ifMatch(1)...).
		Must(t, http.StatusOK)
}

// TestUpdateValidation: an update is validated as a create is; a refused
// one changes nothing.
func TestUpdateValidation(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Validera")).Str("id")
	before := h.get(t, id)
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"empty title", map[string]any{"title": ""}, "title"},
		{"title with line break", map[string]any{"title": "a\nb"}, "title"},
		{"unknown status", map[string]any{"statusId": noSuchID}, "statusId"},
		{"unknown priority", map[string]any{"priorityId": noSuchID}, "priorityId"},
		{"required field removed", map[string]any{"fields": map[string]any{w.serial: nil}}, "fields." + w.serial},
		{"number as text", map[string]any{"fields": map[string]any{w.count: "två"}}, "fields." + w.count},
		{"dropdown outside options", map[string]any{"fields": map[string]any{w.place: "Bilen"}}, "fields." + w.place},
		{"unknown field", map[string]any{"fields": map[string]any{noSuchID: 1}}, "fields." + noSuchID},
		{"unknown assignee", map[string]any{"assignees": map[string]any{"users": []string{noSuchID}}}, "assignees.users[0]"},
		{"unknown group", map[string]any{"assignees": map[string]any{"groups": []string{noSuchID}}}, "assignees.groups[0]"},
		{"unknown linked order", map[string]any{"linkedOrderId": noSuchID}, "linkedOrderId"},
		{"malformed linked order", map[string]any{"linkedOrderId": "x y"}, "linkedOrderId"},
		{"deadline not a time", map[string]any{"deadline": "tomorrow"}, ""}, // the decoder names no field
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.Do(&agent, "PATCH", "/v1/cases/"+id, tc.body, ifMatch(1)...)
			if tc.field == "" {
				res.MustProblem(t, http.StatusBadRequest)
				return
			}
			res.MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	h.unchanged(t, id, before, 1)
	// Ärendefält apply to updates too: an inactive field cannot be set.
	h.putSettings(t, "/v1/settings/case-fields", func(body map[string]any) {
		for _, f := range body["fields"].([]any) {
			if m := f.(map[string]any); m["key"] == "deadline" {
				m["active"], m["mandatory"] = false, false
			}
		}
	})
	before = h.get(t, id)
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"deadline": "2026-12-24T15:00:00Z"}, ifMatch(1)...).MustProblem(t, http.StatusBadRequest, "deadline")
	h.unchanged(t, id, before, 1)
}

// TestSwitchCustomer: POST /v1/cases/{id}/customer moves the case to
// another customer, recorded as a "customer-switched" event; a contact of
// another customer is refused and nothing changes.
func TestSwitchCustomer(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, map[string]any{"title": "Byt kund", "customerId": w.custA, "contactId": w.anna}).Str("id")
	path := "/v1/cases/" + id + "/customer"

	before := h.get(t, id)
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"contact of the old customer", map[string]any{"customerId": w.custB, "contactId": w.anna}, "contactId"},
		{"unknown contact", map[string]any{"customerId": w.custB, "contactId": noSuchID}, "contactId"},
		{"unknown customer", map[string]any{"customerId": noSuchID}, "customerId"},
		{"no customer", map[string]any{"contactId": w.cecilia}, "customerId"},
		{"malformed customer", map[string]any{"customerId": "a b"}, "customerId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.Do(&agent, "POST", path, tc.body, ifMatch(1)...).MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	h.Do(&agent, "POST", path, map[string]any{"customerId": w.custB, "contactId": w.cecilia, "typeId": w.question}, ifMatch(1)...).
		MustProblem(t, http.StatusBadRequest, "typeId")
	h.Do(&agent, "POST", path, map[string]any{"customerId": w.custB}).MustProblem(t, http.StatusBadRequest, "version")
	h.unchanged(t, id, before, 1)

	h.clock.Advance(time.Minute)
	r := h.Do(&agent, "POST", path, map[string]any{"customerId": w.custB, "contactId": w.cecilia}, ifMatch(1)...).Must(t, http.StatusOK)
	if r.Str("customerId") != w.custB || r.Str("contactId") != w.cecilia || r.Version() != 2 || r.Header.Get("ETag") != `"2"` {
		t.Errorf("after the switch: %s", r.Raw)
	}
	ev := h.events(t, id)
	last := ev[len(ev)-1]
	if last["type"] != "customer-switched" || last["by"] != agent.User {
		t.Fatalf("switch event: %v", last)
	}
	if b, a, _ := change(last, "customerId"); b != w.custA || a != w.custB {
		t.Errorf("customer change %v → %v", b, a)
	}
	if b, a, _ := change(last, "contactId"); b != w.anna || a != w.cecilia {
		t.Errorf("contact change %v → %v", b, a)
	}
	if got := h.listIDs(t, "?customer="+w.custA); len(got) != 0 {
		t.Errorf("still listed for the old customer: %v", got)
	}
	if got := h.listIDs(t, "?customer="+w.custB); !slices.Equal(got, []string{id}) {
		t.Errorf("customer B list: %v", got)
	}
	// Stale version: 412. The version may come in the body.
	h.Do(&agent, "POST", path, map[string]any{"customerId": w.custA}, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
	r = h.Do(&agent, "POST", path, map[string]any{"customerId": w.custA, "version": 2}).Must(t, http.StatusOK)
	if _, has := r.Body["contactId"]; has || r.Str("customerId") != w.custA {
		t.Errorf("switch without contact: %s", r.Raw)
	}
	h.Do(&agent, "POST", "/v1/cases/"+noSuchID+"/customer", map[string]any{"customerId": w.custA}, ifMatch(1)...).MustProblem(t, http.StatusNotFound)
}

// TestDelete: admins only; the case leaves every list and read, and its
// event log, with the "deleted" event, stays in the table for the audit.
func TestDelete(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	b := w.validService("Radera")
	b["customerId"], b["priorityId"] = w.custA, prioHigh
	id := h.create(t, b).Str("id")
	keep := h.create(t, map[string]any{"title": "Behåll", "customerId": w.custA}).Str("id")
	taskID := h.get(t, id).List("tasks")[0]["id"].(string)
	report := h.Do(&agent, "POST", "/v1/cases/"+id+"/time-reports", map[string]any{"date": "2026-11-26", "minutes": 30,
		"values": map[string]any{"arbete": "Service"}}).Must(t, http.StatusCreated).Str("id")
	path := "/v1/cases/" + id

	h.Do(&agent, "DELETE", path, nil, ifMatch(1)...).MustProblem(t, http.StatusForbidden)
	h.Do(&admin, "DELETE", path, nil).MustProblem(t, http.StatusPreconditionRequired)
	h.Do(&admin, "DELETE", path, nil, ifMatch(7)...).MustProblem(t, http.StatusPreconditionFailed)
	h.get(t, id)

	h.clock.Advance(time.Minute)
	h.Do(&admin, "DELETE", path, nil, ifMatch(1)...).Must(t, http.StatusNoContent)

	for _, r := range [][2]string{
		{"GET", path}, {"PATCH", path}, {"DELETE", path}, {"POST", path + "/customer"},
		{"GET", path + "/tasks"}, {"POST", path + "/tasks"}, {"GET", path + "/tasks/" + taskID},
		{"PATCH", path + "/tasks/" + taskID}, {"DELETE", path + "/tasks/" + taskID},
		{"GET", path + "/time-reports"}, {"POST", path + "/time-reports"}, {"GET", path + "/time-reports/" + report},
		{"PATCH", path + "/time-reports/" + report}, {"DELETE", path + "/time-reports/" + report},
		{"GET", path + "/events"},
	} {
		h.Do(&admin, r[0], r[1], validBody(r[0], r[1], w), ifMatch(2)...).MustProblem(t, http.StatusNotFound)
	}
	for _, q := range []string{"", "?sort=updated", "?sort=urgent", "?status=" + statusNew, "?category=new", "?customer=" + w.custA,
		"?type=" + w.service, "?priority=" + prioHigh, "?assignee=" + userAgent1, "?group=" + groupSupp} {
		got := h.listIDs(t, q)
		if slices.Contains(got, id) {
			t.Errorf("%s still lists the deleted case", q)
		}
		if (q == "" || q == "?customer="+w.custA) && !slices.Contains(got, keep) {
			t.Errorf("%s lost the other case", q)
		}
	}
	if got := h.listIDs(t, "?overdue=true"); len(got) != 0 {
		t.Errorf("overdue lists %v", got)
	}

	// The audit trail stays: the case item marked deleted and its log,
	// ending with "deleted", read straight from the table.
	items := h.partition(t, admin.Tenant, id)
	types := storedEventTypes(t, items)
	if len(types) == 0 || types[0] != "created" || types[len(types)-1] != "deleted" {
		t.Errorf("stored events %v, want created ... deleted", types)
	}
	if k := kinds(items); k["CASE"] != 1 {
		t.Errorf("partition kinds %v", k)
	}
	for _, it := range items {
		if kindOf(it) == "CASE" {
			if _, marked := it["deletedAt"]; !marked {
				t.Errorf("the stored case is not marked deleted")
			}
		}
	}
	// The number is not reused.
	if n := h.create(t, map[string]any{"title": "Efter"}).Num("number"); n != 3 {
		t.Errorf("the case after the deleted one has number %d, want 3", n)
	}
	h.checkIntegrity(t, admin.Tenant)
}

// validBody is a body each cases route accepts (nil for GET and DELETE),
// so that a refusal is about the case, not the body.
func validBody(method, path string, w world) any {
	switch {
	case method == "GET" || method == "DELETE":
		return nil
	case strings.HasSuffix(path, "/customer"):
		return map[string]any{"customerId": w.custB}
	case strings.Contains(path, "/time-reports"):
		if method == "PATCH" {
			return map[string]any{"minutes": 45}
		}
		return map[string]any{"date": "2026-11-26", "minutes": 5, "values": map[string]any{"arbete": "Service"}}
	case strings.HasSuffix(path, "/form"):
		return map[string]any{"answers": map[string]any{}}
	case strings.HasSuffix(path, "/comments"):
		return map[string]any{"body": "Intern notering"}
	case strings.Contains(path, "/tasks"):
		if method == "PATCH" {
			return map[string]any{"done": true}
		}
		return map[string]any{"title": "Uppgift"}
	case method == "PATCH":
		return map[string]any{"title": "Ändrad"}
	default: // POST /v1/cases
		return map[string]any{"title": "Nytt", "customerId": w.custA}
	}
}
