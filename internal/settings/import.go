package settings

import (
	"context"
	"fmt"
	"maps"

	"github.com/workcloud/arendehantering/internal/problem"
)

// ImportDirectory stores users and groups under IDs chosen by the caller
// (the identity provider's subject, or the local stack's demo names),
// validated like any create. Objects that already exist are left as they
// are, so an import can run again.
func (s *Service) ImportDirectory(ctx context.Context, tenant string, users []User, groups []Group) error {
	return s.change(ctx, tenant, func(snap *Snapshot, tx *writes) error {
		next := *snap
		next.Users = maps.Clone(snap.Users)
		now := s.stamp()
		for i := range users {
			u := users[i]
			if !validID(u.ID) {
				return problem.FieldInvalid(fmt.Sprintf("users[%d].id", i), "is not a valid ID")
			}
			if _, exists := next.Users[u.ID]; exists {
				continue
			}
			var errs problem.Fields
			usersResource().check(&next, u.ID, &u, &errs)
			if err := errs.Err(); err != nil {
				return err
			}
			u.Meta = Meta{ID: u.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
			next.Users[u.ID] = &u
			tx.put(kindUser, &u, 0)
		}
		for i := range groups {
			g := groups[i]
			if !validID(g.ID) {
				return problem.FieldInvalid(fmt.Sprintf("groups[%d].id", i), "is not a valid ID")
			}
			if _, exists := snap.Groups[g.ID]; exists {
				continue
			}
			var errs problem.Fields
			groupsResource().check(&next, g.ID, &g, &errs)
			if err := errs.Err(); err != nil {
				return err
			}
			g.Meta = Meta{ID: g.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
			tx.put(kindGroup, &g, 0)
		}
		return nil
	})
}
