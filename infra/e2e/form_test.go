//go:build e2e

package e2e

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCustomerForm is a case's form in the browser: a case type gives its
// cases a form the customer fills; the customer opens the mailed link,
// finds the form below the conversation, saves some answers, then fills
// the rest and submits it, without a script; staff read the answers, by
// the customer, and the case may close only once the form is submitted.
func TestCustomerForm(t *testing.T) {
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	s := startStack(t)
	b := newBrowser(t)
	seen := map[string]bool{}

	// The admin makes the form and a case type that gives it to the
	// customer, to be submitted before the case closes.
	anna := s.token("anna", "admin")
	form := s.must(http.StatusCreated, "POST", "/v1/settings/forms", anna, map[string]any{"name": "Felanmälan värmepump",
		"sections": []map[string]any{{"key": "unit", "title": "Aggregatet", "help": "Typskylten sitter på sidan av värmepumpen."}},
		"questions": []map[string]any{
			{"key": "what", "label": "Vad är fel?", "kind": "longtext", "required": true},
			{"key": "model", "label": "Modell", "kind": "text", "section": "unit"},
			{"key": "fault", "label": "Larmkod", "kind": "dropdown", "options": []string{"E12", "E31", "Inget larm"}, "section": "unit"},
			{"key": "age", "label": "Ålder (år)", "kind": "number", "section": "unit"},
			{"key": "since", "label": "Sedan", "kind": "date", "section": "unit"},
			{"key": "home", "label": "Någon är hemma och kan öppna", "kind": "checkbox", "required": true, "section": "unit"},
		}})["id"].(string)
	typeID := s.must(http.StatusCreated, "POST", "/v1/settings/case-types", anna, map[string]any{"name": "Värmepumpsservice",
		"defaultForm": map[string]any{"formId": form, "filledBy": "customer", "requiredBeforeClose": true}})["id"].(string)

	// Staff: a case of the type for Karin Lund, and a message to her.
	erik := s.token("erik", "agent")
	customerID, contactID := karin(t, s, erik)
	caseID := s.must(http.StatusCreated, "POST", "/v1/cases", erik, map[string]any{"title": "Värmepumpen larmar",
		"typeId": typeID, "customerId": customerID, "contactId": contactID,
		"assignees": map[string]any{"users": []string{"erik"}}})["id"].(string)
	s.must(http.StatusCreated, "POST", "/v1/cases/"+caseID+"/messages", erik, map[string]any{"body": "Hej Karin! Fyll gärna i formuläret nedan."})
	link := s.link("karin.lund@bostadnorr.example", "Nytt meddelande", seen)

	// The page: the form below the conversation.
	b.open(link)
	b.mustSay("Fyll gärna i formuläret nedan.", "Felanmälan värmepump", "Aggregatet", "Typskylten sitter på sidan", "Vad är fel?", "Larmkod", "Spara", "Skicka in formuläret")
	if text := b.text(); strings.Index(text, "Felanmälan värmepump") < strings.Index(text, "Fyll gärna i formuläret nedan.") {
		t.Error("the form is not below the conversation")
	}
	if csp := b.header(link, "Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	b.shot("7-form")

	// Some answers, saved: post, redirect, the page again with them.
	if err := chromedp.Do(b.ctx,
		chromedp.SendKeys(chromedp.CSS("textarea#q-what"), "Larmar varje natt och blåser kall luft."),
		chromedp.SendKeys(chromedp.CSS("input#q-model"), "Nibe F1255"),
		chromedp.SetValue(chromedp.CSS("select#q-fault"), "E12"),
		chromedp.SendKeys(chromedp.CSS("input#q-age"), "7,5"),
		chromedp.Click(chromedp.CSS(`section#form button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS("section#form .notice"))); err != nil {
		t.Fatalf("save the form: %v", err)
	}
	if !strings.Contains(b.location(), "?sent=form") {
		t.Errorf("after the save the page is %s, want the page again (post/redirect/get)", b.location())
	}
	b.mustSay("Dina svar är sparade.")
	model, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("input#q-model")))
	if err != nil {
		t.Fatal(err)
	}
	age, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("input#q-age")))
	if err != nil {
		t.Fatal(err)
	}
	if model != "Nibe F1255" || age != "7,5" {
		t.Errorf("the page shows the saved answers as %q and %q", model, age)
	}
	b.shot("8-form-saved")

	// Not submitted yet: the case may not close.
	cur := s.must(http.StatusOK, "GET", "/v1/cases/"+caseID, erik, nil)
	if code, out := s.call("PATCH", "/v1/cases/"+caseID, erik, map[string]any{"statusId": "status-closed", "version": cur["version"]}); code != http.StatusConflict ||
		!strings.Contains(out["detail"].(string), "Någon är hemma och kan öppna") {
		t.Errorf("closing before the form is submitted: %d %v", code, out)
	}

	// The rest, and the submit: the page shows the answers, no more inputs.
	if err := chromedp.Do(b.ctx,
		chromedp.SetValue(chromedp.CSS("input#q-since"), "2026-11-20"),
		chromedp.Click(chromedp.CSS("input#q-home")),
		chromedp.Click(chromedp.CSS(`section#form button[value="submit"]`)),
		// The submitted form's answers: the page after the redirect (the
		// saved page's notice is there until it comes).
		chromedp.WaitVisible(chromedp.CSS("section#form p.answer"))); err != nil {
		t.Fatalf("submit the form: %v", err)
	}
	b.mustSay("Tack! Formuläret är skickat.", "Dina svar:", "Nibe F1255", "E12", "2026-11-20", "Ja")
	inputs, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("section#form input, section#form textarea").length`))
	if err != nil {
		t.Fatal(err)
	}
	if inputs != 0 {
		t.Errorf("the submitted form still has %d inputs", inputs)
	}
	b.shot("9-form-submitted")

	// Staff see the answers, by the customer, and may close the case.
	f := s.must(http.StatusOK, "GET", "/v1/cases/"+caseID+"/form", erik, nil)
	answers := f["answers"].(map[string]any)
	want := map[string]any{"what": "Larmar varje natt och blåser kall luft.", "model": "Nibe F1255", "fault": "E12", "age": 7.5,
		"since": "2026-11-20", "home": true}
	for k, v := range want {
		a, ok := answers[k].(map[string]any)
		if !ok || a["value"] != v {
			t.Errorf("staff see %s = %v, want %v", k, answers[k], v)
			continue
		}
		if by := a["by"].(map[string]any); by["kind"] != "customer" || by["name"] != "Karin Lund" {
			t.Errorf("%s answered by %v", k, by)
		}
	}
	if f["submitted"] != true {
		t.Errorf("staff see the form not submitted: %v", f)
	}
	cur = s.must(http.StatusOK, "GET", "/v1/cases/"+caseID, erik, nil)
	s.must(http.StatusOK, "PATCH", "/v1/cases/"+caseID, erik, map[string]any{"statusId": "status-closed", "version": cur["version"]})
	t.Logf("screenshots in %s", shots)
}

// karin finds Karin Lund of the demo tenant: her customer's ID and hers.
func karin(t *testing.T, s *stack, token string) (customerID, contactID string) {
	t.Helper()
	for _, c := range s.must(http.StatusOK, "GET", "/v1/customers", token, nil)["items"].([]any) {
		c := c.(map[string]any)
		for _, k := range c["contacts"].([]any) {
			if k := k.(map[string]any); k["email"] == "karin.lund@bostadnorr.example" {
				return c["id"].(string), k["id"].(string)
			}
		}
	}
	t.Fatal("the demo tenant has no Karin Lund")
	return "", ""
}
