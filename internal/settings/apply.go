package settings

import (
	"maps"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// A committed write leaves the instance's cache holding the settings as
// they are after it (see Service.change): the snapshot the write was
// planned on, which was the tenant's settings at the revision the write
// was conditioned on, with the write's objects put and removed, is what a
// load would read right after the commit.

// written is one object a settings transaction puts or removes.
type written struct {
	kind, id string
	sk       string      // its sort key
	item     dynamo.Item // as stored; nil when removed
}

// after returns the settings as they are once w, planned on s, has
// committed: a new snapshot that shares with s the objects w leaves
// alone. s stays as it was: other requests may be reading it. ok is false
// when a write of w cannot be applied (the caller then reads the settings
// again).
func (s *Snapshot) after(w *writes) (next *Snapshot, ok bool) {
	if w.revision == 0 {
		return nil, false
	}
	next = s.clone()
	kinds := byKind(resources())
	for _, o := range w.objects {
		if !next.apply(o, kinds) {
			return nil, false
		}
	}
	next.Revision = w.revision
	return next, true
}

// apply puts o into s, a snapshot of its own (see clone), with the size
// bookkeeping a load does.
func (s *Snapshot) apply(o written, kinds map[string]resource) bool {
	r, known := kinds[o.kind]
	if !known {
		return false
	}
	s.Bytes -= s.sizes[o.sk]
	delete(s.sizes, o.sk)
	if o.item == nil {
		return r.drop(s, o.id)
	}
	n := dynamo.DataSize(o.item)
	s.Bytes += n
	s.sizes[o.sk] = n
	return r.decode(s, o.item) == nil
}

// clone returns a copy of s whose maps are its own, so that objects can
// be put into and removed from it; the objects themselves are shared
// (they are never modified, only replaced).
func (s *Snapshot) clone() *Snapshot {
	c := *s
	c.Statuses = maps.Clone(s.Statuses)
	c.Priorities = maps.Clone(s.Priorities)
	c.Fields = maps.Clone(s.Fields)
	c.CaseTypes = maps.Clone(s.CaseTypes)
	c.Canned = maps.Clone(s.Canned)
	c.TaskTemplates = maps.Clone(s.TaskTemplates)
	c.ReportTemplates = maps.Clone(s.ReportTemplates)
	c.Forms = maps.Clone(s.Forms)
	c.Users = maps.Clone(s.Users)
	c.Groups = maps.Clone(s.Groups)
	c.Texts = maps.Clone(s.Texts)
	c.RecurringCases = maps.Clone(s.RecurringCases)
	c.sizes = maps.Clone(s.sizes)
	if c.sizes == nil {
		c.sizes = map[string]int{}
	}
	return &c
}

// sortKey is the sort key of a stored item.
func sortKey(item dynamo.Item) string {
	if sk, ok := item[dynamo.AttrSK].(*types.AttributeValueMemberS); ok {
		return sk.Value
	}
	return ""
}

// drop removes the object id from s.
func (c *collection[T, P]) drop(s *Snapshot, id string) bool {
	delete(c.items(s), id)
	return true
}

// drop answers false: a singleton is replaced, never removed.
func (c *singleton[T, P]) drop(*Snapshot, string) bool { return false }

// drop answers false: texts are replaced, never removed.
func (texts) drop(*Snapshot, string) bool { return false }
