package settings

import (
	"errors"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/problem"
)

// FuzzTextCheck: a mail text as an admin saves it (PUT
// /v1/settings/texts/{key}) is checked without panic; a refusal names
// the subject or the body; a text taken, rendered with every placeholder
// its key has, leaves no placeholder unfilled (a mail never goes out with
// a hole in it) and a one-line subject.
func FuzzTextCheck(f *testing.F) {
	for _, s := range [][3]string{
		{"case-created", "Ärende #{{case.number}}: {{case.title}}", "Hej {{contact.name}},\n\n{{ case.title }}\n{{company.name}}"},
		{"mention", "{{mention.author}} nämnde dig", "{{comment.text}} {{case.link}}"},
		{"case-closed", "{{case.nope}}", "{{"}, {"sla-breach", "{{{case.number}}}", "}}{{"}, {"x", "a", "b"},
		{"review-request", "Rad\nbrytning", "{{review.link}}"}, {"case-created", "", ""}, {"case-created", "{{case.number}{{case.title}}", "{{ }}"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, key, subject, body string) {
		err := checkText(key, subject, body)
		if err != nil {
			var e *problem.Error
			if !errors.As(err, &e) || e.Code != problem.Invalid {
				t.Fatalf("%s %q / %q refused with %v", key, subject, body, err)
			}
			for _, fe := range e.Fields {
				if fe.Field != "subject" && fe.Field != "body" {
					t.Fatalf("%s %q / %q refused naming %q", key, subject, body, fe.Field)
				}
			}
			return
		}
		values := map[string]string{}
		for _, p := range Placeholders(key) {
			values[p] = "V"
		}
		s, b := Render(subject, body, values)
		for _, out := range []string{s, b} {
			if strings.Contains(out, "{{") || strings.Contains(out, "}}") {
				t.Fatalf("%s %q / %q taken, renders with a hole: %q / %q", key, subject, body, s, b)
			}
		}
		if strings.ContainsAny(s, "\r\n") {
			t.Fatalf("%s subject %q renders as %q, more than one line", key, subject, s)
		}
	})
}
