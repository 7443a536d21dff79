package directory

import (
	"slices"
	"strings"
	"unicode"

	"github.com/workcloud/arendehantering/internal/problem"
)

// Bounds of the strings the directory accepts.
const (
	maxName      = 200
	maxPerson    = 100
	maxOrgNumber = 20
	maxEmail     = 254
	maxPhone     = 40
	maxContacts  = 50
	maxNumber    = 40
	maxTitle     = 200
)

// serverFields are the body fields the server owns. On create they are
// refused; on update they may be sent back as read (a client that PATCHes
// what it GOT is not punished), and "version" is the precondition.
var serverFields = []string{"id", "createdAt", "updatedAt"}

// checkLine checks a single-line text: its length in characters, and no
// line breaks or other control characters, which would let a value spill
// into mail headers or break a rendered list.
func checkLine(errs *problem.Fields, field, s string, min, max int) {
	errs.Text(field, s, min, max)
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		errs.Add(field, "may not contain line breaks or other control characters")
	}
}

// checkEmail checks an optional e-mail address.
func checkEmail(errs *problem.Fields, field, s string) {
	if s == "" {
		return
	}
	at := strings.Index(s, "@")
	if len(s) > maxEmail || strings.IndexFunc(s, unicode.IsControl) >= 0 || strings.ContainsAny(s, " <>\",;") ||
		strings.Count(s, "@") != 1 || at == 0 || !strings.Contains(s[at:], ".") || strings.HasSuffix(s, ".") {
		errs.Add(field, "must be an e-mail address such as name@example.se")
	}
}

func checkOneOf(errs *problem.Fields, field, v string, allowed ...string) {
	if slices.Contains(allowed, v) {
		return
	}
	if v == "" {
		errs.Add(field, "is required: one of %s", strings.Join(allowed, ", "))
		return
	}
	errs.Add(field, "must be one of %s (got %q)", strings.Join(allowed, ", "), v)
}
