package portal_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/identity"
)

// giveForm gives case type typeID of p's tenant a form filled by filledBy.
func (h *harness) giveForm(t testing.TB, p identity.Principal, typeID, filledBy string) {
	t.Helper()
	f := h.Do(&p, "POST", "/v1/settings/forms", map[string]any{"name": "Felbeskrivning " + filledBy, "questions": []map[string]any{
		{"key": "what", "label": "Vad är fel?", "kind": "text", "required": true},
		{"key": "rooms", "label": "Antal rum", "kind": "number"},
	}}).Must(t, http.StatusCreated).Str("id")
	cur := h.Do(&p, "GET", "/v1/settings/case-types/"+typeID, nil).Must(t, http.StatusOK)
	h.Do(&p, "PATCH", "/v1/settings/case-types/"+typeID, map[string]any{"defaultForm": map[string]any{"formId": f, "filledBy": filledBy}},
		"If-Match", cur.Header.Get("ETag")).Must(t, http.StatusOK)
}

// TestPortalForm: a customer reads and answers the form of its own case
// when the customer fills it: partial saves, then a submit, after which
// it can no longer change it; staff see the answers, by the customer. A
// form staff fill, and another customer's case, are not there for it.
func TestPortalForm(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	h.giveForm(t, admin, w.service, "customer")
	c := h.newCase(t, w.anna, map[string]any{"typeId": w.service, "title": "Läcka", "fields": map[string]any{w.custField: "1101"}})
	id := c.Str("id")
	if f := c.Obj("form"); f["name"] != "Felbeskrivning customer" {
		t.Errorf("the portal's case does not name its form: %s", c.Raw)
	}
	path := "/v1/portal/cases/" + id + "/form"
	f := h.Do(&w.anna, "GET", path, nil).Must(t, http.StatusOK)
	if f.Version() != 1 || len(f.List("questions")) != 2 || f.Body["submitted"] != false {
		t.Fatalf("the portal's form: %s", f.Raw)
	}

	saved := h.Do(&w.anna, "PUT", path, map[string]any{"version": 1, "answers": map[string]any{"rooms": 3}}).Must(t, http.StatusOK)
	if got := h.Do(&w.anna, "GET", path, nil).Must(t, http.StatusOK); !bytes.Equal(got.Raw, saved.Raw) {
		t.Errorf("read back otherwise than saved:\nsaved: %s\nread:  %s", saved.Raw, got.Raw)
	}
	by := saved.Obj("answers")["rooms"].(map[string]any)["by"].(map[string]any)
	if by["kind"] != "customer" || by["name"] != "Anna AB" || by["id"] != nil {
		t.Errorf("answered by %v, as the customer sees it", by)
	}
	h.Do(&w.anna, "PUT", path, map[string]any{"submitted": true}, apitest.IfMatch(2)...).MustProblem(t, http.StatusBadRequest, "answers.what")
	h.Do(&w.anna, "PUT", path, map[string]any{"answers": map[string]any{"what": "Droppar"}, "submitted": true}, apitest.IfMatch(1)...).
		MustProblem(t, http.StatusPreconditionFailed)
	done := h.Do(&w.anna, "PUT", path, map[string]any{"answers": map[string]any{"what": "Droppar"}, "submitted": true}, apitest.IfMatch(2)...).Must(t, http.StatusOK)
	if done.Body["submitted"] != true {
		t.Fatalf("submitted: %s", done.Raw)
	}
	h.Do(&w.anna, "PUT", path, map[string]any{"answers": map[string]any{"what": "Ändrat"}}, "If-Match", "*").MustProblem(t, http.StatusConflict)
	h.Do(&w.anna, "PUT", path, map[string]any{"submitted": false}, "If-Match", "*").MustProblem(t, http.StatusConflict)

	// Staff see who answered, with the login.
	staff := h.Do(&agent, "GET", "/v1/cases/"+id+"/form", nil).Must(t, http.StatusOK)
	a := staff.Obj("answers")["what"].(map[string]any)
	if b := a["by"].(map[string]any); a["value"] != "Droppar" || b["kind"] != "customer" || b["id"] != w.anna.User {
		t.Errorf("staff see the answer %v", a)
	}

	// Another customer, another tenant: nothing there.
	h.Do(&w.bo, "GET", path, nil).MustProblem(t, http.StatusNotFound)
	h.Do(&w.bo, "PUT", path, map[string]any{"answers": map[string]any{"what": "x"}}, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	other := h.seed(t, "other")
	h.Do(&other.anna, "GET", path, nil).MustProblem(t, http.StatusNotFound)
	// Staff use their own route.
	h.Do(&agent, "GET", path, nil).MustProblem(t, http.StatusForbidden)
}

// TestPortalNeverShowsStaffForms: a form staff fill is not there for the
// customer (404 as for a case without one), neither in its case nor at
// its route, and the customer cannot answer it.
func TestPortalNeverShowsStaffForms(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	h.giveForm(t, admin, w.service, "staff")
	c := h.newCase(t, w.anna, map[string]any{"typeId": w.service, "title": "Läcka", "fields": map[string]any{w.custField: "1101"}})
	if _, ok := c.Body["form"]; ok {
		t.Errorf("the portal's case names a form staff fill: %s", c.Raw)
	}
	path := "/v1/portal/cases/" + c.Str("id") + "/form"
	h.Do(&w.anna, "GET", path, nil).MustProblem(t, http.StatusNotFound)
	h.Do(&w.anna, "PUT", path, map[string]any{"answers": map[string]any{"what": "x"}}, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	if f := h.Do(&agent, "GET", "/v1/cases/"+c.Str("id")+"/form", nil).Must(t, http.StatusOK); len(f.Obj("answers")) != 0 || f.Version() != 1 {
		t.Errorf("the refused save changed the form: %s", f.Raw)
	}
	for _, typ := range h.Do(&w.anna, "GET", "/v1/portal/case-types", nil).Must(t, http.StatusOK).Items() {
		if _, ok := typ["form"]; ok {
			t.Errorf("a case type shows a form: %v", typ)
		}
	}
	// A case without a form: the same 404.
	plain := h.newCase(t, w.anna, map[string]any{"title": "Fråga"})
	h.Do(&w.anna, "GET", "/v1/portal/cases/"+plain.Str("id")+"/form", nil).MustProblem(t, http.StatusNotFound)
}
