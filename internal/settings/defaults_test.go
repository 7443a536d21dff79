package settings_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestNewTenantGetsSwedishDefaults(t *testing.T) {
	h := newHarness(t)

	st := h.Do(&agent, "GET", "/v1/settings/statuses", nil).Must(t, http.StatusOK).Items()
	var names []string
	defaults := 0
	for _, s := range st {
		names = append(names, s["name"].(string))
		if s["isDefault"] == true {
			defaults++
			if s["category"] != "new" {
				t.Errorf("default status %v is not of category new", s["name"])
			}
		}
	}
	if want := []string{"Ny", "Pågående", "Väntar på kund", "Avslutad"}; !equal(names, want) {
		t.Errorf("statuses %v, want %v", names, want)
	}
	if defaults != 1 {
		t.Errorf("%d default statuses, want exactly 1", defaults)
	}

	pr := h.Do(&agent, "GET", "/v1/settings/priorities", nil).Must(t, http.StatusOK).Items()
	names = nil
	for _, p := range pr {
		names = append(names, p["name"].(string))
		if p["startWithin"] == "" || p["resolveWithin"] == "" {
			t.Errorf("priority %v lacks SLA times", p["name"])
		}
	}
	if want := []string{"Låg", "Normal", "Hög", "Akut"}; !equal(names, want) {
		t.Errorf("priorities %v, want %v", names, want)
	}

	g := h.Do(&agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	if g.Str("timeZone") != "Europe/Stockholm" || g.Str("locale") != "sv" {
		t.Errorf("general settings %s", g.Raw)
	}
	if g.Header.Get("ETag") != `"1"` {
		t.Errorf("ETag %q, want \"1\"", g.Header.Get("ETag"))
	}

	menu := h.Do(&agent, "GET", "/v1/settings/case-menu", nil).Must(t, http.StatusOK)
	items, _ := menu.Body["items"].([]any)
	if len(items) != 6 {
		t.Errorf("menu has %d items, want 6: %s", len(items), menu.Raw)
	}

	texts := h.Do(&agent, "GET", "/v1/settings/texts", nil).Must(t, http.StatusOK).Items()
	have := map[string]bool{}
	for _, tx := range texts {
		have[tx["key"].(string)+"/"+tx["locale"].(string)] = true
	}
	for _, k := range []string{"case-created", "case-closed", "conversation-message", "conversation-link", "conversation-reply", "review-request", "mention"} {
		for _, l := range []string{"sv", "en"} {
			if !have[k+"/"+l] {
				t.Errorf("no default text %s/%s", k, l)
			}
		}
	}
	sv := h.Do(&agent, "GET", "/v1/settings/texts/case-created", nil).Must(t, http.StatusOK)
	if sv.Str("locale") != "sv" {
		t.Errorf("text without ?locale is %q, want the tenant's locale sv", sv.Str("locale"))
	}
	h.Do(&agent, "GET", "/v1/settings/texts/case-created?locale=en", nil).Must(t, http.StatusOK)

	// The defaults are stored on first use: their IDs and versions are stable.
	again := h.Do(&agent, "GET", "/v1/settings/statuses", nil).Must(t, http.StatusOK).Items()
	if again[0]["id"] != st[0]["id"] || again[0]["createdAt"] != st[0]["createdAt"] {
		t.Errorf("defaults changed between reads: %v then %v", st[0], again[0])
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDefaultTextsKeepTheRules: each default text (defaulttexts.txt) is
// one the API would accept: bounded, a one-line subject, only its key's
// placeholders (a preview of the stored text checks all of that).
func TestDefaultTextsKeepTheRules(t *testing.T) {
	h := newHarness(t)
	texts := h.Do(&admin, "GET", "/v1/settings/texts", nil).Must(t, http.StatusOK).Items()
	if len(texts) != 16 {
		t.Fatalf("%d default texts, want 16", len(texts))
	}
	for _, tx := range texts {
		key, locale := tx["key"].(string), tx["locale"].(string)
		if strings.HasSuffix(tx["body"].(string), "\n") || strings.HasPrefix(tx["body"].(string), "\n") {
			t.Errorf("%s/%s: body %q starts or ends with a line break", key, locale, tx["body"])
		}
		h.Do(&admin, "POST", "/v1/settings/texts/"+key+"/preview", map[string]any{"locale": locale}).Must(t, http.StatusOK)
	}
}
