package cases

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// A case's form. A case whose type has a default form (settings.Form,
// CaseType.DefaultForm) gets it when it is created, by any route: a copy
// of the form's questions and sections as they are then (the form's
// version), in an item of the case's partition of its own
// (dynamo.CaseFormSK), written in the create's transaction: one write.
// The answers, who gave each and when, and whether the form is submitted
// live in that item too, so a change of the template never changes what
// a case was asked and answered, and the form is read whole with one
// BatchGetItem beside its case. The case says which form it has (Case.Form)
// and its item is listed in GSI3 while it is open (dynamo.FormUsePK), so
// that a form used by an open case is kept from deletion.

// FormRef is what a case says of its form: the template and its version
// the case got when it was created, who fills it and whether the case
// may close before the form is submitted. It never changes.
type FormRef struct {
	FormID              string `json:"formId"`
	Name                string `json:"name"`
	FormVersion         int64  `json:"formVersion"`
	FilledBy            string `json:"filledBy"`
	RequiredBeforeClose bool   `json:"requiredBeforeClose"`
}

// CaseForm is a case's form: the questions of the version the case got,
// the answers so far, and whether it is submitted.
type CaseForm struct {
	CaseID    string         `json:"caseId"`
	Version   int64          `json:"version"`
	CreatedAt timestamp.Time `json:"createdAt"`
	UpdatedAt timestamp.Time `json:"updatedAt"`
	FormRef
	Sections  []settings.FormSection  `json:"sections"`
	Questions []settings.FormQuestion `json:"questions"`
	// Answers are by question key; a question without an answer has none.
	Answers     map[string]Answer `json:"answers"`
	Submitted   bool              `json:"submitted"`
	SubmittedAt *timestamp.Time   `json:"submittedAt,omitempty"`
	SubmittedBy *Answerer         `json:"submittedBy,omitempty"`
	// Missing are the keys of the required questions without an answer
	// (a required checkbox: not checked), in the form's order: computed
	// when answering, never stored.
	Missing []string `json:"missing"`
}

// CurrentVersion returns the version, for the ETag.
func (f *CaseForm) CurrentVersion() int64 { return f.Version }

// Answer is the answer to one question: a string (text, longtext, a
// dropdown's option, a date YYYY-MM-DD), a number or a boolean
// (checkbox), with who gave it and when.
type Answer struct {
	Value any            `json:"value"`
	By    Answerer       `json:"by"`
	At    timestamp.Time `json:"at"`
}

// Answerer is who answered: a member of staff (ID their user) or the
// customer (ID the contact, or the portal login; customers see names only).
type Answerer struct {
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// The kinds of answerer.
const (
	ByStaff    = "staff"
	ByCustomer = "customer"
)

// newForm is the form a new case of type t gets at now, and what the case
// says of it; nils when the type has none.
func newForm(snap *settings.Snapshot, t *settings.CaseType, caseID string, now timestamp.Time) (*FormRef, *CaseForm) {
	d, tpl := snap.DefaultFormOf(t)
	if d == nil {
		return nil, nil
	}
	ref := FormRef{FormID: tpl.ID, Name: tpl.Name, FormVersion: tpl.Version, FilledBy: d.FilledBy, RequiredBeforeClose: d.RequiredBeforeClose}
	f := &CaseForm{CaseID: caseID, Version: 1, CreatedAt: now, UpdatedAt: now, FormRef: ref,
		Sections: slices.Clone(tpl.Sections), Questions: slices.Clone(tpl.Questions), Answers: map[string]Answer{}}
	return &ref, f
}

// question is the question of f with the key, if any.
func (f *CaseForm) question(key string) (settings.FormQuestion, bool) {
	i := slices.IndexFunc(f.Questions, func(q settings.FormQuestion) bool { return q.Key == key })
	if i < 0 {
		return settings.FormQuestion{}, false
	}
	return f.Questions[i], true
}

// missing are the keys of f's required questions without an answer.
func (f *CaseForm) missing() []string {
	out := []string{}
	for _, q := range f.Questions {
		a, ok := f.Answers[q.Key]
		if q.Required && (!ok || (q.Kind == settings.QuestionCheckbox && a.Value != true)) {
			out = append(out, q.Key)
		}
	}
	return out
}

// answered is f as answered: with what is missing.
func (f *CaseForm) answered() *CaseForm {
	f.Missing = f.missing()
	return f
}

// forCustomer is f as its customer sees it: who answered by name only.
func (f *CaseForm) forCustomer() *CaseForm {
	g := *f
	g.Answers = make(map[string]Answer, len(f.Answers))
	for k, a := range f.Answers {
		a.By.ID = ""
		g.Answers[k] = a
	}
	if f.SubmittedBy != nil {
		by := *f.SubmittedBy
		by.ID = ""
		g.SubmittedBy = &by
	}
	return g.answered()
}

// formEdit is a save of a form as planned: the form after it, and its
// event's changes.
type formEdit struct {
	f       *CaseForm
	changes []Change
	event   string // form-saved, form-submitted, form-reopened
}

// editForm plans answers (by question key, nil clearing one) and a submit
// (true: submit; false: reopen; nil: as it is) of form old by by at now.
// Answers are checked against the kinds and options of the questions;
// a submitted form (submitted now, or before and staying so) must have
// every required question answered. Field errors are named prefix.key.
func editForm(old *CaseForm, answers map[string]any, submit *bool, by Answerer, now timestamp.Time, prefix string) (*formEdit, error) {
	f := *old
	f.Answers = maps.Clone(old.Answers)
	e := &formEdit{f: &f, event: "form-saved"}
	var errs problem.Fields
	for _, key := range slices.Sorted(maps.Keys(answers)) {
		q, ok := f.question(key)
		if !ok {
			errs.Add(prefix+key, "no question of the form %q has the key %q", f.Name, key)
			continue
		}
		v, msg := answerValue(q, answers[key])
		if msg != "" {
			errs.Add(prefix+key, "%s", msg)
			continue
		}
		e.set(key, v, by, now)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	e.submit(submit, by, now)
	if f.Submitted {
		if missing := f.missing(); len(missing) > 0 {
			for _, key := range missing {
				errs.Add(prefix+key, "is required to submit the form")
			}
			return nil, errs.Err()
		}
	}
	return e, nil
}

// set answers question key with v (nil: no answer) by by at now; an
// answer that stays as it was keeps who gave it and when.
func (e *formEdit) set(key string, v any, by Answerer, now timestamp.Time) {
	before, had := e.f.Answers[key]
	switch {
	case v == nil && !had:
		return
	case v == nil:
		delete(e.f.Answers, key)
	case had && before.Value == v:
		return
	default:
		e.f.Answers[key] = Answer{Value: v, By: by, At: now}
	}
	var was any
	if had {
		was = before.Value
	}
	e.changes = append(e.changes, Change{Field: "form." + key, Before: shorten(was), After: shorten(v)})
}

// submit submits (true) or reopens (false) the form; nil leaves it.
func (e *formEdit) submit(submit *bool, by Answerer, now timestamp.Time) {
	f := e.f
	switch {
	case submit == nil || *submit == f.Submitted:
	case *submit:
		f.Submitted, f.SubmittedAt, f.SubmittedBy = true, &now, &by
		e.event = "form-submitted"
		e.changes = append(e.changes, Change{Field: "form.submitted", Before: false, After: true})
	default:
		f.Submitted, f.SubmittedAt, f.SubmittedBy = false, nil, nil
		e.event = "form-reopened"
		e.changes = append(e.changes, Change{Field: "form.submitted", Before: true, After: false})
	}
}

// changed reports whether the save changes anything.
func (e *formEdit) changed() bool { return len(e.changes) > 0 }

// errFormNotSubmitted: a move to a closed status of a case whose form
// must be submitted first found it not submitted (see notSubmitted).
var errFormNotSubmitted = problem.New(problem.Conflict, "The case's form must be submitted before the case is closed.")

// notSubmitted is the 409 of a close refused for form f: it names the
// form and the answers still missing.
func notSubmitted(f *CaseForm) error {
	missing := f.missing()
	detail := fmt.Sprintf("The form %q must be submitted before the case is closed", f.Name)
	if len(missing) == 0 {
		return problem.New(problem.Conflict, "%s; it has every required answer: submit it (PUT /v1/cases/%s/form with \"submitted\": true).", detail, f.CaseID)
	}
	labels := make([]string, 0, len(missing))
	fields := make([]problem.FieldError, 0, len(missing))
	for _, key := range missing {
		q, _ := f.question(key)
		labels = append(labels, fmt.Sprintf("%q (%s)", q.Label, key))
		fields = append(fields, problem.FieldError{Field: "form.answers." + key, Message: "is required to submit the form"})
	}
	return &problem.Error{Code: problem.Conflict, Fields: fields,
		Detail: fmt.Sprintf("%s; it lacks answers to %s.", detail, strings.Join(labels, ", "))}
}

// givenForm gives planned new case n its type's form, with the answers
// its source sent (website intake: a submission), and refuses a case
// created in a closed status whose form must be submitted first.
func (n *newCase) giveForm(snap *settings.Snapshot, t *settings.CaseType, sent *formAnswers, now timestamp.Time) error {
	n.c.Form, n.form = newForm(snap, t, n.c.ID, now)
	if sent != nil {
		if err := n.answerAtCreate(sent, now); err != nil {
			return err
		}
	}
	if n.form != nil && n.form.RequiredBeforeClose && !n.form.Submitted && n.c.StatusCategory == settings.CategoryClosed {
		return notSubmitted(n.form)
	}
	return nil
}

// formAnswers are the answers a case's source sends with its create, by
// question key, and who gave them: customers (website intake).
type formAnswers struct {
	values map[string]any
	by     Answerer
}

// answerAtCreate submits the answers sent with a create from outside:
// only to a form customers fill.
func (n *newCase) answerAtCreate(sent *formAnswers, now timestamp.Time) error {
	switch {
	case n.form == nil:
		return problem.FieldInvalid("form", "the case type has no form")
	case n.form.FilledBy != settings.FilledByCustomer:
		return problem.FieldInvalid("form", "the case type's form is filled by staff, not by the customer")
	}
	submit := true
	e, err := editForm(n.form, sent.values, &submit, sent.by, now, "form.")
	if err != nil {
		return err
	}
	n.form = e.f
	return nil
}
