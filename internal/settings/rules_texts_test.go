package settings_test

import (
	"net/http"
	"strings"
	"testing"
)

const textsPath = "/v1/settings/texts"

func TestTextRules(t *testing.T) {
	h := newHarness(t)
	svPath := textsPath + "/case-created?locale=sv"
	enPath := textsPath + "/case-created?locale=en"
	put := func(body map[string]any, headers ...string) response {
		t.Helper()
		return h.Do(&admin, "PUT", textsPath+"/case-created", body, headers...)
	}
	valid := func() map[string]any {
		return map[string]any{"locale": "sv", "subject": "Ärende #{{case.number}} mottaget", "body": "Hej {{contact.name}}!\n\n{{company.name}}"}
	}

	cases := []struct {
		name    string
		edit    func(map[string]any)
		field   string
		mention string // the problem must say this
	}{
		{"unknown placeholder in body", func(b map[string]any) { b["body"] = "Hej {{case.secret}}" }, "body", "case.secret"},
		{"unknown placeholder in subject", func(b map[string]any) { b["subject"] = "Ärende {{customer.password}}" }, "subject", "customer.password"},
		{"placeholder with spaces", func(b map[string]any) { b["body"] = "Hej {{ tenant.apiKey }}" }, "body", "tenant.apiKey"},
		{"second of two unknown", func(b map[string]any) { b["body"] = "{{case.number}} {{case.internalNote}}" }, "body", "case.internalNote"},
		{"unclosed placeholder", func(b map[string]any) { b["body"] = "Hej {{contact.name" }, "body", "{{"},
		{"LF in subject", func(b map[string]any) { b["subject"] = "Ärende\nBcc: evil@example.com" }, "subject", ""},
		{"CR in subject", func(b map[string]any) { b["subject"] = "Ärende\rmottaget" }, "subject", ""},
		{"CRLF in subject", func(b map[string]any) { b["subject"] = "Ärende\r\nmottaget" }, "subject", ""},
		{"empty subject", func(b map[string]any) { b["subject"] = "" }, "subject", ""},
		{"empty body", func(b map[string]any) { b["body"] = "" }, "body", ""},
		{"subject too long", func(b map[string]any) { b["subject"] = strings.Repeat("x", 201) }, "subject", ""},
		{"unknown locale", func(b map[string]any) { b["locale"] = "de" }, "locale", ""},
		{"no locale", func(b map[string]any) { delete(b, "locale") }, "locale", ""},
		{"unknown field", func(b map[string]any) { b["key"] = "case-closed" }, "key", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sv, en := ruleRead(t, h, svPath), ruleRead(t, h, enPath)
			b := valid()
			tc.edit(b)
			r := put(b, ifMatch(sv.Version())...).MustProblem(t, http.StatusBadRequest, tc.field)
			if !strings.Contains(ruleMessages(r), tc.mention) {
				t.Errorf("the problem does not mention %q: %s", tc.mention, r.Raw)
			}
			ruleUnchanged(t, h, svPath, sv)
			ruleUnchanged(t, h, enPath, en)
		})
	}

	t.Run("every documented placeholder is accepted where it has a value", func(t *testing.T) {
		for key, names := range map[string][]string{
			"case-created": {"case.number", "case.title", "case.status", "case.priority", "case.type", "case.deadline",
				"customer.name", "contact.name", "contact.email", "agent.name", "agent.email", "agent.phone",
				"company.name", "company.email", "company.phone"},
			"conversation-message": {"conversation.link", "message.text"},
			"review-request":       {"review.link"},
			"mention":              {"case.link", "mention.author", "comment.text"},
		} {
			for _, p := range names {
				path := textsPath + "/" + key + "?locale=en"
				en := ruleRead(t, h, path)
				b := map[string]any{"locale": "en", "subject": "S {{" + p + "}}", "body": "B {{ " + p + " }}"}
				h.Do(&admin, "PUT", textsPath+"/"+key, b, ifMatch(en.Version())...).Must(t, http.StatusOK)
			}
		}
	})

	t.Run("a placeholder another text has is refused", func(t *testing.T) {
		en := ruleRead(t, h, enPath)
		b := map[string]any{"locale": "en", "subject": "S", "body": "Review: {{review.link}}"}
		r := h.Do(&admin, "PUT", textsPath+"/case-created", b, ifMatch(en.Version())...).MustProblem(t, http.StatusBadRequest, "body")
		if !strings.Contains(ruleMessages(r), "review.link") {
			t.Errorf("the problem does not name review.link: %s", r.Raw)
		}
		ruleUnchanged(t, h, enPath, en)
	})

	t.Run("unknown key", func(t *testing.T) {
		before := ruleRead(t, h, textsPath)
		h.Do(&admin, "PUT", textsPath+"/case-secret", valid(), ifMatch(1)...).MustProblem(t, http.StatusNotFound)
		h.Do(&admin, "GET", textsPath+"/case-secret?locale=sv", nil).MustProblem(t, http.StatusNotFound)
		ruleUnchanged(t, h, textsPath, before)
	})

	t.Run("unknown locale on read", func(t *testing.T) {
		h.Do(&admin, "GET", textsPath+"/case-created?locale=de", nil).MustProblem(t, http.StatusBadRequest, "locale")
	})

	t.Run("a version is required", func(t *testing.T) {
		sv := ruleRead(t, h, svPath)
		put(valid()).MustProblem(t, http.StatusBadRequest, "version")
		put(valid(), ifMatch(sv.Version()+1)...).MustProblem(t, http.StatusPreconditionFailed)
		ruleUnchanged(t, h, svPath, sv)
	})

	t.Run("agents may not write", func(t *testing.T) {
		sv := ruleRead(t, h, svPath)
		h.Do(&agent, "PUT", textsPath+"/case-created", valid(), ifMatch(sv.Version())...).MustProblem(t, http.StatusForbidden)
		ruleUnchanged(t, h, svPath, sv)
	})

	t.Run("a valid update", func(t *testing.T) {
		sv, en := ruleRead(t, h, svPath), ruleRead(t, h, enPath)
		if sv.Version() != 1 {
			t.Fatalf("sv text at version %d before the first update", sv.Version())
		}
		b := valid()
		r := put(b, ifMatch(1)...).Must(t, http.StatusOK)
		if r.Version() != 2 || r.Header.Get("ETag") != `"2"` || r.Str("subject") != b["subject"] || r.Str("body") != b["body"] ||
			r.Str("key") != "case-created" || r.Str("locale") != "sv" {
			t.Errorf("answered %s (ETag %s)", r.Raw, r.Header.Get("ETag"))
		}
		got := ruleRead(t, h, svPath)
		if got.Version() != 2 || got.Str("subject") != b["subject"] {
			t.Errorf("stored %s", got.Raw)
		}
		// Without ?locale the tenant's locale (sv) is read.
		if def := ruleRead(t, h, textsPath+"/case-created"); def.Str("subject") != b["subject"] {
			t.Errorf("GET without locale answers %s", def.Raw)
		}
		ruleUnchanged(t, h, enPath, en)
		// Version in the body instead of If-Match works as well.
		b["subject"], b["version"] = "Tack för ditt ärende", 2
		if r := put(b).Must(t, http.StatusOK); r.Version() != 3 {
			t.Errorf("version %d, want 3", r.Version())
		}
		ruleUnchanged(t, h, enPath, en)
	})
}
