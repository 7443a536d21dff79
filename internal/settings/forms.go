package settings

import (
	"fmt"
	"slices"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Form is a form template (Formulär): a questionnaire, such as a service
// checklist, an inspection protocol or a fault description, that a case
// type gives each of its new cases (CaseType.DefaultForm) to be answered
// per case by the customer or by staff. Each case keeps a copy of the
// questions as they were when it was created (its form's Version), so a
// change of the template never changes what was asked and answered.
type Form struct {
	Meta
	Name string `json:"name"`
	// Sections are headings that group questions; a question names its
	// section, and the questions of a section follow each other.
	Sections  []FormSection  `json:"sections"`
	Questions []FormQuestion `json:"questions"`
}

// FormSection is a heading of a form.
type FormSection struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Help  string `json:"help,omitempty"`
}

// FormQuestion is one question of a form. Key names its answer (in the
// API, in website intake and in events); Options are a dropdown's
// choices. A required checkbox must be checked.
type FormQuestion struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Kind     string   `json:"kind"`
	Options  []string `json:"options,omitempty"`
	Help     string   `json:"help,omitempty"`
	Required bool     `json:"required"`
	Section  string   `json:"section,omitempty"`
}

// The kinds of question.
const (
	QuestionText     = "text"
	QuestionLongText = "longtext"
	QuestionNumber   = "number"
	QuestionDropdown = "dropdown"
	QuestionCheckbox = "checkbox"
	QuestionDate     = "date"
)

// QuestionKinds are the kinds of question, in the order the API lists them.
var QuestionKinds = []string{QuestionText, QuestionLongText, QuestionNumber, QuestionDropdown, QuestionCheckbox, QuestionDate}

// Who fills a case type's default form (DefaultForm.FilledBy).
const (
	FilledByCustomer = "customer"
	FilledByStaff    = "staff"
)

// Bounds of a form, besides the bound of every stored object
// (maxObjectBytes): a case copies its form's questions into an item of its
// own when it is created.
const (
	maxFormQuestions = 100
	maxFormSections  = 20
	maxQuestionLabel = 200
	maxFormHelp      = 500
)

func forms() *collection[Form, *Form] {
	return &collection[Form, *Form]{
		noun: "form", kind: kindForm, path: "/v1/settings/forms",
		items: func(s *Snapshot) map[string]*Form { return s.Forms },
		name:  func(f *Form) string { return f.Name },
		check: checkForm,
		users: func(s *Snapshot, v *Form) []string {
			return typesLinking(s, func(t *CaseType) bool { return t.DefaultForm != nil && t.DefaultForm.FormID == v.ID })
		},
		// An open case that was given the form keeps it from deletion too
		// (its own copy would survive it, but staff asked for the guard).
		caseList: caselist.OpenWithForm,
	}
}

func checkForm(s *Snapshot, id string, v *Form, errs *problem.Fields) {
	errs.Text("name", v.Name, 1, maxName)
	checkUniqueName(errs, s.Forms, id, v.Name, func(o *Form) string { return o.Name })
	if v.Sections == nil {
		v.Sections = []FormSection{}
	}
	if v.Questions == nil {
		v.Questions = []FormQuestion{}
	}
	switch {
	case len(v.Sections) > maxFormSections:
		errs.Add("sections", "may hold at most %d sections", maxFormSections)
		return // bounds first: never check entries of an oversized list
	case len(v.Questions) > maxFormQuestions:
		errs.Add("questions", "may hold at most %d questions", maxFormQuestions)
		return
	case len(v.Questions) == 0:
		errs.Add("questions", "a form needs at least one question")
	}
	for i, sec := range v.Sections {
		prefix := fmt.Sprintf("sections[%d].", i)
		checkFormKey(errs, prefix+"key", sec.Key)
		if slices.ContainsFunc(v.Sections[:i], func(o FormSection) bool { return o.Key == sec.Key }) {
			errs.Add(prefix+"key", "key %q is used twice", sec.Key)
		}
		errs.Text(prefix+"title", sec.Title, 1, maxName)
		errs.Text(prefix+"help", sec.Help, 0, maxFormHelp)
		if !slices.ContainsFunc(v.Questions, func(q FormQuestion) bool { return q.Section == sec.Key }) {
			errs.Add(prefix+"key", "the section has no questions")
		}
	}
	for i := range v.Questions {
		checkQuestion(errs, v, i)
	}
}

// checkQuestion checks question i of form v: its key, texts, kind and
// options, and its section (one of the form's, whose questions follow
// each other).
func checkQuestion(errs *problem.Fields, v *Form, i int) {
	q := v.Questions[i]
	prefix := fmt.Sprintf("questions[%d].", i)
	checkFormKey(errs, prefix+"key", q.Key)
	if slices.ContainsFunc(v.Questions[:i], func(o FormQuestion) bool { return o.Key == q.Key }) {
		errs.Add(prefix+"key", "key %q is used twice", q.Key)
	}
	errs.Text(prefix+"label", q.Label, 1, maxQuestionLabel)
	errs.Text(prefix+"help", q.Help, 0, maxFormHelp)
	errs.OneOf(prefix+"kind", q.Kind, QuestionKinds...)
	if q.Kind == QuestionDropdown {
		checkKindAndOptions(errs, prefix, KindDropdown, q.Options)
	} else if len(q.Options) > 0 {
		errs.Add(prefix+"options", "only a dropdown question has options")
	}
	if q.Section == "" {
		if i > 0 && v.Questions[i-1].Section != "" {
			errs.Add(prefix+"section", "questions without a section come before the first section")
		}
		return
	}
	if !slices.ContainsFunc(v.Sections, func(s FormSection) bool { return s.Key == q.Section }) {
		errs.Add(prefix+"section", "no section of the form has the key %q", q.Section)
		return
	}
	if i > 0 && v.Questions[i-1].Section != q.Section &&
		slices.ContainsFunc(v.Questions[:i], func(o FormQuestion) bool { return o.Section == q.Section }) {
		errs.Add(prefix+"section", "the questions of section %q must follow each other", q.Section)
	}
}

// checkFormKey checks the key of a question or section.
func checkFormKey(errs *problem.Fields, field, key string) {
	if !reportKeyPattern().MatchString(key) {
		errs.Add(field, "must be 1-40 lower-case letters, digits or dashes, starting with a letter")
	}
}

// checkDefaultForm checks a case type's default form: a form of the
// tenant's, filled by the customer or by staff (staff when not said).
func checkDefaultForm(s *Snapshot, d *DefaultForm, errs *problem.Fields) {
	if d == nil {
		return
	}
	if d.FormID == "" {
		errs.Add("defaultForm.formId", "is required")
	}
	checkRef(errs, "defaultForm.formId", d.FormID, "form", func(id string) bool { _, ok := s.Forms[id]; return ok })
	if d.FilledBy == "" {
		d.FilledBy = FilledByStaff
	}
	errs.OneOf("defaultForm.filledBy", d.FilledBy, FilledByCustomer, FilledByStaff)
}

// DefaultFormOf is the default form of case type t and its template, or
// nils when t has none (or its form is gone: a race with its delete).
func (s *Snapshot) DefaultFormOf(t *CaseType) (*DefaultForm, *Form) {
	if t == nil || t.DefaultForm == nil {
		return nil, nil
	}
	f, ok := s.Forms[t.DefaultForm.FormID]
	if !ok {
		return nil, nil
	}
	return t.DefaultForm, f
}
