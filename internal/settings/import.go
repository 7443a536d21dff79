package settings

import (
	"context"
	"fmt"
	"maps"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// ImportDirectory stores users and groups under IDs chosen by the caller
// (the identity provider's subject, or the local stack's demo names),
// validated like any create. Objects that already exist are left as they
// are, so an import can run again.
func (s *Service) ImportDirectory(ctx context.Context, tenant string, users []User, groups []Group) error {
	return s.change(ctx, tenant, func(snap *Snapshot, tx *writes) error {
		// Users first: a group may name a user imported with it.
		next := *snap
		next.Users, next.Groups = maps.Clone(snap.Users), maps.Clone(snap.Groups)
		now := s.stamp()
		if err := importInto(usersResource(), &next, tx, "users", users, now); err != nil {
			return err
		}
		return importInto(groupsResource(), &next, tx, "groups", groups, now)
	})
}

// importInto validates and puts the objects of list that next does not
// have yet, under the IDs they carry, and adds them to next, so that the
// later ones are checked against the earlier. field names list in errors.
func importInto[T any, P interface {
	*T
	object
}](c *collection[T, P], next *Snapshot, tx *writes, field string, list []T, now timestamp.Time) error {
	for i := range list {
		v := P(new(T))
		*v = list[i]
		id := v.meta().ID
		if !validID(id) {
			return problem.FieldInvalid(fmt.Sprintf("%s[%d].id", field, i), "is not a valid ID")
		}
		if _, exists := c.items(next)[id]; exists {
			continue
		}
		var errs problem.Fields
		c.check(next, id, v, &errs)
		if err := errs.Err(); err != nil {
			return err
		}
		*v.meta() = Meta{ID: id, Version: 1, CreatedAt: now, UpdatedAt: now}
		c.items(next)[id] = (*T)(v)
		c.put(tx, v, 0)
	}
	return nil
}
