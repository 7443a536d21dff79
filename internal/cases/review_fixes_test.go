package cases_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestStatusCategoryIsFixedWhileCasesUseIt: a case's lists and SLA follow
// its status's category, so a status that cases are in keeps its category.
func TestStatusCategoryIsFixedWhileCasesUseIt(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Läcka")).Str("id")
	h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	h.Do(&admin, "PATCH", "/v1/settings/statuses/"+statusOpen, map[string]any{"category": "waiting"}, "If-Match", "*").MustProblem(t, http.StatusConflict)
	h.Do(&admin, "PATCH", "/v1/settings/statuses/"+statusOpen, map[string]any{"color": "#000000"}, "If-Match", "*").Must(t, http.StatusOK)
	if got := h.listIDs(t, "?category=open"); len(got) != 1 || got[0] != id {
		t.Errorf("category=open lists %v, want the case", got)
	}
}

// TestContactOfACaseStays: removing a contact that a case has answers 400
// and keeps it.
func TestContactOfACaseStays(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	body := w.validService("Läcka")
	body["customerId"], body["contactId"] = w.custA, w.anna
	h.create(t, body)
	h.Do(&admin, "PATCH", "/v1/customers/"+w.custA, map[string]any{"contacts": []map[string]any{{"id": w.bo, "name": "Bo Berg"}}}, "If-Match", "*").
		MustProblem(t, http.StatusBadRequest, "contacts")
	if n := len(h.Do(&admin, "GET", "/v1/customers/"+w.custA, nil).Must(t, http.StatusOK).List("contacts")); n != 2 {
		t.Errorf("%d contacts after a refused removal, want 2", n)
	}
}

// TestLongTextsInTheLog: an edit of a long description is one event whose
// values are shortened, not a 413.
func TestLongTextsInTheLog(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	body := w.validService("Läcka")
	body["description"] = strings.Repeat("å", 20000)
	id := h.create(t, body).Str("id")
	h.patch(t, id, map[string]any{"description": strings.Repeat("ä", 20000)}).Must(t, http.StatusOK)
	ev := h.events(t, id)
	last := ev[len(ev)-1]["changes"].([]any)[0].(map[string]any)
	if after := last["after"].(string); len([]rune(after)) > 501 || !strings.HasSuffix(after, "…") {
		t.Errorf("event value of %d characters", len([]rune(after)))
	}
}

// TestReopenKeepsTheStartVerdict: a case closed without being worked on
// and then reopened keeps the start target's verdict.
func TestReopenKeepsTheStartVerdict(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	body := w.validService("Läcka")
	body["priorityId"] = prioUrgent // start within an hour
	id := h.create(t, body).Str("id")
	h.clock.Advance(30 * time.Minute)
	h.patch(t, id, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	h.clock.Advance(5 * time.Hour)
	if st := h.get(t, id).Obj("sla")["start"].(map[string]any)["state"]; st != "met" {
		t.Errorf("start state %v after close and reopen within the hour, want met", st)
	}
}

// TestCursorOutsideTheQueryIsRefused: a cursor whose sort key the query
// cannot reach answers 400, not a database error.
func TestCursorOutsideTheQueryIsRefused(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Läcka")).Str("id")
	pk := "T#acme#CASE#" + id
	for path, cursor := range map[string]string{
		"/v1/cases/" + id + "/events":   `{"PK":"` + pk + `","SK":"A#CASE"}`,
		"/v1/cases/" + id + "/comments": `{"PK":"` + pk + `","SK":"E#2026"}`,
		"/v1/cases?overdue=true":        `{"PK":"T#acme#CASES#active","SK":"x#y","GSI2PK":"T#acme#CASES#active","GSI2SK":"Z9999"}`,
	} {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		h.Do(&admin, "GET", path+sep+"cursor="+b64(cursor), nil).MustProblem(t, http.StatusBadRequest, "cursor")
	}
}

// TestChangeOfADeletedCaseIsNotFound: a change that loses the race with a
// delete answers 404, not 412.
func TestChangeOfADeletedCaseIsNotFound(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Läcka")).Str("id")
	h.probe.onNextTransact(func() {
		h.Do(&admin, "DELETE", "/v1/cases/"+id, nil, "If-Match", "*").Must(t, http.StatusNoContent)
	})
	h.Do(&admin, "PATCH", "/v1/cases/"+id, map[string]any{"title": "Ny titel"}, "If-Match", `"1"`).MustProblem(t, http.StatusNotFound)
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
