package conversations_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
)

// TestStaffMessage: a staff message is the message, its event, the case's
// activity and the mail to the contact, in one transaction; the mail
// carries a link to the page and the writer's details; the conversation
// lists it.
func TestStaffMessage(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.deliver(t) // the new-case mail

	h.clock.Advance(time.Minute)
	r := h.send(t, id, "  Hej! Vi kommer på torsdag.  ")
	if r.Str("direction") != "out" || r.Str("body") != "Hej! Vi kommer på torsdag." || r.Obj("author")["kind"] != "staff" ||
		r.Obj("author")["name"] != "Agnes Agent" || r.Obj("author")["id"] != "agent1" || r.Header.Get("Location") != "/v1/cases/"+id+"/messages" {
		t.Errorf("message %s", r.Raw)
	}
	puts, updates := h.rec.last(t)
	slices.Sort(puts)
	if !slices.Equal(puts, []string{"EVENT", "MESSAGE", "OUTBOX"}) {
		t.Errorf("the transaction put %v, want the message, its event and its mail", puts)
	}
	if !slices.ContainsFunc(updates, func(u string) bool { return strings.HasSuffix(u, "#CASE#"+id+" A#CASE") }) {
		t.Errorf("the transaction did not touch the case (its activity): %v", updates)
	}

	// The mail: the contact's language (en), the link, the writer.
	var sent []string
	for _, m := range h.deliver(t) {
		sent = append(sent, m.To[0])
		if m.To[0] != "anna@bygg.example" {
			continue
		}
		for _, want := range []string{"New message in case #1", "Hej! Vi kommer på torsdag.", baseURL + "/c/v4.local.", "Agnes Agent", "agnes@acme.example", "+46 8 111"} {
			if !strings.Contains(m.Subject+m.Text, want) {
				t.Errorf("the mail lacks %q:\n%s\n%s", want, m.Subject, m.Text)
			}
		}
	}
	if !slices.Equal(sent, []string{"anna@bygg.example"}) {
		t.Errorf("mailed %v", sent)
	}

	// The conversation, oldest first; the case moved to the top of the
	// activity list.
	h.clock.Advance(time.Minute)
	h.send(t, id, "Andra meddelandet")
	list := h.Do(&agent, "GET", "/v1/cases/"+id+"/messages", nil).Must(t, http.StatusOK).Items()
	if len(list) != 2 || list[0]["body"] != "Hej! Vi kommer på torsdag." || list[1]["body"] != "Andra meddelandet" {
		t.Errorf("conversation %v", list)
	}
	c := h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK)
	if !c.Time(t, "activityAt").Equal(h.clock.Now()) {
		t.Errorf("activityAt %s, want %s", c.Str("activityAt"), h.clock.Now())
	}
	ev := h.Do(&agent, "GET", "/v1/cases/"+id+"/events", nil).Must(t, http.StatusOK).Items()
	if last := ev[len(ev)-1]; last["type"] != "message-sent" || last["subject"] != list[1]["id"] || last["by"] != "agent1" {
		t.Errorf("event %v", last)
	}
}

// TestMessagesPaged: the conversation reads a page at a time, oldest
// first; a cursor of another case is refused.
func TestMessagesPaged(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, nil)
	other := h.newCase(t, w.custA, w.bo, nil)
	for i := range 5 {
		h.clock.Advance(time.Second)
		h.send(t, id, "m"+string(rune('1'+i)))
	}
	h.send(t, other, "x")
	var got []string
	cursor := ""
	for range 10 {
		path := "/v1/cases/" + id + "/messages?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := h.Do(&agent, "GET", path, nil).Must(t, http.StatusOK)
		for _, m := range r.Items() {
			got = append(got, m["body"].(string))
		}
		if cursor = r.Str("next"); cursor == "" {
			break
		}
	}
	if strings.Join(got, ",") != "m1,m2,m3,m4,m5" {
		t.Errorf("pages %v", got)
	}
	first := h.Do(&agent, "GET", "/v1/cases/"+id+"/messages?limit=1", nil).Must(t, http.StatusOK).Str("next")
	h.Do(&agent, "GET", "/v1/cases/"+other+"/messages?cursor="+first, nil).MustProblem(t, http.StatusBadRequest, "cursor")
}

// TestCannedResponse: a canned response is sent as the body.
func TestCannedResponse(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, nil)
	cr := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Tack", "body": "Tack för ditt meddelande!"}).
		Must(t, http.StatusCreated).Str("id")
	r := h.Do(&agent, "POST", "/v1/cases/"+id+"/messages", map[string]any{"cannedResponseId": cr}).Must(t, http.StatusCreated)
	if r.Str("body") != "Tack för ditt meddelande!" {
		t.Errorf("body %q", r.Str("body"))
	}
	h.Do(&agent, "POST", "/v1/cases/"+id+"/messages", map[string]any{"cannedResponseId": cr, "body": "x"}).MustProblem(t, http.StatusBadRequest, "body")
	h.Do(&agent, "POST", "/v1/cases/"+id+"/messages", map[string]any{"cannedResponseId": apitest.NoSuchID}).MustProblem(t, http.StatusBadRequest, "cannedResponseId")
}

// TestMessageRefused: nobody to write to is a clear 409; bodies are
// bounded; unknown fields, customers and other tenants are refused.
func TestMessageRefused(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	noContact := h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Utan kontakt"}).Must(t, http.StatusCreated).Str("id")
	noMail := h.newCase(t, w.custA, w.nomail, nil)
	ok := h.newCase(t, w.custA, w.anna, nil)
	path := func(id string) string { return "/v1/cases/" + id + "/messages" }

	for id, why := range map[string]string{noContact: "no contact", noMail: "no e-mail address"} {
		r := h.Do(&agent, "POST", path(id), map[string]any{"body": "Hej"}).MustProblem(t, http.StatusConflict)
		if !strings.Contains(r.Detail(), why) {
			t.Errorf("409 %q does not say %q", r.Detail(), why)
		}
	}
	h.Do(&agent, "POST", path(ok), map[string]any{"body": "   "}).MustProblem(t, http.StatusBadRequest, "body")
	h.Do(&agent, "POST", path(ok), map[string]any{"body": strings.Repeat("å", 10001)}).MustProblem(t, http.StatusBadRequest, "body")
	h.Do(&agent, "POST", path(ok), map[string]any{"body": "x", "to": "evil@example.com"}).MustProblem(t, http.StatusBadRequest, "to")
	h.Do(portalUser(w.custA), "POST", path(ok), map[string]any{"body": "x"}).MustProblem(t, http.StatusForbidden)
	h.Do(portalUser(w.custA), "GET", path(ok), nil).MustProblem(t, http.StatusForbidden)
	h.Do(&intruder, "POST", path(ok), map[string]any{"body": "x"}).MustProblem(t, http.StatusNotFound)
	h.Do(&intruder, "GET", path(ok), nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "GET", path(apitest.NoSuchID), nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "GET", path("a.b"), nil).MustProblem(t, http.StatusNotFound)
	if n := len(h.Do(&agent, "GET", path(ok), nil).Must(t, http.StatusOK).Items()); n != 0 {
		t.Errorf("%d messages after refusals", n)
	}
}

// TestCommentsNeverAppear: internal comments are on no conversation
// route and on no page.
func TestCommentsNeverAppear(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, nil)
	h.Do(&agent, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": "INTERNT: kunden är besvärlig"}).Must(t, http.StatusCreated)
	h.send(t, id, "Hej!")
	token := h.linkOf(t, "anna@bygg.example")
	for _, r := range []apitest.Response{
		h.Do(&agent, "GET", "/v1/cases/"+id+"/messages", nil).Must(t, http.StatusOK),
		h.Do(portalUser(w.custA), "GET", "/v1/portal/cases/"+id+"/messages", nil).Must(t, http.StatusOK),
		h.page(token).Must(t, http.StatusOK),
	} {
		mustLack(t, r, "INTERNT", "besvärlig")
	}
}

// TestMailShowsCompanyContact: with showContact company the mail's agent
// is the company's contact, not the writer.
func TestMailShowsCompanyContact(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.putConversations(t, map[string]any{"showContact": "company",
		"companyContact": map[string]any{"name": "Acme Kundtjänst", "email": "kund@acme.example", "phone": "+46 8 000"}})
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.deliver(t)
	h.send(t, id, "Hej!")
	mails := h.deliver(t)
	if len(mails) != 1 {
		t.Fatalf("%d mails", len(mails))
	}
	if m := mails[0].Text; !strings.Contains(m, "Acme Kundtjänst") || !strings.Contains(m, "kund@acme.example") || strings.Contains(m, "Agnes") {
		t.Errorf("mail:\n%s", m)
	}
}
