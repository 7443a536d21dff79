package cases

import (
	"slices"

	"github.com/workcloud/arendehantering/internal/settings"
)

// Workers are who work case c, and so hear of what happens to it (a
// customer's reply, a breached target): its assigned users, or, when it
// has none, the members of its assigned groups; each once, in order, and
// only users of the tenant.
func Workers(snap *settings.Snapshot, c *Case) []string {
	var ids []string
	add := func(id string) {
		if _, ok := snap.Users[id]; ok && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range c.Assignees.Users {
		add(id)
	}
	if len(ids) > 0 {
		return ids
	}
	for _, g := range c.Assignees.Groups {
		if grp, ok := snap.Groups[g]; ok {
			for _, id := range grp.Members {
				add(id)
			}
		}
	}
	return ids
}
