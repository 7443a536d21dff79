package conversations_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/apitest"
)

// formCase makes a case of Anna's with a type whose form filledBy fills
// (the customer must submit it before the case closes), sends a staff
// message and answers the case's ID and the token of the link mailed to
// Anna.
func (h *harness) formCase(t *testing.T, w world, filledBy string) (id, token string) {
	t.Helper()
	form := h.Do(&admin, "POST", "/v1/settings/forms", map[string]any{"name": "Felanmälan värmepump",
		"sections": []map[string]any{{"key": "unit", "title": "Aggregatet", "help": "Typskylten sitter på sidan."}},
		"questions": []map[string]any{
			{"key": "what", "label": "Vad är fel?", "kind": "longtext", "required": true},
			{"key": "model", "label": "Modell", "kind": "text", "section": "unit"},
			{"key": "fault", "label": "Larmkod", "kind": "dropdown", "options": []string{"E12", "E31"}, "section": "unit"},
			{"key": "age", "label": "Ålder (år)", "kind": "number", "section": "unit"},
			{"key": "since", "label": "Sedan", "kind": "date", "section": "unit"},
			{"key": "home", "label": "Någon är hemma", "kind": "checkbox", "required": true, "section": "unit"},
		}}).Must(t, http.StatusCreated).Str("id")
	typeID := h.Do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Service " + filledBy,
		"defaultForm": map[string]any{"formId": form, "filledBy": filledBy, "requiredBeforeClose": true}}).Must(t, http.StatusCreated).Str("id")
	id = h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Värmepumpen larmar", "typeId": typeID, "customerId": w.custA,
		"contactId": w.anna, "assignees": map[string]any{"users": []string{"agent1"}}}).Must(t, http.StatusCreated).Str("id")
	h.send(t, id, "Fyll gärna i formuläret.")
	return id, h.linkOf(t, "anna@bygg.example")
}

// saveOnPage posts the page's form section as a browser would: the
// binding, the version shown, the action and the answers.
func (h *harness) saveOnPage(t *testing.T, token string, version int64, action string, answers map[string]string) apitest.Response {
	t.Helper()
	binding, err := h.ring.Binding(token)
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"binding": {binding}, "version": {strconv.FormatInt(version, 10)}, "action": {action}}
	for k, a := range answers {
		v.Set("a."+k, a)
	}
	return h.form("/c/"+token+"/form", v)
}

// TestPageForm: the customer's page shows the case's form below the
// conversation, each question as an input of its kind, in its section,
// with the same binding as the reply form and the page's headers; a save
// keeps the answers (post/redirect/get), answers that break a rule come
// back marked and kept, a submit needs the required ones; once submitted
// the page shows the answers and takes no more; staff read them, by the
// contact. A GET changes nothing.
func TestPageForm(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id, token := h.formCase(t, w, "customer")

	before := h.state(t, id)
	p := h.page(token).Must(t, http.StatusOK)
	checkPageHeaders(t, p)
	binding, _ := h.ring.Binding(token)
	mustContain(t, p, `<section id="form">`, "Felanmälan värmepump", `<h3>Aggregatet</h3>`, "Typskylten sitter på sidan.",
		`<textarea id="q-what" name="a.what" maxlength="5000" required>`, `<input type="text" id="q-model" name="a.model" value="" maxlength="1000">`,
		`<select id="q-fault" name="a.fault"><option value=""></option><option>E12</option><option>E31</option></select>`,
		`inputmode="decimal"`, `<input type="date" id="q-since" name="a.since" value="">`,
		`<input type="checkbox" id="q-home" name="a.home" value="on" required>`,
		`name="binding" value="`+binding+`"`, `name="version" value="1"`, `action="`+token+`/form"`,
		`value="save" class="secondary" formnovalidate>Save</button>`, `value="submit">Submit the form</button>`)
	if i, j := strings.Index(text(p), "<h2>Conversation</h2>"), strings.Index(text(p), `<section id="form">`); i < 0 || j < i {
		t.Error("the form is not below the conversation")
	}
	if h.state(t, id) != before {
		t.Error("a GET of the page changed something")
	}

	// A save of some answers: 303 back to the page, which shows them.
	r := h.saveOnPage(t, token, 1, "save", map[string]string{"what": "Det larmar\nvarje natt", "age": "7,5", "fault": "E12"})
	r.Must(t, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "../"+token+"?sent=form#form" {
		t.Errorf("Location %q", loc)
	}
	p = h.page(token, "sent=form").Must(t, http.StatusOK)
	mustContain(t, p, "Your answers are saved.", ">Det larmar\nvarje natt</textarea>", `<option selected>E12</option>`,
		`id="q-age" name="a.age" value="7.5"`, `name="version" value="2"`)
	staff := h.Do(&agent, "GET", "/v1/cases/"+id+"/form", nil).Must(t, http.StatusOK)
	a := staff.Obj("answers")["age"].(map[string]any)
	if by := a["by"].(map[string]any); a["value"] != 7.5 || by["kind"] != "customer" || by["id"] != w.anna || by["name"] != "Anna Andersson" {
		t.Errorf("staff read the answer %v", a)
	}
	if ev := h.Do(&agent, "GET", "/v1/cases/"+id+"/events", nil).Must(t, http.StatusOK).Items(); ev[len(ev)-1]["type"] != "form-saved" ||
		ev[len(ev)-1]["by"] != "customer:"+w.anna {
		t.Errorf("event %v", ev[len(ev)-1])
	}

	// Answers that break a rule: the page again (400), each wrong one
	// marked, what was typed kept, nothing saved.
	before = h.state(t, id)
	r = h.saveOnPage(t, token, 2, "save", map[string]string{"what": "Det larmar", "age": "sju", "since": "igår"})
	r.Must(t, http.StatusBadRequest)
	checkPageHeaders(t, r)
	mustContain(t, r, "Some answers need another look. Nothing was saved.", `id="q-age" name="a.age" value="sju"`,
		`id="q-since" name="a.since" value="igår"`, "Please check this answer.")
	if h.state(t, id) != before {
		t.Error("a refused save changed something")
	}

	// A submit without the required answers: marked as required.
	r = h.saveOnPage(t, token, 2, "submit", map[string]string{"what": "Det larmar", "fault": "E31"})
	r.Must(t, http.StatusBadRequest)
	mustContain(t, r, "Required: please fill this in.", `<option selected>E31</option>`)

	// A form that changed meanwhile: the page as it is now (409).
	h.Do(&agent, "PUT", "/v1/cases/"+id+"/form", map[string]any{"answers": map[string]any{"model": "Nibe F1255"}}, "If-Match", "*").Must(t, http.StatusOK)
	r = h.saveOnPage(t, token, 2, "save", map[string]string{"what": "x"})
	r.Must(t, http.StatusConflict)
	mustContain(t, r, "The form was changed while you filled it in.", `value="Nibe F1255"`, `name="version" value="3"`)

	// The submit.
	h.saveOnPage(t, token, 3, "submit", map[string]string{"what": "Det larmar", "model": "Nibe F1255", "home": "on"}).Must(t, http.StatusSeeOther)
	p = h.page(token, "sent=form").Must(t, http.StatusOK)
	mustContain(t, p, "Thank you! The form has been submitted.", "The form has been submitted. Your answers:", "Nibe F1255", ">Yes<")
	mustLack(t, p, `action="`+token+`/form"`, `name="a.what"`)
	staff = h.Do(&agent, "GET", "/v1/cases/"+id+"/form", nil).Must(t, http.StatusOK)
	if staff.Body["submitted"] != true || staff.Obj("answers")["home"].(map[string]any)["value"] != true ||
		staff.Obj("answers")["age"] != nil || staff.Obj("submittedBy")["name"] != "Anna Andersson" {
		t.Errorf("staff read the submitted form %s", staff.Raw)
	}
	// Submitted, the case may close; the page takes no more answers.
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": "status-closed"}, apitest.IfMatch(h.version(t, id))...).Must(t, http.StatusOK)
	r = h.saveOnPage(t, token, 4, "save", map[string]string{"what": "Ändrat"})
	r.Must(t, http.StatusConflict)
	mustContain(t, r, "The form has already been submitted and can no longer be changed here.")
}

// TestPageFormRefusals: a form section posted by another site, with
// another link's binding or without the version or action, is refused
// (403) and writes nothing; a link that does not work writes nothing.
func TestPageFormRefusals(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id, token := h.formCase(t, w, "customer")
	before := h.state(t, id)
	binding, _ := h.ring.Binding(token)
	for name, v := range map[string]url.Values{
		"a wrong binding": {"binding": {"x" + binding[1:]}, "version": {"1"}, "action": {"save"}, "a.what": {"x"}},
		"no version":      {"binding": {binding}, "action": {"save"}, "a.what": {"x"}},
		"no action":       {"binding": {binding}, "version": {"1"}, "a.what": {"x"}},
		"another field":   {"binding": {binding}, "version": {"1"}, "action": {"save"}, "body": {"x"}},
		"a field twice":   {"binding": {binding}, "version": {"1"}, "action": {"save"}, "a.what": {"x", "y"}},
	} {
		t.Run(name, func(t *testing.T) {
			h.form("/c/"+token+"/form", v).Must(t, http.StatusForbidden)
		})
	}
	h.form("/c/"+token+"/form", url.Values{"binding": {binding}, "version": {"1"}, "action": {"save"}, "a.what": {"x"}},
		"Sec-Fetch-Site", "cross-site").Must(t, http.StatusForbidden)
	mid := len(token) / 2 // in the sealed part, not the key's footer
	tampered := token[:mid] + map[bool]string{true: "A", false: "B"}[token[mid] != 'A'] + token[mid+1:]
	tb, _ := h.ring.Binding(tampered)
	h.form("/c/"+tampered+"/form", url.Values{"binding": {tb}, "version": {"1"}, "action": {"save"}}).Must(t, http.StatusNotFound)
	if h.state(t, id) != before {
		t.Error("a refused post changed something")
	}
	h.Do(&agent, "DELETE", "/v1/cases/"+id+"/links", nil).Must(t, http.StatusNoContent)
	h.saveOnPage(t, token, 1, "save", map[string]string{"what": "x"}).Must(t, http.StatusNotFound)
}

// TestPageNeverShowsStaffForms: a form staff fill is neither shown on the
// customer's page nor answered there.
func TestPageNeverShowsStaffForms(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id, token := h.formCase(t, w, "staff")
	h.Do(&agent, "PUT", "/v1/cases/"+id+"/form", map[string]any{"answers": map[string]any{"model": "Hemlig modell"}}, "If-Match", "*").Must(t, http.StatusOK)
	p := h.page(token).Must(t, http.StatusOK)
	mustLack(t, p, "Felanmälan värmepump", "Hemlig modell", `<section id="form">`, `/form"`, "Aggregatet")
	before := h.state(t, id)
	h.saveOnPage(t, token, 2, "save", map[string]string{"what": "x"}).Must(t, http.StatusNotFound)
	if h.state(t, id) != before {
		t.Error("a customer's post changed a staff form")
	}
}

// TestPageFormRoundTrips: the page with a form costs what it costs
// without one (the case and its form are one BatchGetItem), a save two
// round trips.
func TestPageFormRoundTrips(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	_, token := h.formCase(t, w, "customer")
	h.page(token).Must(t, http.StatusOK) // warm
	h.db.Counter.Expect(t.Errorf, "page with a form", map[string]int{"BatchGetItem": 1, "Query": 1}, func() {
		h.page(token).Must(t, http.StatusOK)
	})
	h.db.Counter.Expect(t.Errorf, "save on the page", map[string]int{"BatchGetItem": 1, "TransactWriteItems": 1}, func() {
		h.saveOnPage(t, token, 1, "save", map[string]string{"what": "Det larmar"}).Must(t, http.StatusSeeOther)
	})
}

// TestPageFormLimit: the page takes at most 20 saves of a case's form an
// hour (429 with Retry-After), counted in each save's own transaction.
func TestPageFormLimit(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id, token := h.formCase(t, w, "customer")
	for i := range 20 {
		h.saveOnPage(t, token, int64(i+1), "save", map[string]string{"what": "Svar " + strconv.Itoa(i)}).Must(t, http.StatusSeeOther)
	}
	before := h.state(t, id)
	r := h.saveOnPage(t, token, 21, "save", map[string]string{"what": "Ett till"})
	r.Must(t, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if h.state(t, id) != before {
		t.Error("a save over the limit changed something")
	}
	// Staff are not counted.
	h.Do(&agent, "PUT", "/v1/cases/"+id+"/form", map[string]any{"answers": map[string]any{"model": "X"}}, "If-Match", "*").Must(t, http.StatusOK)
}

// TestPageFormLongAnswers: the form section takes as much as a case's form
// holds, more than a reply (whose post is bounded at 64 KiB): here three
// answers of 5,000 å each, some 90 KB as the browser sends them.
func TestPageFormLongAnswers(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	form := h.Do(&admin, "POST", "/v1/settings/forms", map[string]any{"name": "Långa svar", "questions": []map[string]any{
		{"key": "a", "label": "A", "kind": "longtext"}, {"key": "b", "label": "B", "kind": "longtext"}, {"key": "c", "label": "C", "kind": "longtext"},
	}}).Must(t, http.StatusCreated).Str("id")
	typeID := h.Do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Lång",
		"defaultForm": map[string]any{"formId": form, "filledBy": "customer"}}).Must(t, http.StatusCreated).Str("id")
	id := h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Långt", "typeId": typeID, "customerId": w.custA,
		"contactId": w.anna}).Must(t, http.StatusCreated).Str("id")
	h.send(t, id, "Berätta!")
	token := h.linkOf(t, "anna@bygg.example")
	long := strings.Repeat("å", 5000)
	h.saveOnPage(t, token, 1, "save", map[string]string{"a": long, "b": long, "c": long}).Must(t, http.StatusSeeOther)
	f := h.Do(&agent, "GET", "/v1/cases/"+id+"/form", nil).Must(t, http.StatusOK)
	for _, k := range []string{"a", "b", "c"} {
		if got := f.Obj("answers")[k].(map[string]any)["value"]; got != long {
			t.Errorf("answer %s saved as %d characters", k, len([]rune(got.(string))))
		}
	}
}
