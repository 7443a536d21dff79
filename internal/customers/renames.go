package customers

import (
	"context"

	"github.com/workcloud/arendehantering/internal/httpapi"
)

// Renames is told after a customer's name, or the name of one of its
// contacts, changed: the cases area, whose cases are found by those names
// (GET /v1/cases?q=).
type Renames interface {
	// CustomerRenamed makes the customer's cases found by its names as
	// they are now.
	CustomerRenamed(ctx context.Context, tenant, customerID string) error
}

// OnRename sets who is told of renames (the wiring sets the cases area).
func (s *Service) OnRename(r Renames) { s.renames = r }

// renamed reports whether next has another name than c, or a contact of
// both another name.
func (c *Customer) renamed(next *Customer) bool {
	if c.Name != next.Name {
		return true
	}
	for _, k := range next.Contacts {
		if was, ok := c.Contact(k.ID); ok && was.Name != k.Name {
			return true
		}
	}
	return false
}

// tellRenamed tells Renames of a rename that has committed. The rename
// stands whatever it answers: a failure is logged (the cases not reached
// keep being found by the old names until the next rename).
func (s *Service) tellRenamed(ctx context.Context, tenant, id string) {
	if s.renames == nil {
		return
	}
	if err := s.renames.CustomerRenamed(ctx, tenant, id); err != nil {
		httpapi.Log(ctx).ErrorContext(ctx, "the customer's cases do not all follow its rename", "customer", id, "err", err.Error())
	}
}
