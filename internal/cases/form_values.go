package cases

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/settings"
)

// Bounds of an answer to a form's question, in characters. A whole case
// form item is bounded too (maxFormBytes).
const (
	maxAnswerText     = 1000
	maxAnswerLongText = 5000
	// maxAnswerNumber bounds a number's magnitude: beyond it a float64 no
	// longer holds every integer exactly.
	maxAnswerNumber = 1e15
)

// answerValue checks v, an answer sent as JSON (string, number, boolean
// or null), against question q's kind and options, and answers it as
// stored: texts trimmed, an empty text (and null) no answer (nil). msg
// says what is wrong with it ("" when nothing is).
func answerValue(q settings.FormQuestion, v any) (value any, msg string) {
	if v == nil {
		return nil, ""
	}
	switch q.Kind {
	case settings.QuestionNumber:
		return numberAnswer(v)
	case settings.QuestionCheckbox:
		if b, ok := v.(bool); ok {
			return b, ""
		}
		return nil, "must be true or false (a checkbox)"
	}
	s, ok := v.(string)
	if !ok {
		return nil, "must be a string (a " + q.Kind + " question)"
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return nil, ""
	}
	return s, textProblem(q, s)
}

// numberAnswer is a number answer, finite and bounded.
func numberAnswer(v any) (any, string) {
	n, ok := v.(float64)
	if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
		return nil, "must be a number"
	}
	if math.Abs(n) > maxAnswerNumber {
		return nil, "must be between -1e15 and 1e15"
	}
	return n, ""
}

// textProblem says what is wrong with text answer s of question q: its
// length, a line break in a one-line text, an option the dropdown does not
// have, a date that is not one ("" when nothing is).
func textProblem(q settings.FormQuestion, s string) string {
	n := len([]rune(s))
	switch q.Kind {
	case settings.QuestionText:
		if n > maxAnswerText {
			return "must be at most " + strconv.Itoa(maxAnswerText) + " characters"
		}
		if strings.ContainsAny(s, "\n\r") {
			return "must be one line (a text question; longtext takes several)"
		}
	case settings.QuestionLongText:
		if n > maxAnswerLongText {
			return "must be at most " + strconv.Itoa(maxAnswerLongText) + " characters"
		}
	case settings.QuestionDropdown:
		if !slices.Contains(q.Options, s) {
			return "must be one of the question's options: " + strings.Join(q.Options, ", ")
		}
	case settings.QuestionDate:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return "must be a date written YYYY-MM-DD"
		}
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' }) {
		return "may not hold control characters"
	}
	return ""
}

// numberText is a number written in an HTML form: nil when empty, the
// number with a decimal comma or point, else the text (which the check
// refuses).
func numberText(s string) any {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if t == "" {
		return nil
	}
	if n, err := strconv.ParseFloat(t, 64); err == nil {
		return n
	}
	return s
}

// textAnswers are the answers of an HTML form that shows every question
// of f (the customer's page), as JSON values: a number as written (with
// a decimal comma or point; what is no number stays text, which the
// check refuses), a checkbox true when sent and false when not, and
// every other question its text ("" is no answer).
func textAnswers(f *CaseForm, text map[string]string) map[string]any {
	out := make(map[string]any, len(f.Questions))
	for _, q := range f.Questions {
		s, sent := text[q.Key]
		switch {
		case q.Kind == settings.QuestionCheckbox:
			out[q.Key] = sent
		case q.Kind == settings.QuestionNumber:
			out[q.Key] = numberText(s)
		default:
			out[q.Key] = s
		}
	}
	for k, s := range text {
		if _, ok := f.question(k); !ok {
			out[k] = s // refused by the check: no such question
		}
	}
	return out
}
