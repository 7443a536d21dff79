package intake_test

import (
	"net/http"
	"testing"

	"github.com/workcloud/arendehantering/internal/identity"
)

// withForm gives case type typeID a form with a required text, a
// dropdown and a checkbox, filled by filledBy, and answers the form's ID.
func (h *harness) withForm(t testing.TB, p identity.Principal, typeID, filledBy string) string {
	t.Helper()
	f := h.Do(&p, "POST", "/v1/settings/forms", map[string]any{"name": "Felbeskrivning " + filledBy,
		"sections": []map[string]any{{"key": "what", "title": "Vad har hänt?"}},
		"questions": []map[string]any{
			{"key": "since", "label": "Sedan när?", "kind": "date"},
			{"key": "what", "label": "Vad är fel?", "kind": "text", "required": true, "section": "what"},
			{"key": "where", "label": "Var?", "kind": "dropdown", "options": []string{"Kök", "Bad"}, "section": "what"},
			{"key": "home", "label": "Någon är hemma", "kind": "checkbox", "section": "what"},
		}}).Must(t, http.StatusCreated).Str("id")
	cur := h.Do(&p, "GET", "/v1/settings/case-types/"+typeID, nil).Must(t, http.StatusOK)
	h.Do(&p, "PATCH", "/v1/settings/case-types/"+typeID, map[string]any{"defaultForm": map[string]any{"formId": f, "filledBy": filledBy}},
		"If-Match", cur.Header.Get("ETag")).Must(t, http.StatusOK)
	return f
}

// TestExternalFormQuestions: the form a website renders lists the
// questions of the type's form when the customer fills it, and nothing
// of one staff fill.
func TestExternalFormQuestions(t *testing.T) {
	h := newHarness(t)
	typeID, apiID, _, _, _ := h.typeOf(t, admin, "Felanmälan")
	staffID, staffAPIID, _, _, _ := h.typeOf(t, admin, "Besiktning")
	h.withForm(t, admin, typeID, "customer")
	h.withForm(t, admin, staffID, "staff")
	key, _ := h.newKey(t, admin, map[string]any{"name": "Webb"})

	f := h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", key).Must(t, http.StatusOK)
	q := f.Obj("form")
	qs, _ := q["questions"].([]any)
	if q["name"] != "Felbeskrivning customer" || len(qs) != 4 || qs[1].(map[string]any)["key"] != "what" ||
		qs[1].(map[string]any)["required"] != true || len(q["sections"].([]any)) != 1 {
		t.Errorf("the form's questions: %s", f.Raw)
	}
	s := h.Do(nil, "GET", "/v1/external/case-types/"+staffAPIID, nil, "X-Api-Key", key).Must(t, http.StatusOK)
	if _, ok := s.Body["form"]; ok {
		t.Errorf("a form staff fill is shown to a website: %s", s.Raw)
	}
}

// TestExternalCreateWithAnswers: a website's answers (form, by question
// key) are the submission of the case's form, by the customer, checked
// as a submit is; without them the case gets its form unanswered; a type
// without a form, or with one staff fill, takes none.
func TestExternalCreateWithAnswers(t *testing.T) {
	h := newHarness(t)
	typeID, apiID, text, _, _ := h.typeOf(t, admin, "Felanmälan")
	staffID, staffAPIID, staffText, _, _ := h.typeOf(t, admin, "Besiktning")
	_, plainAPIID, plainText, _, _ := h.typeOf(t, admin, "Fråga")
	h.withForm(t, admin, typeID, "customer")
	h.withForm(t, admin, staffID, "staff")
	key, _ := h.newKey(t, admin, map[string]any{"name": "Webb"})

	body := form(apiID, text, "rita@example.se")
	body["form"] = map[string]any{"what": "Kranen droppar", "where": "Kök", "home": true, "since": "2026-11-20"}
	id := h.submit(key, body).Must(t, http.StatusCreated).Str("id")
	f := h.Do(&agent, "GET", "/v1/cases/"+id+"/form", nil).Must(t, http.StatusOK)
	if f.Body["submitted"] != true || len(f.Obj("answers")) != 4 {
		t.Fatalf("the form of a case from a website: %s", f.Raw)
	}
	a := f.Obj("answers")["what"].(map[string]any)
	if by := a["by"].(map[string]any); a["value"] != "Kranen droppar" || by["kind"] != "customer" || by["name"] != "Rita Rask" {
		t.Errorf("answer %v", a)
	}
	if by := f.Obj("submittedBy"); by["kind"] != "customer" {
		t.Errorf("submitted by %v", by)
	}

	// Without answers: the form, unanswered, for the customer to fill later.
	id = h.submit(key, form(apiID, text, "rita@example.se")).Must(t, http.StatusCreated).Str("id")
	if f := h.Do(&agent, "GET", "/v1/cases/"+id+"/form", nil).Must(t, http.StatusOK); f.Body["submitted"] != false || len(f.Obj("answers")) != 0 {
		t.Errorf("the form of a case from a website without answers: %s", f.Raw)
	}

	n := h.caseCount(t, admin)
	for name, tc := range map[string]struct {
		body  map[string]any
		field string
	}{
		"a required answer missing": {func() map[string]any {
			b := form(apiID, text, "rita@example.se")
			b["form"] = map[string]any{"where": "Bad"}
			return b
		}(), "form.what"},
		"an option not offered": {func() map[string]any {
			b := form(apiID, text, "rita@example.se")
			b["form"] = map[string]any{"what": "Droppar", "where": "Garage"}
			return b
		}(), "form.where"},
		"no such question": {func() map[string]any {
			b := form(apiID, text, "rita@example.se")
			b["form"] = map[string]any{"what": "Droppar", "colour": "röd"}
			return b
		}(), "form.colour"},
		"a form staff fill": {func() map[string]any {
			b := form(staffAPIID, staffText, "rita@example.se")
			b["form"] = map[string]any{"what": "Droppar"}
			return b
		}(), "form"},
		"a type without a form": {func() map[string]any {
			b := form(plainAPIID, plainText, "rita@example.se")
			b["form"] = map[string]any{"what": "Droppar"}
			return b
		}(), "form"},
	} {
		t.Run(name, func(t *testing.T) {
			h.submit(key, tc.body).MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	if got := h.caseCount(t, admin); got != n {
		t.Errorf("%d cases after refused forms, %d before", got, n)
	}
}
