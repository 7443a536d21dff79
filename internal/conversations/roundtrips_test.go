package conversations_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
)

// TestRoundTrips: what each operation costs in DynamoDB requests, with
// the tenant's settings warm (a cold instance adds one Query for them).
func TestRoundTrips(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.newCase(t, w.custA, w.anna, map[string]any{"users": []string{"agent1"}, "groups": []string{"support"}})
	h.send(t, id, "Hej!") // warms the settings
	token := h.linkOf(t, "anna@bygg.example")
	binding, _ := h.ring.Binding(token)
	c := h.db.Counter

	c.Expect(t.Errorf, "staff message", map[string]int{"GetItem": 2, "TransactWriteItems": 1}, func() {
		h.send(t, id, "Vi kommer på torsdag.")
	})
	c.Expect(t.Errorf, "staff reads the conversation", map[string]int{"GetItem": 1, "Query": 1}, func() {
		h.Do(&agent, "GET", "/v1/cases/"+id+"/messages", nil).Must(t, http.StatusOK)
	})
	c.Expect(t.Errorf, "page view (the case and its form in one BatchGetItem)", map[string]int{"BatchGetItem": 1, "Query": 1}, func() {
		h.page(token).Must(t, http.StatusOK)
	})
	c.Expect(t.Errorf, "reply (notification and mail included)", map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func() {
		h.form("/c/"+token, url.Values{"binding": {binding}, "body": {"Det passar."}}).Must(t, http.StatusSeeOther)
	})
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": "status-closed"}, apitest.IfMatch(h.version(t, id))...).Must(t, http.StatusOK)
	c.Expect(t.Errorf, "reply that reopens", map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func() {
		h.form("/c/"+token, url.Values{"binding": {binding}, "body": {"Igen."}}).Must(t, http.StatusSeeOther)
	})
	c.Expect(t.Errorf, "portal reads the conversation", map[string]int{"GetItem": 1, "Query": 1}, func() {
		h.Do(portalUser(w.custA), "GET", "/v1/portal/cases/"+id+"/messages", nil).Must(t, http.StatusOK)
	})
	c.Expect(t.Errorf, "portal reply", map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func() {
		h.Do(portalUser(w.custA), "POST", "/v1/portal/cases/"+id+"/messages", map[string]any{"body": "Tack"}).Must(t, http.StatusCreated)
	})
	c.Expect(t.Errorf, "tampered link", map[string]int{}, func() {
		h.page(token[:len(token)-3]+"AAA").Must(t, http.StatusNotFound)
	})
	h.clock.Advance(31 * 24 * time.Hour)
	h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK) // warm the settings again
	c.Expect(t.Errorf, "expired link's page", map[string]int{"GetItem": 1}, func() {
		h.page(token).Must(t, http.StatusGone)
	})
	c.Expect(t.Errorf, "fresh link", map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func() {
		h.form("/c/"+token+"/link", url.Values{}).Must(t, http.StatusSeeOther)
	})
	c.Expect(t.Errorf, "revoke links", map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func() {
		h.Do(&agent, "DELETE", "/v1/cases/"+id+"/links", nil).Must(t, http.StatusNoContent)
	})
}
