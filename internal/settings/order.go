package settings

import (
	"cmp"
	"encoding/json"
	"strings"

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

// byRank sorts a collection the client orders: by order, then name, then
// ID. rank gives an object's order and name.
func byRank[T any, P interface {
	*T
	object
}](rank func(P) (*int, string)) func(a, b *T) int {
	return func(a, b *T) int {
		ao, an := rank(a)
		bo, bn := rank(b)
		return cmp.Or(cmp.Compare(*ao, *bo), strings.Compare(an, bn), strings.Compare(P(a).meta().ID, P(b).meta().ID))
	}
}

// lastOrder is the order of an object put after every one of items.
func lastOrder[T any, P interface {
	*T
	object
}](items map[string]*T, rank func(P) (*int, string)) int {
	last := 0
	for _, v := range items {
		o, _ := rank(v)
		last = max(last, *o)
	}
	return min(last+orderStep, maxOrder)
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
