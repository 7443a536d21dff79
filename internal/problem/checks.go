package problem

import (
	"slices"
	"strings"
	"unicode"
)

// maxEmail is the longest e-mail address there is (RFC 5321).
const maxEmail = 254

// Line refuses line breaks and other control characters in a one-line
// value, which could otherwise spill into a mail header or a list.
func (f *Fields) Line(field, s string) {
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		f.Add(field, "may not contain line breaks or other control characters")
	}
}

// OneOf checks that v is one of allowed.
func (f *Fields) OneOf(field, v string, allowed ...string) {
	switch {
	case slices.Contains(allowed, v):
	case v == "":
		f.Add(field, "is required: one of %s", strings.Join(allowed, ", "))
	default:
		f.Add(field, "must be one of %s (got %q)", strings.Join(allowed, ", "), v)
	}
}

// Email checks an e-mail address: one line, one @, a dot in the domain,
// nothing a mail header would read as another address. Empty is allowed
// unless required.
func (f *Fields) Email(field, s string, required bool) {
	if s == "" {
		if required {
			f.Add(field, "is required")
		}
		return
	}
	at := strings.Index(s, "@")
	if len(s) > maxEmail || strings.IndexFunc(s, unicode.IsControl) >= 0 || strings.ContainsAny(s, " <>\",;") ||
		strings.Count(s, "@") != 1 || at == 0 || !strings.Contains(s[at:], ".") || strings.HasSuffix(s, ".") {
		f.Add(field, "must be an e-mail address such as name@example.se")
	}
}
