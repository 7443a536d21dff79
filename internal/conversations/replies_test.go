package conversations_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/identity"
)

var (
	agent1 = &agent
	agent2 = &identity.Principal{Tenant: "acme", User: "agent2", Roles: []identity.Role{identity.Agent}}
)

// inbox is the notifications of p.
func (h *harness) inbox(t testing.TB, p *identity.Principal) []map[string]any {
	t.Helper()
	return h.Do(p, "GET", "/v1/notifications", nil).Must(t, http.StatusOK).Items()
}

// TestReply: the reply form posts, redirects back to the page (which
// says so and shows the reply), and the reply is a customer message with
// its event and a notification for each worker of the case (a mail for
// the one whose profile asks), in one transaction.
func TestReply(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	// No assigned user: the group's members hear of it.
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{}, "groups": []string{"support"}})
	h.send(t, id, "Hej!")
	token := h.linkOf(t, "anna@bygg.example")

	h.clock.Advance(time.Hour)
	r := h.reply(t, token, "  Det passar bra,\r\ntack!  ").Must(t, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != token+"?sent=reply" {
		t.Errorf("Location %q", loc)
	}
	puts, _ := h.rec.last(t)
	slices.Sort(puts)
	if !slices.Equal(puts, []string{"EVENT", "MESSAGE", "NOTIFICATION", "NOTIFICATION", "OUTBOX"}) {
		t.Errorf("the reply's transaction put %v", puts)
	}
	page := h.page(token, "sent=reply").Must(t, http.StatusOK)
	mustContain(t, page, "Your reply has been sent.", "Det passar bra,\ntack!", `class="in"`)

	list := h.Do(&agent, "GET", "/v1/cases/"+id+"/messages", nil).Must(t, http.StatusOK).Items()
	last := list[len(list)-1]
	if last["direction"] != "in" || last["body"] != "Det passar bra,\ntack!" || last["author"].(map[string]any)["name"] != "Anna Andersson" ||
		last["author"].(map[string]any)["kind"] != "customer" {
		t.Errorf("reply %v", last)
	}
	for _, p := range []*identity.Principal{agent1, agent2} {
		n := h.inbox(t, p)
		if len(n) != 1 || n[0]["type"] != "customer-reply" || n[0]["caseId"] != id || n[0]["excerpt"] != "Det passar bra,\ntack!" {
			t.Errorf("%s's inbox %v", p.User, n)
		}
	}
	var mailed []string
	for _, m := range h.deliver(t) {
		mailed = append(mailed, m.To[0])
		if !strings.Contains(m.Text, "Anna Andersson (Byggbolaget AB) svarade") || !strings.Contains(m.Text, "Det passar bra,\ntack!") {
			t.Errorf("reply mail %s", m.Text)
		}
	}
	if !slices.Equal(mailed, []string{"arvid@acme.example"}) {
		t.Errorf("reply mailed %v, want agent2 alone (the profile that asks)", mailed)
	}
	ev := h.Do(&agent, "GET", "/v1/cases/"+id+"/events", nil).Must(t, http.StatusOK).Items()
	if e := ev[len(ev)-1]; e["type"] != "customer-replied" || e["by"] != "customer:"+w.anna || e["subject"] != last["id"] {
		t.Errorf("event %v", e)
	}
	c := h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK)
	if !c.Time(t, "activityAt").Equal(h.clock.Now()) {
		t.Errorf("the reply is not the case's last activity: %s", c.Str("activityAt"))
	}
}

// TestReplyNotifiesAssignedUsersOnly: a case with an assigned user
// notifies that user, not the group.
func TestReplyNotifiesAssignedUsersOnly(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}, "groups": []string{"support"}})
	h.send(t, id, "Hej!")
	h.reply(t, h.linkOf(t, "anna@bygg.example"), "Svar").Must(t, http.StatusSeeOther)
	if n := len(h.inbox(t, agent1)); n != 1 {
		t.Errorf("agent1 has %d notifications", n)
	}
	if n := len(h.inbox(t, agent2)); n != 0 {
		t.Errorf("agent2 (the group's) has %d notifications", n)
	}
	if mails := h.deliver(t); len(mails) != 0 {
		t.Errorf("mailed %v (agent1's profile asks for none)", mails)
	}
}

// TestReplyReopens: a reply to a closed case reopens it, with an event
// that says so, in the reply's transaction.
func TestReplyReopens(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.send(t, id, "Klart!")
	token := h.linkOf(t, "anna@bygg.example")
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": "status-closed"}, apitest.IfMatch(h.version(t, id))...).Must(t, http.StatusOK)
	h.deliver(t) // the closed-case mail

	h.clock.Advance(time.Hour)
	h.reply(t, token, "Det läcker igen!").Must(t, http.StatusSeeOther)
	c := h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK)
	if c.Str("statusId") != "status-in-progress" || c.Str("statusCategory") != "open" || c.Body["resolvedAt"] != nil {
		t.Errorf("after the reply: %s", c.Raw)
	}
	ev := h.Do(&agent, "GET", "/v1/cases/"+id+"/events", nil).Must(t, http.StatusOK).Items()
	var types []string
	for _, e := range ev[len(ev)-2:] {
		types = append(types, e["type"].(string))
	}
	slices.Sort(types)
	if !slices.Equal(types, []string{"customer-replied", "reopened"}) {
		t.Errorf("last events %v", types)
	}
	if ids := h.Do(&agent, "GET", "/v1/cases?category=active", nil).Must(t, http.StatusOK).IDs(); !slices.Contains(ids, id) {
		t.Errorf("the reopened case is not among the active ones: %v", ids)
	}
	mustContain(t, h.page(token).Must(t, http.StatusOK), "Det läcker igen!")
}

// TestReplyRefused: what the reply form refuses, and that nothing is
// written then.
func TestReplyRefused(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.send(t, id, "Hej!")
	token := h.linkOf(t, "anna@bygg.example")
	h.send(t, id, "Igen")
	other := h.linkOf(t, "anna@bygg.example")
	binding, _ := h.ring.Binding(token)
	otherBinding, _ := h.ring.Binding(other)
	before := h.state(t, id)

	for name, tc := range map[string]struct {
		values  url.Values
		headers []string
		status  int
		says    string
	}{
		"empty":              {url.Values{"binding": {binding}, "body": {"  \r\n "}}, nil, http.StatusBadRequest, "Write a reply first."},
		"too long":           {url.Values{"binding": {binding}, "body": {strings.Repeat("ö", 5001)}}, nil, http.StatusBadRequest, "at most 5000"},
		"no binding":         {url.Values{"body": {"x"}}, nil, http.StatusForbidden, "Reload the page"},
		"another's binding":  {url.Values{"binding": {otherBinding}, "body": {"x"}}, nil, http.StatusForbidden, "Reload the page"},
		"unknown field":      {url.Values{"binding": {binding}, "body": {"x"}, "to": {"evil@example.com"}}, nil, http.StatusForbidden, "Reload the page"},
		"repeated field":     {url.Values{"binding": {binding, binding}, "body": {"x"}}, nil, http.StatusForbidden, "Reload the page"},
		"another site":       {url.Values{"binding": {binding}, "body": {"x"}}, []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden, "Reload the page"},
		"too large for form": {url.Values{"binding": {binding}, "body": {strings.Repeat("x", 70<<10)}}, nil, http.StatusRequestEntityTooLarge, "too long"},
	} {
		t.Run(name, func(t *testing.T) {
			r := h.form("/c/"+token, tc.values, tc.headers...)
			r.Must(t, tc.status)
			checkPageHeaders(t, r)
			mustContain(t, r, tc.says)
		})
	}
	// A refused reply keeps the text.
	mustContain(t, h.form("/c/"+token, url.Values{"binding": {binding}, "body": {strings.Repeat("ö", 5001)}}).Must(t, http.StatusBadRequest),
		strings.Repeat("ö", 100))
	if h.state(t, id) != before {
		t.Error("a refused reply wrote something")
	}
	// JSON is not a form.
	h.Do(nil, "POST", "/c/"+token, `{"body":"x"}`).Must(t, http.StatusForbidden)
}

// TestReplyRateLimit: a case takes at most 20 replies an hour; the next
// answers 429 with Retry-After, and the next hour takes more.
func TestReplyRateLimit(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.send(t, id, "Hej!")
	token := h.linkOf(t, "anna@bygg.example")
	h.clock.Advance(30 * time.Minute) // 09:30
	for i := range 20 {
		h.reply(t, token, "svar").Must(t, http.StatusSeeOther)
		_ = i
	}
	r := h.reply(t, token, "ett för mycket").Must(t, http.StatusTooManyRequests)
	checkPageHeaders(t, r)
	if r.Header.Get("Retry-After") != "1800" {
		t.Errorf("Retry-After %q, want 1800 (the hour's end)", r.Header.Get("Retry-After"))
	}
	// The portal counts against the same limit.
	h.Do(portalUser(w.custA), "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": "x"}).MustProblem(t, http.StatusTooManyRequests)
	if n := len(h.Do(&agent, "GET", "/v1/cases/"+id+"/messages?limit=100", nil).Must(t, http.StatusOK).Items()); n != 21 {
		t.Errorf("%d messages, want the message and 20 replies", n)
	}
	h.clock.Advance(30 * time.Minute)
	h.reply(t, token, "nästa timme").Must(t, http.StatusSeeOther)
}

// TestReplyWhileTheCaseChanges: a case changed between the reply's read
// and its transaction (staff closed it) is read again, and the reply is
// written on what it is now: it reopens the case.
func TestReplyWhileTheCaseChanges(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.send(t, id, "Hej!")
	token := h.linkOf(t, "anna@bygg.example")
	v := h.version(t, id)
	h.rec.mu.Lock()
	h.rec.before = func() {
		h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": "status-closed"}, apitest.IfMatch(v)...).Must(t, http.StatusOK)
	}
	h.rec.mu.Unlock()
	h.reply(t, token, "Hinner ni före helgen?").Must(t, http.StatusSeeOther)
	c := h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK)
	if c.Str("statusCategory") != "open" || c.Version() != v+2 {
		t.Errorf("after the reply raced a close: %s", c.Raw)
	}
	if n := len(h.Do(&agent, "GET", "/v1/cases/"+id+"/messages", nil).Must(t, http.StatusOK).Items()); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
}
