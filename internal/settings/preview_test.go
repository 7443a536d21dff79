package settings_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestTextPreview(t *testing.T) {
	h := newHarness(t)
	res := h.do(&admin, "POST", "/v1/settings/texts/case-created/preview", nil).must(t, http.StatusOK)
	if res.str("subject") != "Vi har tagit emot ditt ärende #1042" || !strings.Contains(res.str("body"), "Hej Karin Lund") || res.str("locale") != "sv" {
		t.Errorf("stored text preview: %s", res.Raw)
	}
	res = h.do(&admin, "POST", "/v1/settings/texts/mention/preview", map[string]any{"locale": "en", "subject": "{{mention.author}} on #{{case.number}}"}).must(t, http.StatusOK)
	if res.str("subject") != "Anna Andersson on #1042" || !strings.Contains(res.str("body"), "Anna Andersson wrote") {
		t.Errorf("draft preview: %s", res.Raw)
	}
	res = h.do(&admin, "POST", "/v1/settings/texts/case-created/preview", map[string]any{"body": "{{review.link}}"}).mustProblem(t, http.StatusBadRequest, "body")
	if !strings.Contains(string(res.Raw), "review.link") {
		t.Errorf("the problem does not name the placeholder: %s", res.Raw)
	}
	h.do(&admin, "POST", "/v1/settings/texts/case-created/preview", map[string]any{"subject": "a\r\nBcc: x@y.z"}).mustProblem(t, http.StatusBadRequest, "subject")
	h.do(&admin, "POST", "/v1/settings/texts/nope/preview", nil).mustProblem(t, http.StatusNotFound)
	h.do(&agent, "POST", "/v1/settings/texts/case-created/preview", nil).mustProblem(t, http.StatusForbidden)
	// A preview stores nothing.
	if v := h.do(&admin, "GET", "/v1/settings/texts/mention?locale=en", nil).must(t, http.StatusOK).version(); v != 1 {
		t.Errorf("text version %d after previews", v)
	}
}
