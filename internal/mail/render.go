package mail

import (
	"regexp"
	"strings"
)

var placeholder = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// Render fills a text's placeholders ({{case.number}}) from values; a
// placeholder without a value becomes empty. The subject comes out as one
// line whatever the values hold.
func Render(subject, body string, values map[string]string) (string, string) {
	fill := func(s string) string {
		return placeholder.ReplaceAllStringFunc(s, func(m string) string {
			return values[placeholder.FindStringSubmatch(m)[1]]
		})
	}
	subj := strings.Join(strings.FieldsFunc(fill(subject), func(r rune) bool { return r == '\r' || r == '\n' }), " ")
	return subj, fill(body)
}
