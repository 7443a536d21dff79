package conversations

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// The form section of the customer's page: a case's form the customer
// fills, below the conversation. An HTML form of its own, posted to
// /c/{token}/form with the same binding (CSRF token) as the reply form,
// no script: every question as an input (its answer so far), "save"
// keeping the answers and "submit" submitting the form; the browser's
// own check asks for the required questions on submit only. A submitted
// form is shown as answers, no longer as inputs.

// formShown is the form section as the page shows it.
type formShown struct {
	Name, Action   string
	Version        int64
	Submitted      bool
	Questions      []shownQuestion
	Notice, Error  string
	MaxText, MaxLn int
}

// shownQuestion is one question of the form section.
type shownQuestion struct {
	// Heading is the title of the section the question starts, with its
	// help.
	Heading, SectionHelp string
	ID, Name, Label      string
	Help, Kind, Input    string
	Required, Checked    bool
	Value                string
	Options              []shownOption
	Error                string
	// Answer is the answer in words, for a submitted form.
	Answer string
}

// shownOption is one option of a dropdown.
type shownOption struct {
	Value    string
	Selected bool
}

// maxFormPost bounds a post of the form section: every answer a case's
// form item holds (at most 160 KiB), URL-encoded (up to three times as
// long for letters such as å).
const maxFormPost = 512 << 10

// answerField is the name of the page's input of the question with key.
func answerField(key string) string { return "a." + key }

// formView is the form section of form f (as its customer sees it).
func formView(f *cases.CaseForm, t *pageText, token string) *formShown {
	v := &formShown{Name: f.Name, Action: url.PathEscape(token) + "/form", Version: f.Version, Submitted: f.Submitted,
		MaxText: 1000, MaxLn: 5000}
	titles := map[string]settings.FormSection{}
	for _, sec := range f.Sections {
		titles[sec.Key] = sec
	}
	section := ""
	for _, q := range f.Questions {
		sq := shownQuestion{ID: "q-" + q.Key, Name: answerField(q.Key), Label: q.Label, Help: q.Help, Kind: q.Kind,
			Input: inputType(q.Kind), Required: q.Required}
		if q.Section != section {
			section = q.Section
			sq.Heading, sq.SectionHelp = titles[section].Title, titles[section].Help
		}
		a, answered := f.Answers[q.Key]
		if answered {
			sq.Value, sq.Checked = answerText(a.Value, t.Decimal), a.Value == true
		}
		sq.Answer = answerWords(q, a.Value, answered, t)
		sq.Options = options(q, sq.Value)
		v.Questions = append(v.Questions, sq)
	}
	return v
}

// inputType is the HTML input type of a question of a kind (text: a
// number takes a decimal comma, which type=number does not everywhere).
func inputType(kind string) string {
	if kind == settings.QuestionDate {
		return "date"
	}
	return "text"
}

// answerText is an answer as an input's value, a number with the
// page's decimal mark (the page takes either back).
func answerText(v any, decimal string) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", decimal, 1)
	}
	return ""
}

// answerWords is an answer as a submitted form shows it.
func answerWords(q settings.FormQuestion, v any, answered bool, t *pageText) string {
	switch {
	case !answered:
		return "–"
	case q.Kind == settings.QuestionCheckbox && v == true:
		return t.Yes
	case q.Kind == settings.QuestionCheckbox:
		return t.No
	}
	return answerText(v, t.Decimal)
}

// options are a dropdown's options, the one chosen selected.
func options(q settings.FormQuestion, chosen string) []shownOption {
	var out []shownOption
	for _, o := range q.Options {
		out = append(out, shownOption{Value: o, Selected: o == chosen})
	}
	return out
}

// handlePageForm is POST /c/{token}/form: the form section. A save that
// is taken is answered with a redirect to the page (post/redirect/get);
// one that is refused with the page again, saying why, the answers kept.
func (s *Service) handlePageForm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	values, err := readFormOf(w, r, maxFormPost, func(name string) bool {
		return name == "binding" || name == "action" || name == "version" || strings.HasPrefix(name, "a.")
	})
	var version int64
	if err == nil {
		version, err = strconv.ParseInt(values.Get("version"), 10, 64)
		action := values.Get("action")
		if err != nil || version < 1 || (action != "save" && action != "submit") || !s.links.Ring.Bound(token, values.Get("binding")) {
			err = errForm
		}
	}
	if err != nil {
		s.renderError(w, r, err, token)
		return
	}
	text := map[string]string{}
	for name, v := range values {
		if key, ok := strings.CutPrefix(name, "a."); ok {
			text[key] = v[0]
		}
	}
	_, err = s.LinkForm(r.Context(), token, version, text, values.Get("action") == "submit")
	switch problem.CodeOf(err) {
	case problem.Invalid, problem.Conflict, problem.PreconditionFailed:
		s.formRefused(w, r, token, text, err)
		return
	}
	if err != nil {
		s.renderError(w, r, err, token)
		return
	}
	seeOther(w, "../"+url.PathEscape(token)+"?sent=form#form")
}

// formRefused shows the page again with a save of the form that was
// refused: answers that break a question's rules (400, the answers kept
// and each wrong one marked), a form changed meanwhile or submitted
// already (409, as it is now).
func (s *Service) formRefused(w http.ResponseWriter, r *http.Request, token string, text map[string]string, err error) {
	c, verr := s.Visit(r.Context(), token)
	if verr == nil && c.Form == nil {
		verr = errLinkInvalid
	}
	if verr != nil {
		s.renderError(w, r, verr, token)
		return
	}
	v := s.conversationView(c, token)
	switch problem.CodeOf(err) {
	case problem.PreconditionFailed:
		v.Form.Error = v.T.FormStale
	case problem.Conflict:
		v.Form.Error = v.T.FormLocked
	default:
		v.Form.Error = v.T.FormErrors
		markErrors(v.Form, text, err, v.T)
		s.render(w, r, http.StatusBadRequest, v)
		return
	}
	s.render(w, r, http.StatusConflict, v)
}

// markErrors puts the answers as sent back into the form section and
// marks each one the save refused.
func markErrors(f *formShown, text map[string]string, err error, t *pageText) {
	wrong := map[string]bool{}
	if pe, ok := errors.AsType[*problem.Error](err); ok {
		for _, fe := range pe.Fields {
			wrong[strings.TrimPrefix(fe.Field, "answers.")] = true
		}
	}
	for i := range f.Questions {
		q := &f.Questions[i]
		key := strings.TrimPrefix(q.Name, "a.")
		sent, ok := text[key]
		q.Value, q.Checked = sent, ok
		for j := range q.Options {
			q.Options[j].Selected = q.Options[j].Value == sent
		}
		switch {
		case !wrong[key]:
		case strings.TrimSpace(sent) == "" || (q.Kind == settings.QuestionCheckbox && !ok):
			q.Error = t.FormRequired
		default:
			q.Error = t.FormInvalid
		}
	}
}
