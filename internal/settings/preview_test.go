package settings_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestTextPreview(t *testing.T) {
	h := newHarness(t)
	res := h.Do(&admin, "POST", "/v1/settings/texts/case-created/preview", nil).Must(t, http.StatusOK)
	if res.Str("subject") != "Vi har tagit emot ditt ärende #1042" || !strings.Contains(res.Str("body"), "Hej Karin Lund") || res.Str("locale") != "sv" {
		t.Errorf("stored text preview: %s", res.Raw)
	}
	res = h.Do(&admin, "POST", "/v1/settings/texts/mention/preview", map[string]any{"locale": "en", "subject": "{{mention.author}} on #{{case.number}}"}).Must(t, http.StatusOK)
	if res.Str("subject") != "Anna Andersson on #1042" || !strings.Contains(res.Str("body"), "Anna Andersson wrote") {
		t.Errorf("draft preview: %s", res.Raw)
	}
	res = h.Do(&admin, "POST", "/v1/settings/texts/case-created/preview", map[string]any{"body": "{{review.link}}"}).MustProblem(t, http.StatusBadRequest, "body")
	if !strings.Contains(string(res.Raw), "review.link") {
		t.Errorf("the problem does not name the placeholder: %s", res.Raw)
	}
	h.Do(&admin, "POST", "/v1/settings/texts/case-created/preview", map[string]any{"subject": "a\r\nBcc: x@y.z"}).MustProblem(t, http.StatusBadRequest, "subject")
	h.Do(&admin, "POST", "/v1/settings/texts/nope/preview", nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "POST", "/v1/settings/texts/case-created/preview", nil).MustProblem(t, http.StatusForbidden)
	// A preview stores nothing.
	if v := h.Do(&admin, "GET", "/v1/settings/texts/mention?locale=en", nil).Must(t, http.StatusOK).Version(); v != 1 {
		t.Errorf("text version %d after previews", v)
	}
}
