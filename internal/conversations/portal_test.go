package conversations_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// TestPortalMode: with access portal, the mail links the case in the
// portal (no token), a link page asks to log in and shows nothing, and the
// portal user reads and replies through the portal's API: only their own
// customer's cases, never comments.
func TestPortalMode(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}})
	h.send(t, id, "Länk före portalen")
	linkBefore := h.linkOf(t, "anna@bygg.example")

	h.putConversations(t, map[string]any{"access": "portal"})
	h.send(t, id, "Logga in i portalen")
	mails := h.deliver(t)
	if len(mails) != 1 || !strings.Contains(mails[0].Text, portalURL+"/cases/"+id) || strings.Contains(mails[0].Text, "/c/") {
		t.Fatalf("portal-mode mail %v", mails)
	}

	// The old link's page: log in, nothing else.
	r := h.page(linkBefore).Must(t, http.StatusOK)
	checkPageHeaders(t, r) // a link to the portal is an <a>, not a load
	mustContain(t, r, "Log in to the customer portal", `href="`+portalURL+`"`)
	mustLack(t, r, "Läckande kran", "Länk före portalen", "<form")
	binding, _ := h.ring.Binding(linkBefore)
	h.form("/c/"+linkBefore, url.Values{"binding": {binding}, "body": {"x"}}).Must(t, http.StatusOK)

	// The portal.
	own := portalUser(w.custA)
	h.Do(&agent, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": "INTERNT"}).Must(t, http.StatusCreated)
	list := h.Do(own, "GET", "/v1/portal/cases/"+id+"/messages", nil).Must(t, http.StatusOK)
	items := list.Items()
	if len(items) != 2 || items[0]["body"] != "Länk före portalen" || items[0]["author"].(map[string]any)["id"] != nil {
		t.Errorf("portal conversation %s", list.Raw)
	}
	mustLack(t, list, "INTERNT")
	rep := h.Do(own, "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": " Tack! "}).Must(t, http.StatusCreated)
	if rep.Str("body") != "Tack!" || rep.Str("direction") != "in" || rep.Obj("author")["name"] != "Byggbolaget AB" || rep.Obj("author")["id"] != nil {
		t.Errorf("portal reply %s", rep.Raw)
	}
	staffView := h.Do(&agent, "GET", "/v1/cases/"+id+"/messages", nil).Must(t, http.StatusOK).Items()
	if a := staffView[2]["author"].(map[string]any); a["id"] != "login-"+w.custA {
		t.Errorf("staff see the portal reply's author %v", a)
	}
	if n := h.inbox(t, agent1); len(n) != 1 || n[0]["type"] != "customer-reply" {
		t.Errorf("agent1's inbox %v", n)
	}

	// Isolation: another customer, another tenant, staff on the portal,
	// bad input.
	other := portalUser(w.custB)
	h.Do(other, "GET", "/v1/portal/cases/"+id+"/messages", nil).MustProblem(t, http.StatusNotFound)
	h.Do(other, "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": "x"}).MustProblem(t, http.StatusNotFound)
	stranger := &identity.Principal{Tenant: "other", User: "u", Roles: []identity.Role{identity.Customer}, Customer: w.custA}
	h.Do(stranger, "GET", "/v1/portal/cases/"+id+"/messages", nil).MustProblem(t, http.StatusNotFound)
	h.Do(stranger, "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": "x"}).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "GET", "/v1/portal/cases/"+id+"/messages", nil).MustProblem(t, http.StatusForbidden)
	h.Do(own, "GET", "/v1/portal/cases/"+apitest.NoSuchID+"/messages", nil).MustProblem(t, http.StatusNotFound)
	h.Do(own, "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": ""}).MustProblem(t, http.StatusBadRequest, "body")
	h.Do(own, "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": strings.Repeat("x", 5001)}).MustProblem(t, http.StatusBadRequest, "body")
	h.Do(own, "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": "x", "author": "Boss"}).MustProblem(t, http.StatusBadRequest, "author")
	if n := len(h.Do(&agent, "GET", "/v1/cases/"+id+"/messages", nil).Must(t, http.StatusOK).Items()); n != 3 {
		t.Errorf("%d messages after the refusals, want 3", n)
	}

	// customerAccess none turns the portal off: nothing read, nothing
	// written.
	general := h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	off := general.Editable()
	off["customerAccess"] = "none"
	h.Do(&admin, "PUT", "/v1/settings/general", off, apitest.IfMatch(general.Version())...).Must(t, http.StatusOK)
	h.Do(own, "GET", "/v1/portal/cases/"+id+"/messages", nil).MustProblem(t, http.StatusForbidden)
	h.Do(own, "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": "x"}).MustProblem(t, http.StatusForbidden)
	if n := len(h.Do(&agent, "GET", "/v1/cases/"+id+"/messages", nil).Must(t, http.StatusOK).Items()); n != 3 {
		t.Errorf("%d messages with the portal off, want 3", n)
	}
}

// TestConversationLink: the link a mail carries: a token for the
// contact, epoch and expiry the change named, under the public base URL;
// in portal mode the case in the portal, and no portal URL is an error.
func TestConversationLink(t *testing.T) {
	ring := linktoken.Generate("k1")
	exp := timestamp.New(t0.Add(time.Hour))
	links := conversations.Links{Ring: ring, BaseURL: "https://api.example/", PortalURL: "https://portal.example/"}
	to := outbox.Recipient{CustomerID: "cu1", ContactID: "k1"}
	l, err := links.ConversationLink("acme", "case1", to, outbox.Link{Epoch: 4, Expires: exp}, "en")
	if err != nil {
		t.Fatal(err)
	}
	tok, ok := strings.CutPrefix(l, "https://api.example/c/")
	if !ok {
		t.Fatalf("link %q", l)
	}
	c, err := ring.Open(tok, t0)
	if err != nil || c.Tenant != "acme" || c.Case != "case1" || c.Contact != "k1" || c.Epoch != 4 || !c.Expires.Equal(exp.Time) || c.Locale != "en" {
		t.Errorf("claims %+v, %v", c, err)
	}
	if l, err := links.ConversationLink("acme", "case1", to, outbox.Link{Portal: true}, "sv"); err != nil || l != "https://portal.example/cases/case1" {
		t.Errorf("portal link %q, %v", l, err)
	}
	links.PortalURL = ""
	if _, err := links.ConversationLink("acme", "case1", to, outbox.Link{Portal: true}, "sv"); err == nil {
		t.Error("a portal link without a portal URL")
	}
	if _, err := (conversations.Links{}).ConversationLink("acme", "case1", to, outbox.Link{Expires: exp}, "sv"); err == nil {
		t.Error("a link without keys")
	}
}
