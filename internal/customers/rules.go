package customers

import (
	"encoding/json"

	"github.com/workcloud/arendehantering/internal/httpapi"
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

// checkLine checks a single-line text: its length in characters, and no
// line breaks or other control characters, which would let a value spill
// into mail headers or break a rendered list.
func checkLine(errs *problem.Fields, field, s string, min, max int) {
	errs.Text(field, s, min, max)
	errs.Line(field, s)
}

// edit is a client's change of a stored object: a JSON merge patch of the
// fields it sets, the version it is based on (httpapi.AnyVersion: any),
// and the server-owned fields it sent back, which must be what is stored.
type edit struct {
	patch   []byte
	version int64
	echoed  map[string]json.RawMessage
}

// checked runs check over v, answering what it finds as one 400.
func checked[F any](v *F, check func(*F, *problem.Fields)) error {
	var errs problem.Fields
	check(v, &errs)
	return errs.Err()
}

// apply is the fields of old (a noun) after e, checked: refused with 412
// when e is based on another version, and with 400 when it sends
// server-owned fields changed or breaks a rule of check.
func apply[F any](noun string, old httpapi.Versioned, fields F, e edit, check func(*F, *problem.Fields)) (*F, error) {
	if err := httpapi.CheckVersion(noun, old, e.version, e.echoed); err != nil {
		return nil, err
	}
	v := new(F)
	if err := httpapi.MergePatch(fields, e.patch, v); err != nil {
		return nil, err
	}
	return v, checked(v, check)
}
