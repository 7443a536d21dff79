package cases_test

import (
	"bytes"
	"context"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/cases"
)

// formWorld is a tenant with a form and case types that give it.
type formWorld struct {
	world
	form string
	// staffType gives the form to staff to fill; customerType to the
	// customer, and must have it submitted before its cases close.
	staffType, customerType string
}

// formBody is the form every form test starts from.
func formBody() map[string]any {
	return map[string]any{
		"name":     "Servicebesök",
		"sections": []map[string]any{{"key": "unit", "title": "Aggregatet"}},
		"questions": []map[string]any{
			{"key": "summary", "label": "Kort beskrivning", "kind": "text", "required": true},
			{"key": "details", "label": "Berätta mer", "kind": "longtext", "section": "unit"},
			{"key": "age", "label": "Ålder", "kind": "number", "section": "unit"},
			{"key": "fault", "label": "Vad händer?", "kind": "dropdown", "options": []string{"Larmar", "Går inte igång"}, "required": true, "section": "unit"},
			{"key": "accept", "label": "Tekniker får gå in", "kind": "checkbox", "required": true, "section": "unit"},
			{"key": "date", "label": "Önskat datum", "kind": "date", "section": "unit"},
		},
	}
}

func (h *harness) formSeed(t *testing.T) formWorld {
	t.Helper()
	fw := formWorld{world: h.seed(t)}
	fw.form = h.Do(&admin, "POST", "/v1/settings/forms", formBody()).Must(t, http.StatusCreated).Str("id")
	fw.staffType = h.Do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Besiktning",
		"defaultForm": map[string]any{"formId": fw.form, "filledBy": "staff"}}).Must(t, http.StatusCreated).Str("id")
	fw.customerType = h.Do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Felanmälan", "visibleInPortal": true, "selectableInPortal": true,
		"defaultForm": map[string]any{"formId": fw.form, "filledBy": "customer", "requiredBeforeClose": true}}).Must(t, http.StatusCreated).Str("id")
	return fw
}

// form reads a case's form as agent and insists on 200.
func (h *harness) form(t *testing.T, id string) response {
	t.Helper()
	return h.Do(&agent, "GET", "/v1/cases/"+id+"/form", nil).Must(t, http.StatusOK)
}

// saveForm saves answers to a case's form as agent, at the version read now.
func (h *harness) saveForm(t *testing.T, id string, body map[string]any) response {
	t.Helper()
	return h.Do(&agent, "PUT", "/v1/cases/"+id+"/form", body, ifMatch(h.form(t, id).Version())...)
}

// answers are the values of a form's answers, by key.
func answers(r response) map[string]any {
	out := map[string]any{}
	for k, a := range r.Obj("answers") {
		out[k] = a.(map[string]any)["value"]
	}
	return out
}

// TestCaseFormRoundTrip: a case of a type with a form gets it when it is
// created; reading it answers the questions with no answers yet, and
// each save reads back as it answered: the answers, who gave each and
// when, one version more, an event and the case's activity. Reading costs
// one BatchGetItem, a save two round trips.
func TestCaseFormRoundTrip(t *testing.T) {
	h := newHarness(t)
	fw := h.formSeed(t)
	c := h.create(t, map[string]any{"title": "Värmepumpen larmar", "typeId": fw.staffType})
	id := c.Str("id")
	if ref := c.Obj("form"); ref["formId"] != fw.form || ref["name"] != "Servicebesök" || ref["formVersion"] != float64(1) ||
		ref["filledBy"] != "staff" || ref["requiredBeforeClose"] != false {
		t.Errorf("the case's form: %v", ref)
	}
	var got response
	if n := h.cost(func() { got = h.form(t, id) }); n["BatchGetItem"] != 1 || total(n) != 1 {
		t.Errorf("reading the form cost %v, want one BatchGetItem", n)
	}
	if got.Version() != 1 || got.Str("caseId") != id || len(got.List("questions")) != 6 || len(got.Obj("answers")) != 0 ||
		got.Body["submitted"] != false || !reflect.DeepEqual(got.Body["missing"], []any{"summary", "fault", "accept"}) {
		t.Fatalf("a new case's form: %s", got.Raw)
	}
	if got.Header.Get("ETag") != `"1"` {
		t.Errorf("ETag %q", got.Header.Get("ETag"))
	}

	h.clock.Advance(time.Minute)
	activityBefore := h.get(t, id).Str("activityAt")
	var saved response
	n := h.cost(func() {
		saved = h.Do(&agent, "PUT", "/v1/cases/"+id+"/form", map[string]any{"version": 1,
			"answers": map[string]any{"summary": "  Larmar E12  ", "age": 7.5, "date": "2026-12-01"}}).Must(t, http.StatusOK)
	})
	if n["BatchGetItem"] != 1 || n["TransactWriteItems"] != 1 || total(n) != 2 {
		t.Errorf("a save cost %v, want a BatchGetItem and a TransactWriteItems", n)
	}
	want := map[string]any{"summary": "Larmar E12", "age": 7.5, "date": "2026-12-01"}
	if saved.Version() != 2 || !reflect.DeepEqual(answers(saved), want) {
		t.Fatalf("saved: %s", saved.Raw)
	}
	a := saved.Obj("answers")["summary"].(map[string]any)
	if by := a["by"].(map[string]any); by["kind"] != "staff" || by["id"] != userAgent1 || by["name"] != "Agnes Agent" {
		t.Errorf("answered by %v", by)
	}
	if at := parseTime(t, a["at"]); !at.Equal(h.clock.Now()) {
		t.Errorf("answered at %v, want %v", at, h.clock.Now())
	}
	if again := h.form(t, id); !bytes.Equal(again.Raw, saved.Raw) {
		t.Errorf("read back otherwise than saved:\nsaved: %s\nread:  %s", saved.Raw, again.Raw)
	}
	if after := h.get(t, id); after.Str("activityAt") == activityBefore || after.Version() != 1 {
		t.Errorf("the save is the case's activity without a new version of it: %s", after.Raw)
	}
	ev := h.events(t, id)
	last := ev[len(ev)-1]
	if last["type"] != "form-saved" || last["subject"] != "Servicebesök" || last["by"] != userAgent1 {
		t.Errorf("event %v", last)
	}
	if before, after, ok := change(last, "form.summary"); !ok || before != nil || after != "Larmar E12" {
		t.Errorf("form.summary changed %v → %v (%v)", before, after, ok)
	}

	// A partial save keeps what it does not name, and who gave it when;
	// null clears an answer.
	h.clock.Advance(time.Minute)
	saved = h.saveForm(t, id, map[string]any{"answers": map[string]any{"age": nil, "fault": "Larmar"}}).Must(t, http.StatusOK)
	want = map[string]any{"summary": "Larmar E12", "date": "2026-12-01", "fault": "Larmar"}
	if saved.Version() != 3 || !reflect.DeepEqual(answers(saved), want) {
		t.Fatalf("after a partial save: %s", saved.Raw)
	}
	if at := parseTime(t, saved.Obj("answers")["summary"].(map[string]any)["at"]); !at.Equal(h.clock.Now().Add(-time.Minute)) {
		t.Errorf("an answer the save did not change moved to %v", at)
	}
	// A save that changes nothing writes nothing.
	evs := len(h.events(t, id))
	same := h.saveForm(t, id, map[string]any{"answers": map[string]any{"fault": "Larmar"}}).Must(t, http.StatusOK)
	if same.Version() != 3 || len(h.events(t, id)) != evs {
		t.Errorf("a save of nothing new wrote: version %d, %d events", same.Version(), len(h.events(t, id)))
	}
}

// TestCaseFormKinds: each answer is checked against its question's kind
// and options; a refused save changes nothing.
func TestCaseFormKinds(t *testing.T) {
	h := newHarness(t)
	fw := h.formSeed(t)
	id := h.create(t, map[string]any{"title": "Kontroll", "typeId": fw.staffType}).Str("id")
	ok := []struct {
		key  string
		sent any
		want any
	}{
		{"summary", "Går inte", "Går inte"},
		{"details", "Rad ett\nRad två", "Rad ett\nRad två"},
		{"age", 12.0, 12.0},
		{"age", -0.5, -0.5},
		{"fault", "Går inte igång", "Går inte igång"},
		{"accept", false, false},
		{"accept", true, true},
		{"date", "2027-02-28", "2027-02-28"},
	}
	for _, tc := range ok {
		r := h.saveForm(t, id, map[string]any{"answers": map[string]any{tc.key: tc.sent}}).Must(t, http.StatusOK)
		if got := answers(r)[tc.key]; got != tc.want {
			t.Errorf("%s = %v saved as %v", tc.key, tc.sent, got)
		}
	}
	bad := []struct {
		name string
		key  string
		sent any
	}{
		{"a text of two lines", "summary", "Rad ett\nRad två"},
		{"a text too long", "summary", strings.Repeat("x", 1001)},
		{"a longtext too long", "details", strings.Repeat("x", 5001)},
		{"a number as text", "age", "tolv"},
		{"a number too large", "age", 1e16},
		{"an option not offered", "fault", "Brinner"},
		{"an option in other case", "fault", "larmar"},
		{"a checkbox as text", "accept", "ja"},
		{"no date", "date", "2027-02-30"},
		{"a date of another form", "date", "28/2/2027"},
		{"a text as a number", "summary", 5.0},
		{"an object", "summary", map[string]any{"x": 1}},
		{"a control character", "summary", "a\u0007b"},
		{"no such question", "colour", "röd"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			before := h.form(t, id)
			r := h.saveForm(t, id, map[string]any{"answers": map[string]any{tc.key: tc.sent}}).MustProblem(t, http.StatusBadRequest, "answers."+tc.key)
			if !bytes.Equal(before.Raw, h.form(t, id).Raw) {
				t.Errorf("the refused save changed the form: %s", r.Raw)
			}
		})
	}
	t.Run("stale version", func(t *testing.T) {
		v := h.form(t, id).Version()
		h.Do(&agent, "PUT", "/v1/cases/"+id+"/form", map[string]any{"answers": map[string]any{"summary": "x"}}, ifMatch(v-1)...).
			MustProblem(t, http.StatusPreconditionFailed)
		h.Do(&agent, "PUT", "/v1/cases/"+id+"/form", map[string]any{"answers": map[string]any{"summary": "x"}}).
			MustProblem(t, http.StatusBadRequest, "version")
		h.Do(&agent, "PUT", "/v1/cases/"+id+"/form", map[string]any{"answers": map[string]any{"summary": "knowingly"}}, "If-Match", "*").
			Must(t, http.StatusOK)
	})
	t.Run("no form", func(t *testing.T) {
		plain := h.create(t, map[string]any{"title": "Utan formulär"}).Str("id")
		h.Do(&agent, "GET", "/v1/cases/"+plain+"/form", nil).MustProblem(t, http.StatusNotFound)
		h.Do(&agent, "PUT", "/v1/cases/"+plain+"/form", map[string]any{"answers": map[string]any{}}, "If-Match", "*").MustProblem(t, http.StatusNotFound)
		h.Do(&agent, "GET", "/v1/cases/"+noSuchID+"/form", nil).MustProblem(t, http.StatusNotFound)
	})
}

// TestCaseFormSubmit: submitting needs every required question answered
// (a required checkbox checked), naming each one missing; a submitted
// form stays complete; staff may reopen it.
func TestCaseFormSubmit(t *testing.T) {
	h := newHarness(t)
	fw := h.formSeed(t)
	id := h.create(t, map[string]any{"title": "Kontroll", "typeId": fw.staffType}).Str("id")
	h.saveForm(t, id, map[string]any{"answers": map[string]any{"summary": "Larmar", "accept": false}}).Must(t, http.StatusOK)

	before := h.form(t, id)
	r := h.saveForm(t, id, map[string]any{"submitted": true}).MustProblem(t, http.StatusBadRequest, "answers.fault", "answers.accept")
	if fields := r.ProblemFields(); len(fields) != 2 {
		t.Errorf("the refusal names %v, want fault and accept", fields)
	}
	if !bytes.Equal(before.Raw, h.form(t, id).Raw) {
		t.Error("the refused submit changed the form")
	}
	done := h.saveForm(t, id, map[string]any{"answers": map[string]any{"fault": "Larmar", "accept": true}, "submitted": true}).Must(t, http.StatusOK)
	if done.Body["submitted"] != true || done.Time(t, "submittedAt").IsZero() || done.Obj("submittedBy")["id"] != userAgent1 ||
		len(done.List("missing")) != 0 {
		t.Fatalf("submitted: %s", done.Raw)
	}
	if ev := h.events(t, id); ev[len(ev)-1]["type"] != "form-submitted" {
		t.Errorf("event %v", ev[len(ev)-1])
	}
	// Still submitted, a required answer may change but not go.
	h.saveForm(t, id, map[string]any{"answers": map[string]any{"fault": nil}}).MustProblem(t, http.StatusBadRequest, "answers.fault")
	h.saveForm(t, id, map[string]any{"answers": map[string]any{"accept": false}}).MustProblem(t, http.StatusBadRequest, "answers.accept")
	h.saveForm(t, id, map[string]any{"answers": map[string]any{"fault": "Går inte igång"}}).Must(t, http.StatusOK)
	// Reopened, it may be incomplete again.
	open := h.saveForm(t, id, map[string]any{"submitted": false, "answers": map[string]any{"fault": nil}}).Must(t, http.StatusOK)
	if open.Body["submitted"] != false || open.Body["submittedAt"] != nil || !reflect.DeepEqual(open.Body["missing"], []any{"fault"}) {
		t.Errorf("reopened: %s", open.Raw)
	}
	if ev := h.events(t, id); ev[len(ev)-1]["type"] != "form-reopened" {
		t.Errorf("event %v", ev[len(ev)-1])
	}
}

// TestCaseFormVersions: a change of the form changes only the cases
// created after it; a case answered before keeps its questions and its
// answers, and still takes answers to them.
func TestCaseFormVersions(t *testing.T) {
	h := newHarness(t)
	fw := h.formSeed(t)
	old := h.create(t, map[string]any{"title": "Före", "typeId": fw.staffType}).Str("id")
	h.saveForm(t, old, map[string]any{"answers": map[string]any{"summary": "Larmar", "fault": "Larmar", "age": 3.0}}).Must(t, http.StatusOK)
	oldForm := h.form(t, old)

	// The form changes: a question goes, one is relabelled, one comes,
	// an option goes.
	body := formBody()
	qs := body["questions"].([]map[string]any)
	qs[0]["label"] = "Sammanfattning"
	qs[3]["options"] = []string{"Går inte igång", "Låter"}
	body["questions"] = append([]map[string]any{qs[0], qs[1], qs[3], qs[4]}, map[string]any{"key": "serial", "label": "Serienummer", "kind": "text", "section": "unit"})
	cur := h.Do(&admin, "GET", "/v1/settings/forms/"+fw.form, nil).Must(t, http.StatusOK)
	h.Do(&admin, "PATCH", "/v1/settings/forms/"+fw.form, body, ifMatch(cur.Version())...).Must(t, http.StatusOK)

	if got := h.form(t, old); !bytes.Equal(got.Raw, oldForm.Raw) {
		t.Errorf("a change of the form changed an answered case's:\nbefore: %s\nafter:  %s", oldForm.Raw, got.Raw)
	}
	// The old case still answers its own questions, by its own options.
	h.saveForm(t, old, map[string]any{"answers": map[string]any{"date": "2026-12-24"}}).Must(t, http.StatusOK)
	h.saveForm(t, old, map[string]any{"answers": map[string]any{"fault": "Larmar"}}).Must(t, http.StatusOK)
	h.saveForm(t, old, map[string]any{"answers": map[string]any{"serial": "X"}}).MustProblem(t, http.StatusBadRequest, "answers.serial")

	fresh := h.create(t, map[string]any{"title": "Efter", "typeId": fw.staffType})
	if v := fresh.Obj("form")["formVersion"]; v != float64(2) {
		t.Errorf("a new case got version %v of the form", v)
	}
	nf := h.form(t, fresh.Str("id"))
	if qs := nf.List("questions"); len(qs) != 5 || qs[0]["label"] != "Sammanfattning" || qs[4]["key"] != "serial" {
		t.Errorf("a new case's questions: %v", qs)
	}
	h.saveForm(t, fresh.Str("id"), map[string]any{"answers": map[string]any{"fault": "Larmar"}}).MustProblem(t, http.StatusBadRequest, "answers.fault")
	h.saveForm(t, fresh.Str("id"), map[string]any{"answers": map[string]any{"serial": "X"}}).Must(t, http.StatusOK)
	if v := h.get(t, old).Obj("form")["formVersion"]; v != float64(1) {
		t.Errorf("the old case now says version %v", v)
	}
}

// TestCaseFormCloseGuard: a case whose form must be submitted before it
// closes is refused a closed status (409 naming the form and the missing
// answers), also at its create, and nothing changes; submitted, it closes.
// A form without the requirement does not hold a close.
func TestCaseFormCloseGuard(t *testing.T) {
	h := newHarness(t)
	fw := h.formSeed(t)
	id := h.create(t, map[string]any{"title": "Läcka", "typeId": fw.customerType}).Str("id")
	h.saveForm(t, id, map[string]any{"answers": map[string]any{"summary": "Droppar"}}).Must(t, http.StatusOK)

	before := h.get(t, id)
	nEvents := len(h.events(t, id))
	r := h.patch(t, id, map[string]any{"statusId": statusClosed}).MustProblem(t, http.StatusConflict)
	for _, want := range []string{"Servicebesök", "Vad händer?", "fault", "Tekniker får gå in", "accept"} {
		if !strings.Contains(r.Detail(), want) {
			t.Errorf("the 409 does not name %q: %s", want, r.Detail())
		}
	}
	if strings.Contains(r.Detail(), "Kort beskrivning") {
		t.Errorf("the 409 names an answered question: %s", r.Detail())
	}
	h.unchanged(t, id, before, nEvents)

	// Answered but not submitted: still refused, saying so.
	h.saveForm(t, id, map[string]any{"answers": map[string]any{"fault": "Larmar", "accept": true}}).Must(t, http.StatusOK)
	r = h.patch(t, id, map[string]any{"statusId": statusClosed}).MustProblem(t, http.StatusConflict)
	if !strings.Contains(r.Detail(), "submit") {
		t.Errorf("the 409 of a complete form does not say to submit it: %s", r.Detail())
	}
	// Waiting is not closed.
	h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	h.saveForm(t, id, map[string]any{"submitted": true}).Must(t, http.StatusOK)
	if got := h.patch(t, id, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK); got.Str("statusCategory") != "closed" {
		t.Errorf("closed: %s", got.Raw)
	}

	// Created closed: refused unless submitted, which a staff create cannot be.
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Stängd", "typeId": fw.customerType, "statusId": statusClosed}).
		MustProblem(t, http.StatusConflict)
	h.create(t, map[string]any{"title": "Stängd", "typeId": fw.staffType, "statusId": statusClosed})
	other := h.create(t, map[string]any{"title": "Utan krav", "typeId": fw.staffType}).Str("id")
	h.patch(t, other, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	if n := h.checkIntegrity(t, admin.Tenant); n != 3 {
		t.Errorf("%d cases", n)
	}
}

// TestFormInUseByOpenCase: a form an open case was given cannot be
// deleted (409 naming the case), though no type gives it any more; once
// the case is closed (or deleted) it can.
func TestFormInUseByOpenCase(t *testing.T) {
	h := newHarness(t)
	fw := h.formSeed(t)
	id := h.create(t, map[string]any{"title": "Öppet ärende", "typeId": fw.staffType}).Str("id")
	gone := h.create(t, map[string]any{"title": "Borttaget", "typeId": fw.staffType}).Str("id")
	h.Do(&admin, "DELETE", "/v1/cases/"+gone, nil, ifMatch(1)...).Must(t, http.StatusNoContent)
	for _, ct := range []string{fw.staffType, fw.customerType} {
		cur := h.Do(&admin, "GET", "/v1/settings/case-types/"+ct, nil).Must(t, http.StatusOK)
		h.Do(&admin, "PATCH", "/v1/settings/case-types/"+ct, map[string]any{"defaultForm": nil}, ifMatch(cur.Version())...).Must(t, http.StatusOK)
	}
	path := "/v1/settings/forms/" + fw.form
	r := h.Do(&admin, "DELETE", path, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
	if number := h.get(t, id).Num("number"); !strings.Contains(r.Detail(), "Öppet ärende") || !strings.Contains(r.Detail(), "#"+strconv.FormatInt(number, 10)) {
		t.Errorf("the 409 does not name the open case: %s", r.Detail())
	}
	h.Do(&admin, "GET", path, nil).Must(t, http.StatusOK)
	h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	h.Do(&admin, "DELETE", path, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
	h.patch(t, id, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	h.Do(&admin, "DELETE", path, nil, "If-Match", "*").Must(t, http.StatusNoContent)
	// The closed case keeps its copy of the form.
	if f := h.form(t, id); f.Str("name") != "Servicebesök" || len(f.List("questions")) != 6 {
		t.Errorf("the case's form after the template went: %s", f.Raw)
	}
}

// TestCaseFormFromOutside: the cases that come from outside the staff app
// get their type's form too, through the create they share (cases.CreateFrom):
// a recurring case's, a portal's.
func TestCaseFormFromOutside(t *testing.T) {
	h := newHarness(t)
	fw := h.formSeed(t)
	for _, source := range []string{cases.SourceRecurring, cases.SourcePortal} {
		c, err := h.svc.CreateFrom(context.Background(), admin.Tenant, cases.From{Source: source, By: "recurring",
			CustomerID: fw.custA, Case: cases.NewCase{Title: "Månadsservice", TypeID: fw.customerType}})
		if err != nil {
			t.Fatalf("%s: %v", source, err)
		}
		if c.Form == nil || c.Form.FormID != fw.form {
			t.Errorf("a %s case got the form %+v", source, c.Form)
		}
		if f := h.form(t, c.ID); f.Str("formId") != fw.form || len(f.List("questions")) != 6 {
			t.Errorf("a %s case's form: %s", source, f.Raw)
		}
	}
}
