package settings

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// commonPlaceholders may be used in every text.
var commonPlaceholders = []string{
	"case.number", "case.title", "case.status", "case.priority", "case.type", "case.deadline",
	"customer.name", "contact.name", "contact.email",
	"agent.name", "agent.email", "agent.phone",
	"company.name", "company.email", "company.phone",
}

// extraPlaceholders are the names only some texts have a value for.
var extraPlaceholders = map[string][]string{
	"conversation-message": {"conversation.link", "message.text"},
	"conversation-link":    {"conversation.link"},
	"conversation-reply":   {"case.link", "message.text"},
	"review-request":       {"review.link"},
	"mention":              {"case.link", "mention.author", "comment.text"},
	"sla-breach":           {"case.link", "sla.target", "sla.due"},
}

// Placeholders returns the names the text key may use, written
// {{case.number}}. The mailer fills them; any other name is refused when
// the text is saved, so a mail never goes out with a hole in it.
func Placeholders(key string) []string {
	return slices.Concat(commonPlaceholders, extraPlaceholders[key])
}

var placeholderPattern = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// checkPlaceholders refuses placeholders the text key does not have,
// naming them, and braces that do not form a placeholder.
func checkPlaceholders(errs *problem.Fields, field, key, s string) {
	allowed := Placeholders(key)
	for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(allowed, m[1]) {
			errs.Add(field, "unknown placeholder {{%s}}; the %s text may use %s", m[1], key, strings.Join(allowed, ", "))
		}
	}
	rest := placeholderPattern.ReplaceAllString(s, "")
	if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		errs.Add(field, "has a {{ or }} that does not form a placeholder such as {{case.number}}")
	}
}

func textOrder(a, b *Text) int {
	return cmp.Or(cmp.Compare(slices.Index(textKeys, a.Key), slices.Index(textKeys, b.Key)),
		cmp.Compare(slices.Index(locales, a.Locale), slices.Index(locales, b.Locale)))
}

// textInput is the body of PUT /v1/settings/texts/{key}, besides the
// version (see httpapi.ReadUpdate).
type textInput struct {
	Locale  string `json:"locale"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// texts is the resource of the mail texts: one per key and locale, all
// there from the start, so they are read and replaced, never created or
// deleted.
type texts struct{}

func (texts) storedKind() string { return kindText }

func (texts) decode(s *Snapshot, item dynamo.Item) error {
	var t Text
	if err := dynamo.DecodeData(item, &t); err != nil {
		return fmt.Errorf("decode text: %w", err)
	}
	s.Texts[textID(t.Key, t.Locale)] = &t
	return nil
}

func (texts) storeAll(s *Snapshot, w *writes) {
	for _, t := range s.Texts {
		w.put(kindText, t, -1)
	}
}

func (texts) routes(svc *Service) []httpapi.Route {
	const path = "/v1/settings/texts"
	return []httpapi.Route{
		httpapi.NewRoute("POST", path+"/{key}/preview", httpapi.HandlerFunc(svc.handlePreview)),
		httpapi.NewRoute("GET", path, httpapi.HandlerFunc(svc.handleTexts)),
		httpapi.NewRoute("GET", path+"/{key}", httpapi.HandlerFunc(svc.handleText)),
		httpapi.NewRoute("PUT", path+"/{key}", svc.updateHandler([]identity.Role{identity.Admin}, nil, svc.putText)),
	}
}

func (svc *Service) handleTexts(w http.ResponseWriter, r *http.Request) error {
	_, snap, err := svc.staffSnapshot(r)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[*Text]{Items: sortedValues(snap.Texts, textOrder)})
	return nil
}

func (svc *Service) handleText(w http.ResponseWriter, r *http.Request) error {
	_, snap, err := svc.staffSnapshot(r)
	if err != nil {
		return err
	}
	locale := r.URL.Query().Get("locale")
	if locale == "" {
		locale = snap.General.Locale
	}
	t, err := findText(snap, r.PathValue("key"), locale)
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, t)
	return nil
}

// putText replaces a text. The body names the locale; the key is the
// path's.
func (svc *Service) putText(r *http.Request, u update, snap *Snapshot, tx *writes) (object, error) {
	var in textInput
	if err := httpapi.Unmarshal(u.in.Body, &in); err != nil {
		return nil, err
	}
	return svc.replaceText(snap, tx, r.PathValue("key"), in, u.version)
}

// replaceText replaces the text key in the locale of in by in's, if in is
// valid and based on version.
func (svc *Service) replaceText(snap *Snapshot, tx *writes, key string, in textInput, version int64) (*Text, error) {
	if !slices.Contains(textKeys, key) {
		return nil, problem.New(problem.NotFound, "There is no text %q; the texts are %s.", key, strings.Join(textKeys, ", "))
	}
	var errs problem.Fields
	errs.OneOf("locale", in.Locale, locales...)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	old, err := findText(snap, key, in.Locale)
	if err != nil {
		return nil, err
	}
	if err := httpapi.CheckVersion("text", old, version, nil); err != nil {
		return nil, err
	}
	if err := checkText(key, in.Subject, in.Body); err != nil {
		return nil, err
	}
	t := *old
	t.Subject, t.Body = in.Subject, in.Body
	svc.replace(tx, kindText, old, &t)
	return &t, nil
}

// checkText checks a subject and a body for the text key: bounded, the
// subject one line, only the key's placeholders.
func checkText(key, subject, body string) error {
	var errs problem.Fields
	errs.Text("subject", subject, 1, maxSubject)
	errs.Line("subject", subject)
	checkPlaceholders(&errs, "subject", key, subject)
	errs.Text("body", body, 1, maxBody)
	checkPlaceholders(&errs, "body", key, body)
	return errs.Err()
}

func findText(snap *Snapshot, key, locale string) (*Text, error) {
	if !slices.Contains(textKeys, key) {
		return nil, problem.New(problem.NotFound, "There is no text %q; the texts are %s.", key, strings.Join(textKeys, ", "))
	}
	if !slices.Contains(locales, locale) {
		return nil, problem.FieldInvalid("locale", "must be one of %s", strings.Join(locales, ", "))
	}
	t, ok := snap.Texts[textID(key, locale)]
	if !ok {
		return nil, problem.New(problem.NotFound, "There is no %s text %q.", locale, key)
	}
	return t, nil
}

// Render fills a text's placeholders ({{case.number}}) from values; a
// placeholder without a value becomes empty. The subject comes out as one
// line whatever the values hold, so no value can add a mail header.
func Render(subject, body string, values map[string]string) (string, string) {
	fill := func(s string) string {
		return placeholderPattern.ReplaceAllStringFunc(s, func(m string) string {
			return values[placeholderPattern.FindStringSubmatch(m)[1]]
		})
	}
	subj := strings.Join(strings.FieldsFunc(fill(subject), func(r rune) bool { return r < 0x20 || r == 0x7f }), " ")
	return subj, fill(body)
}

// sampleValues fill a preview: what a real mail of the tenant would show.
func sampleValues(snap *Snapshot) map[string]string {
	company := snap.Conversations.CompanyContact
	name := company.Name
	if name == "" {
		name = snap.General.MailFromName
	}
	return map[string]string{
		"case.number": "1042", "case.title": "Läckande kran i tvättstugan", "case.status": "Pågående",
		"case.priority": "Normal", "case.type": "Felanmälan", "case.deadline": "2026-12-01 16:00",
		"case.link":     "https://app.example/cases/01hexample",
		"customer.name": "Bostadsbolaget Norr AB", "contact.name": "Karin Lund", "contact.email": "karin.lund@example.se",
		"agent.name": "Erik Eriksson", "agent.email": "erik@example.se", "agent.phone": "+46 8 123 45 61",
		"company.name": name, "company.email": company.Email, "company.phone": company.Phone,
		"conversation.link": "https://app.example/c/eyJleGFtcGxlIjp0cnVlfQ", "message.text": "Hej! Vi kommer på torsdag mellan 8 och 10.",
		"review.link":    "https://app.example/review?case=01hexample",
		"mention.author": "Anna Andersson", "comment.text": "Kan du ta en titt på det här @Erik Eriksson?",
	}
}

// previewInput is the body of POST /v1/settings/texts/{key}/preview: a
// draft to render, or nothing to render the stored text.
type previewInput struct {
	Locale  string  `json:"locale,omitempty"`
	Subject *string `json:"subject,omitempty"`
	Body    *string `json:"body,omitempty"`
}

// Preview is a text rendered with sample data.
type Preview struct {
	Key     string `json:"key"`
	Locale  string `json:"locale"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

func (svc *Service) handlePreview(w http.ResponseWriter, r *http.Request) error {
	p, err := identity.Require(r.Context(), identity.Admin)
	if err != nil {
		return err
	}
	var in previewInput
	if r.ContentLength != 0 {
		if err := httpapi.Decode(w, r, &in); err != nil {
			return err
		}
	}
	snap, err := svc.Snapshot(r.Context(), p.Tenant)
	if err != nil {
		return err
	}
	if in.Locale == "" {
		in.Locale = snap.General.Locale
	}
	key := r.PathValue("key")
	t, err := findText(snap, key, in.Locale)
	if err != nil {
		return err
	}
	subject, body := t.Subject, t.Body
	if in.Subject != nil {
		subject = *in.Subject
	}
	if in.Body != nil {
		body = *in.Body
	}
	if err := checkText(key, subject, body); err != nil {
		return err
	}
	subject, body = Render(subject, body, sampleValues(snap))
	httpapi.Write(w, http.StatusOK, Preview{Key: key, Locale: in.Locale, Subject: subject, Body: body})
	return nil
}
