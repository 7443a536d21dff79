package customers

import (
	"github.com/workcloud/arendehantering/internal/problem"
)

// Bounds of the strings customers and orders accept.
const (
	maxName      = 200
	maxPerson    = 100
	maxOrgNumber = 20
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
	errs.Line(field, s)
}
