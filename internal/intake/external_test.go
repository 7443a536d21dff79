package intake_test

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// form is a valid form body of the type with the API-ID.
func form(apiID, text, email string) map[string]any {
	return map[string]any{"apiId": apiID, "title": "Läcka i köket", "description": "Det droppar.",
		"contact": map[string]any{"name": "Rita Rask", "email": email, "phone": "070-123"}, "fields": map[string]any{text: "Storgatan 1"}}
}

// TestExternalForm: the form of a case type shows the fields customers
// fill (not staff's) and the honeypot's name; another tenant's API-ID is
// not found, and a key restricted to other types may not read it.
func TestExternalForm(t *testing.T) {
	h := newHarness(t)
	_, apiID, text, choice, _ := h.typeOf(t, admin, "Felanmälan")
	key, _ := h.newKey(t, admin, map[string]any{"name": "Webb"})
	f := h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", key).Must(t, http.StatusOK)
	fields := f.List("fields")
	if f.Str("name") != "Felanmälan" || f.Str("honeypot") != "website" || len(fields) != 2 || fields[0]["id"] != text ||
		fields[1]["id"] != choice || fields[0]["required"] != true || len(fields[1]["options"].([]any)) != 2 {
		t.Errorf("form: %s", f.Raw)
	}
	_, otherAPIID, _, _, _ := h.typeOf(t, intruder, "Annat")
	h.Do(nil, "GET", "/v1/external/case-types/"+otherAPIID, nil, "X-Api-Key", key).MustProblem(t, http.StatusNotFound)
	_, secondAPIID, _, _, _ := h.typeOf(t, admin, "Fråga")
	only, _ := h.newKey(t, admin, map[string]any{"name": "Bara frågor", "caseTypes": []string{secondAPIID}})
	h.Do(nil, "GET", "/v1/external/case-types/"+apiID, nil, "X-Api-Key", only).MustProblem(t, http.StatusForbidden)
	h.Do(nil, "GET", "/v1/external/case-types/"+secondAPIID, nil, "X-Api-Key", only).Must(t, http.StatusOK)
}

// TestExternalCreate: a form creates a case through the staff's create,
// with the external settings' defaults: a sender whose address a contact
// of one customer has (in any case) gets that customer and contact; any
// other keeps their details as the case's requester, who gets the mail;
// an address two customers' contacts share matches neither.
func TestExternalCreate(t *testing.T) {
	h := newHarness(t)
	typeID, apiID, text, _, _ := h.typeOf(t, admin, "Felanmälan")
	h.Do(&admin, "PUT", "/v1/settings/external", map[string]any{"priorityId": "priority-high", "version": 1}).Must(t, http.StatusOK)
	key, keyID := h.newKey(t, admin, map[string]any{"name": "Webb"})
	custID, contactID := h.customerWith(t, "Bostad AB", "Karin Lund", "karin@bostad.example")

	// Unknown sender: the requester.
	r := h.submit(key, form(apiID, text, "rita@example.se")).Must(t, http.StatusCreated)
	if r.Num("number") != 1 || r.Str("id") == "" {
		t.Fatalf("receipt: %s", r.Raw)
	}
	c := h.Do(&agent, "GET", "/v1/cases/"+r.Str("id"), nil).Must(t, http.StatusOK)
	if c.Str("source") != "external" || c.Obj("requester")["email"] != "rita@example.se" || c.Str("customerId") != "" ||
		c.Str("typeId") != typeID || c.Str("priorityId") != "priority-high" || c.Str("createdBy") != "api-key:"+keyID {
		t.Errorf("case from an unknown sender: %s", c.Raw)
	}

	// A contact's address, in other letters: the customer's case.
	r = h.submit(key, form(apiID, text, "KARIN@Bostad.example")).Must(t, http.StatusCreated)
	c = h.Do(&agent, "GET", "/v1/cases/"+r.Str("id"), nil).Must(t, http.StatusOK)
	if c.Str("customerId") != custID || c.Str("contactId") != contactID || c.Obj("requester") != nil {
		t.Errorf("case from a contact's address: %s", c.Raw)
	}
	if ids := h.Do(&agent, "GET", "/v1/cases?q=bostad", nil).Must(t, http.StatusOK).IDs(); len(ids) != 1 || ids[0] != r.Str("id") {
		t.Errorf("the case is not found by its customer's name: %v", ids)
	}

	// The new-case mails: one to the requester, one to the contact.
	var to []string
	for _, m := range h.sentMail(t) {
		to = append(to, m.To...)
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"karin@bostad.example", "rita@example.se"}) {
		t.Errorf("mail went to %v", to)
	}

	// Another customer's contact shares the address: neither is taken.
	h.customerWith(t, "Annan AB", "Karin L", "karin@bostad.example")
	r = h.submit(key, form(apiID, text, "karin@bostad.example")).Must(t, http.StatusCreated)
	if c := h.Do(&agent, "GET", "/v1/cases/"+r.Str("id"), nil).Must(t, http.StatusOK); c.Str("customerId") != "" || c.Obj("requester") == nil {
		t.Errorf("case from a shared address: %s", c.Raw)
	}
}

// TestHoneypot: a filled honeypot answers 202 without a number and
// creates nothing.
func TestHoneypot(t *testing.T) {
	h := newHarness(t)
	_, apiID, text, _, _ := h.typeOf(t, admin, "Felanmälan")
	key, _ := h.newKey(t, admin, map[string]any{"name": "Webb"})
	body := form(apiID, text, "bot@example.se")
	body["website"] = "https://spam.example"
	r := h.submit(key, body).Must(t, http.StatusAccepted)
	if _, has := r.Body["number"]; has || r.Body["accepted"] != true {
		t.Errorf("honeypot answer: %s", r.Raw)
	}
	if n := h.caseCount(t, admin); n != 0 {
		t.Errorf("%d cases after a honeypot", n)
	}
}

// TestIdempotency: the same Idempotency-Key with the same body answers the
// first answer again, marked, and creates nothing; with another body 422;
// after 24 hours it is a new request. Ten requests at once with one key
// create one case, and all answer it.
func TestIdempotency(t *testing.T) {
	h := newHarness(t)
	_, apiID, text, _, _ := h.typeOf(t, admin, "Felanmälan")
	key, _ := h.newKey(t, admin, map[string]any{"name": "Webb", "rateLimitPerMinute": 1000})
	body := form(apiID, text, "rita@example.se")
	first := h.submit(key, body, "Idempotency-Key", "order-1").Must(t, http.StatusCreated)
	if first.Header.Get("Idempotent-Replayed") != "" {
		t.Error("the first answer is marked a replay")
	}
	again := h.submit(key, body, "Idempotency-Key", "order-1").Must(t, http.StatusCreated)
	if string(again.Raw) != string(first.Raw) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: %s (%v), first: %s", again.Raw, again.Header, first.Raw)
	}
	other := form(apiID, text, "rita@example.se")
	other["title"] = "Något annat"
	h.submit(key, other, "Idempotency-Key", "order-1").MustProblem(t, http.StatusUnprocessableEntity)
	if n := h.caseCount(t, admin); n != 1 {
		t.Errorf("%d cases after a replay and a mismatch", n)
	}

	// Another key's requests are others', even with the header's value.
	key2, _ := h.newKey(t, admin, map[string]any{"name": "Webb 2"})
	if r := h.submit(key2, body, "Idempotency-Key", "order-1").Must(t, http.StatusCreated); r.Str("id") == first.Str("id") {
		t.Error("another key's request replayed the first key's answer")
	}

	// A day later the key is a new request's.
	h.clock.Advance(recordTTL + time.Minute)
	if r := h.submit(key, body, "Idempotency-Key", "order-1").Must(t, http.StatusCreated); r.Str("id") == first.Str("id") || r.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("after 24 hours: %s", r.Raw)
	}

	// Ten at once.
	before := h.caseCount(t, admin)
	var wg sync.WaitGroup
	answers := make([]response, 10)
	for i := range answers {
		wg.Go(func() { answers[i] = h.submit(key, body, "Idempotency-Key", "burst") })
	}
	wg.Wait()
	for i, a := range answers {
		if a.Status != http.StatusCreated || a.Str("id") != answers[0].Str("id") {
			t.Errorf("request %d of the burst: %d %s", i, a.Status, a.Raw)
		}
	}
	if n := h.caseCount(t, admin); n != before+1 {
		t.Errorf("the burst made %d cases", n-before)
	}
}

// recordTTL is how long an answer is kept for its Idempotency-Key.
const recordTTL = 24 * time.Hour

// TestBadInput: every field of a form, and the Idempotency-Key, refused
// with 400 naming it; nothing is created.
func TestBadInput(t *testing.T) {
	h := newHarness(t)
	_, apiID, text, choice, staff := h.typeOf(t, admin, "Felanmälan")
	key, _ := h.newKey(t, admin, map[string]any{"name": "Webb", "rateLimitPerMinute": 1000})
	with := func(change func(map[string]any)) map[string]any {
		b := form(apiID, text, "rita@example.se")
		change(b)
		return b
	}
	contact := func(k, v string) func(map[string]any) {
		return func(b map[string]any) { b["contact"].(map[string]any)[k] = v }
	}
	for _, tc := range []struct {
		name, field string
		body        any
		headers     []string
	}{
		{"unknown API-ID", "apiId", with(func(b map[string]any) { b["apiId"] = "nosuchapiid" }), nil},
		{"no API-ID and no default type", "apiId", with(func(b map[string]any) { delete(b, "apiId") }), nil},
		{"long API-ID", "apiId", with(func(b map[string]any) { b["apiId"] = strings.Repeat("a", 65) }), nil},
		{"no title", "title", with(func(b map[string]any) { b["title"] = " " }), nil},
		{"long title", "title", with(func(b map[string]any) { b["title"] = strings.Repeat("x", 201) }), nil},
		{"line break in title", "title", with(func(b map[string]any) { b["title"] = "a\nb" }), nil},
		{"long description", "description", with(func(b map[string]any) { b["description"] = strings.Repeat("x", 20001) }), nil},
		{"no contact", "contact", with(func(b map[string]any) { delete(b, "contact") }), nil},
		{"no contact name", "contact.name", with(contact("name", "")), nil},
		{"long contact name", "contact.name", with(contact("name", strings.Repeat("x", 101))), nil},
		{"line break in contact name", "contact.name", with(contact("name", "a\r\nBcc: x@y.se")), nil},
		{"no contact email", "contact.email", with(contact("email", "")), nil},
		{"bad contact email", "contact.email", with(contact("email", "rita@")), nil},
		{"long contact phone", "contact.phone", with(contact("phone", strings.Repeat("1", 41))), nil},
		{"unknown contact field", "contact.company", with(contact("company", "X")), nil},
		{"missing required field", "fields." + text, with(func(b map[string]any) { b["fields"] = map[string]any{} }), nil},
		{"text field of a number", "fields." + text, with(func(b map[string]any) { b["fields"] = map[string]any{text: 5} }), nil},
		{"dropdown value not an option", "fields." + choice, with(func(b map[string]any) { b["fields"].(map[string]any)[choice] = "Hall" }), nil},
		{"field staff fill", "fields." + staff, with(func(b map[string]any) { b["fields"].(map[string]any)[staff] = 3 }), nil},
		{"field of no type", "fields.nosuch", with(func(b map[string]any) { b["fields"].(map[string]any)["nosuch"] = "x" }), nil},
		{"unknown field", "statusId", with(func(b map[string]any) { b["statusId"] = "status-closed" }), nil},
		{"field of the wrong type", "title", with(func(b map[string]any) { b["title"] = 5 }), nil},
		{"bad Idempotency-Key", "Idempotency-Key", form(apiID, text, "rita@example.se"), []string{"Idempotency-Key", strings.Repeat("k", 256)}},
		{"Idempotency-Key with a space", "Idempotency-Key", form(apiID, text, "rita@example.se"), []string{"Idempotency-Key", "a b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.submit(key, tc.body, tc.headers...).MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	h.submit(key, "{not json").MustProblem(t, http.StatusBadRequest)
	h.submit(key, "[]").MustProblem(t, http.StatusBadRequest)
	if n := h.caseCount(t, admin); n != 0 {
		t.Errorf("%d cases after bad input", n)
	}
	// Every field at once: all named in one answer.
	all := h.submit(key, map[string]any{"apiId": apiID, "title": "", "contact": map[string]any{"name": "", "email": "x"}}).MustProblem(t, http.StatusBadRequest)
	for _, f := range []string{"title", "contact.name", "contact.email", "fields." + text} {
		if !slices.Contains(all.ProblemFields(), f) {
			t.Errorf("the answer to a body wrong in every field does not name %s: %s", f, all.Raw)
		}
	}
}
