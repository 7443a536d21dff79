package cases

import (
	"context"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// What is worked on a case, its tasks and its time reports, is kept the
// same way for each kind: items of the case's partition with their own ID
// and version, read with the case's partition, changed by a merge patch at
// the version the client read or deleted at it, each change written in one
// transaction with its event and the case's activity (store_work.go). A
// workKind says what differs; the rules of each kind stay in its file
// (tasks.go, timereports.go), and the routes serve every kind with the
// same handlers (workRoutes).

// workItem is an item worked on a case: a task or a time report.
type workItem interface {
	httpapi.Versioned
	subID() string
}

// workKind is one kind of what is worked on a case: T its item, In what a
// client sets on one.
type workKind[T workItem, In any] struct {
	noun     string // "time report": in its errors and its 412
	deleted  string // the type of the event of an item's delete
	kind     string // the entity type of its items
	sk       func(id string) string
	of       func(*partition) []T // the case's, as its partition holds them
	notFound error
	// named is the field and value the events of an item's create and
	// delete name it by.
	named func(T) (field string, value any)
	// minutes is what an item adds to its case's time total.
	minutes func(T) int64
	// input is what a client set on an item: the base of a merge patch.
	input func(T) In
	// check validates in for case c against the settings, filling in
	// what it may.
	check func(snap *settings.Snapshot, c *Case, in *In) error
	// change is an item after a change to in by by at now, and its event.
	change func(old T, in In, by string, now timestamp.Time) (T, *Event)
}

// all answers all of a case's items of the kind: one Query of its
// partition.
func (k workKind[T, In]) all(ctx context.Context, s *Service, tenant, caseID string) ([]T, error) {
	pt, err := s.readPartition(ctx, tenant, caseID)
	if err != nil {
		return nil, err
	}
	return k.of(pt), nil
}

// find reads a case's partition and finds one of its items of the kind.
func (k workKind[T, In]) find(ctx context.Context, s *Service, tenant, caseID, id string) (*partition, T, error) {
	var none T
	pt, err := s.readPartition(ctx, tenant, caseID)
	if err != nil {
		return nil, none, err
	}
	for _, v := range k.of(pt) {
		if v.subID() == id {
			return pt, v, nil
		}
	}
	return pt, none, k.notFound
}

// createEvent is the event of the create of v by by at now.
func (k workKind[T, In]) createEvent(v T, typ, by string, now timestamp.Time) *Event {
	field, value := k.named(v)
	return &Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: typ, Subject: v.subID(), Changes: []Change{{Field: field, After: value}}}
}

// patch changes an item of the kind on a case with a merge patch, based
// on the version the client read; the case's time total follows.
func (k workKind[T, In]) patch(ctx context.Context, s *Service, p identity.Principal, caseID, id string, version int64, patch Patch) (T, error) {
	var none T
	pt, old, err := k.find(ctx, s, p.Tenant, caseID, id)
	if err != nil {
		return none, err
	}
	if err := httpapi.CheckVersion(k.noun, old, version, patch.Echoed); err != nil {
		return none, err
	}
	var in In
	if err := httpapi.MergePatch(k.input(old), patch.Merge, &in); err != nil {
		return none, err
	}
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return none, err
	}
	if err := k.check(snap, pt.c, &in); err != nil {
		return none, err
	}
	v, e := k.change(old, in, reporter(snap, p), s.stamp())
	if err := k.store(ctx, s, p.Tenant, pt.c, v, old.CurrentVersion(), k.minutes(v)-k.minutes(old), e); err != nil {
		return none, err
	}
	return v, nil
}

// delete removes an item of the kind from a case, at the version the
// client read; its minutes come off the case's time total.
func (k workKind[T, In]) delete(ctx context.Context, s *Service, p identity.Principal, caseID, id string, version int64) error {
	pt, old, err := k.find(ctx, s, p.Tenant, caseID, id)
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion(k.noun, old, version, nil); err != nil {
		return err
	}
	by, err := s.who(ctx, p)
	if err != nil {
		return err
	}
	now := s.stamp()
	field, value := k.named(old)
	e := &Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: k.deleted, Subject: old.subID(),
		Changes: []Change{{Field: field, Before: value}}}
	return k.remove(ctx, s, p.Tenant, pt.c, old, e)
}
