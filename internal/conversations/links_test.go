package conversations_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/linktoken"
)

// invalidPage is what every link that does not work shows: the same page,
// whatever the reason, in both languages, with nothing of any case.
func invalidPage(t testing.TB, r apitest.Response) string {
	t.Helper()
	r.Must(t, http.StatusNotFound)
	checkPageHeaders(t, r)
	mustContain(t, r, "Länken fungerar inte", "This link does not work")
	mustLack(t, r, "Läckande kran", "<form", "Anna", "Agnes", "Case #", "Ärende #")
	return text(r)
}

// TestExpiredLink: an expired link's page offers a fresh link; asking for
// one mails it to the contact's address on file (never one typed in), a
// few times a day at most; the fresh link works; a GET sends nothing.
func TestExpiredLink(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.putConversations(t, map[string]any{"linkValidFor": "P7D"})
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.send(t, id, "Hej!")
	token := h.linkOf(t, "anna@bygg.example")

	h.clock.Advance(7*24*time.Hour - time.Second)
	h.page(token).Must(t, http.StatusOK)
	h.clock.Advance(time.Second)
	before := h.state(t, id)
	r := h.page(token).Must(t, http.StatusGone)
	checkPageHeaders(t, r)
	mustContain(t, r, "This link has expired", `action="`+token+`/link"`, "Send me a new link")
	mustLack(t, r, "Läckande kran", "Hej!", "anna@bygg.example")
	if h.state(t, id) != before || len(h.deliver(t)) != 0 {
		t.Error("the GET of an expired link wrote or mailed something")
	}
	// The reply form of an expired link takes no reply.
	h.reply(t, token, "sent för sent").Must(t, http.StatusGone)

	// Ask for a fresh link: post/redirect/get, the mail to the address on
	// file, whatever the form says.
	r = h.form("/c/"+token+"/link", url.Values{}).Must(t, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "../"+token+"?sent=link" {
		t.Errorf("Location %q", loc)
	}
	mustContain(t, h.page(token, "sent=link").Must(t, http.StatusGone), "We have sent a new link")
	h.form("/c/"+token+"/link", url.Values{"email": {"evil@example.com"}}).Must(t, http.StatusForbidden)
	mails := h.deliver(t)
	if len(mails) != 1 || mails[0].To[0] != "anna@bygg.example" || !strings.Contains(mails[0].Subject, "A new link to case #1") {
		t.Fatalf("fresh link mails %v", mails)
	}
	fresh := linkPattern.FindStringSubmatch(mails[0].Text)[1]
	mustContain(t, h.page(fresh).Must(t, http.StatusOK), "Hej!")
	ev := h.Do(&agent, "GET", "/v1/cases/"+id+"/events", nil).Must(t, http.StatusOK).Items()
	if e := ev[len(ev)-1]; e["type"] != "link-requested" {
		t.Errorf("event %v", e)
	}

	// At most 3 a day for the case; a link that has not expired sends none.
	h.form("/c/"+token+"/link", url.Values{}).Must(t, http.StatusSeeOther)
	h.form("/c/"+token+"/link", url.Values{}).Must(t, http.StatusSeeOther)
	r = h.form("/c/"+token+"/link", url.Values{}).Must(t, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	h.form("/c/"+fresh+"/link", url.Values{}).Must(t, http.StatusSeeOther)
	if n := len(h.deliver(t)); n != 2 {
		t.Errorf("%d more fresh links mailed, want 2", n)
	}
}

// TestRevokedLinks: staff revoking a case's links, and a switch of its
// contact, make every link sent before stop working: the page says so and
// nothing else; the next message mails a link that works.
func TestRevokedLinks(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.send(t, id, "Hej!")
	first := h.linkOf(t, "anna@bygg.example")
	h.page(first).Must(t, http.StatusOK)

	h.Do(&agent, "DELETE", "/v1/cases/"+id+"/links", nil).Must(t, http.StatusNoContent)
	revoked := invalidPage(t, h.page(first))
	h.reply(t, first, "svar").Must(t, http.StatusNotFound)
	h.form("/c/"+first+"/link", url.Values{}).Must(t, http.StatusNotFound)
	ev := h.Do(&agent, "GET", "/v1/cases/"+id+"/events", nil).Must(t, http.StatusOK).Items()
	if e := ev[len(ev)-1]; e["type"] != "links-revoked" {
		t.Errorf("event %v", e)
	}
	if c := h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK); c.Num("linkEpoch") != 1 {
		t.Errorf("linkEpoch %d", c.Num("linkEpoch"))
	}

	h.send(t, id, "Ny länk")
	second := h.linkOf(t, "anna@bygg.example")
	mustContain(t, h.page(second).Must(t, http.StatusOK), "Ny länk")

	// Another contact: the old one's links stop working, even when the
	// contact comes back.
	h.Do(&agent, "POST", "/v1/cases/"+id+"/customer", map[string]any{"customerId": w.custA, "contactId": w.bo}, apitest.IfMatch(h.version(t, id))...).Must(t, http.StatusOK)
	invalidPage(t, h.page(second))
	h.Do(&agent, "POST", "/v1/cases/"+id+"/customer", map[string]any{"customerId": w.custA, "contactId": w.anna}, apitest.IfMatch(h.version(t, id))...).Must(t, http.StatusOK)
	switched := invalidPage(t, h.page(second))

	// Tampered, unknown, of a deleted case: the very same page.
	tampered := []byte(second)
	tampered[40] ^= 1
	pages := []string{revoked, switched, invalidPage(t, h.page(string(tampered))), invalidPage(t, h.page("nonsense")),
		invalidPage(t, h.page("v4.local."+strings.Repeat("A", 200)))}
	h.Do(&admin, "DELETE", "/v1/cases/"+id, nil, apitest.IfMatch(h.version(t, id))...).Must(t, http.StatusNoContent)
	pages = append(pages, invalidPage(t, h.page(second)))
	for i, p := range pages[1:] {
		if p != pages[0] {
			t.Errorf("invalid page %d differs from the revoked link's", i+1)
		}
	}
	h.Do(&agent, "DELETE", "/v1/cases/"+apitest.NoSuchID+"/links", nil).MustProblem(t, http.StatusNotFound)
	h.Do(&intruder, "DELETE", "/v1/cases/"+id+"/links", nil).MustProblem(t, http.StatusNotFound)
	h.Do(portalUser(w.custA), "DELETE", "/v1/cases/"+id+"/links", nil).MustProblem(t, http.StatusForbidden)
}

// TestLinkIsolation: a link names its tenant, case and contact, sealed:
// one made for another tenant (with this tenant's case ID), another
// contact, or an old epoch shows nothing.
func TestLinkIsolation(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, nil)
	h.send(t, id, "Hemligt meddelande")
	h.deliver(t)
	seal := func(c linktoken.Claims) string {
		tok, err := h.ring.Seal(c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	exp := h.clock.Now().Add(time.Hour)
	good := seal(linktoken.Claims{Tenant: "acme", Case: id, Contact: w.anna, Expires: exp})
	mustContain(t, h.page(good).Must(t, http.StatusOK), "Hemligt meddelande")
	for name, c := range map[string]linktoken.Claims{
		"another tenant's case":  {Tenant: "other", Case: id, Contact: w.anna, Expires: exp},
		"another contact":        {Tenant: "acme", Case: id, Contact: w.bo, Expires: exp},
		"another epoch":          {Tenant: "acme", Case: id, Contact: w.anna, Epoch: 1, Expires: exp},
		"a case that is not one": {Tenant: "acme", Case: apitest.NoSuchID, Contact: w.anna, Expires: exp},
	} {
		t.Run(name, func(t *testing.T) {
			tok := seal(c)
			invalidPage(t, h.page(tok))
			h.reply(t, tok, "x").Must(t, http.StatusNotFound)
			c.Expires = h.clock.Now().Add(-time.Second) // expired as well: still nothing, no fresh link
			invalidPage(t, h.page(seal(c)))
			h.form("/c/"+seal(c)+"/link", url.Values{}).Must(t, http.StatusNotFound)
		})
	}
	// A ring that is not the deployment's.
	invalidPage(t, h.page(func() string {
		tok, _ := linktoken.Generate("test").Seal(linktoken.Claims{Tenant: "acme", Case: id, Contact: w.anna, Expires: exp})
		return tok
	}()))
	if n := len(h.deliver(t)); n != 0 {
		t.Errorf("%d mails sent for links that do not work", n)
	}
}
