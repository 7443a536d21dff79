package mail_test

import (
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/settings"
)

// FuzzRender: a mail text rendered with any values (a customer's name, a
// case's title: what clients wrote) never panics, and its subject is
// always a header value the mailer sends (mail.HeaderSafe): no value can
// add a header or stop the mail. A text without placeholders comes out
// as it was written.
func FuzzRender(f *testing.F) {
	f.Add("Ärende #{{case.number}}: {{case.title}}", "Hej {{contact.name}},\n\n{{ case.title }}", "Läckande kran\r\nBcc: x@example.se", "Karin")
	f.Add("{{case.title", "{{}}{{{case.title}}}", "}}", "{{case.title}}")
	f.Add("Hej", "Rad 1\nRad 2", "", "")
	f.Add("{{case.title}}\u2028{{contact.name}}", "{{\x00}}", "\x7f\x1b[31m", "\u0085")
	f.Fuzz(func(t *testing.T, subject, body, title, name string) {
		values := map[string]string{"case.title": title, "contact.name": name, "case.number": "1042"}
		s, b := settings.Render(subject, body, values)
		if !mail.HeaderSafe(s) {
			t.Fatalf("subject %q with %q, %q renders as %q, which no mail may carry", subject, title, name, s)
		}
		if !strings.Contains(subject, "{{") && mail.HeaderSafe(subject) && s != strings.Join(strings.Fields(subject), " ") && s != subject {
			t.Fatalf("subject %q without placeholders renders as %q", subject, s)
		}
		if !strings.Contains(body, "{{") && b != body {
			t.Fatalf("body %q without placeholders renders as %q", body, b)
		}
	})
}
