package settings

import (
	"encoding/json"

	"github.com/workcloud/arendehantering/internal/problem"
)

// The order of the objects a client puts in order (statuses, priorities,
// the case menu's items): a number from 0 to maxOrder, ties broken by name.
const (
	maxOrder = 100000
	// orderStep is the gap left after the last object for a new one that
	// comes without an order, so that one can still go between.
	orderStep = 10
)

func checkOrder(errs *problem.Fields, field string, order int) {
	if order < 0 || order > maxOrder {
		errs.Add(field, "must be between 0 and %d", maxOrder)
	}
}

// sent reports whether a JSON object body gives field a value (null is
// none).
func sent(body []byte, field string) bool {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return false
	}
	v, ok := fields[field]
	return ok && string(v) != "null"
}
