package cases

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// What the conversations area writes of a case in the transactions of
// its messages, and reads of it, handed over as writes (no I/O of the
// case's items outside this package): the activity a message is, its
// event, the reopening of a closed case by a customer's reply, and the
// case's link epoch (LinkEpoch), which staff move on to revoke the links
// mailed so far.

// Touch is Activity for a case already read (Reader.Case): the writes that
// make at the case's last activity. They fail with ErrCaseChanged when the
// case changed after it was read: read it again and retry.
func Touch(tenant string, c *Case, at time.Time) []dynamo.Write {
	return touchWrites(tenant, c, timestamp.New(at).Time, 0)
}

// EventWrite is the put of event e (its ID new, dynamo.NewID) in the log
// of case caseID, for another area's transaction.
func EventWrite(tenant, caseID string, e *Event) (dynamo.Write, error) {
	return eventWrite(tenant, caseID, e)
}

// ContactName is the name of the case's contact, as the case keeps it (a
// rename of the contact reaches it): what a reply from the contact is
// signed with, without reading the customer.
func (c *Case) ContactName() string { return c.names.Contact }

// Reopen plans the reopening of closed case c (as read) by by at at: its
// status becomes the first open status of the tenant's settings (the
// default status when there is none), with the SLA bookkeeping of a
// reopening and an event of type "reopened". It answers the case as it
// will be and the writes of the change (the case, its event, its list and
// search entries): they are also its activity, so the caller adds no
// Touch. They fail with ErrCaseChanged when the case changed after it was
// read. A case that is not closed answers no writes.
func (s *Service) Reopen(ctx context.Context, tenant string, c *Case, by string, at time.Time) (*Case, []dynamo.Write, error) {
	if c.StatusCategory != settings.CategoryClosed {
		return c, nil, nil
	}
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return nil, nil, err
	}
	st := firstOpen(snap)
	if st == nil {
		return nil, nil, problem.New(problem.Conflict, "The case is closed and the settings have no status to reopen it to.")
	}
	next := *c
	next.StatusID = st.ID
	ch, err := planChange(snap, by, c, &next, "reopened", timestamp.New(at))
	if err != nil || ch == nil {
		return c, nil, err
	}
	writes, err := s.changeWrites(tenant, ch)
	if err != nil {
		return nil, nil, err
	}
	return ch.c, writes, nil
}

// firstOpen is the status a reopened case gets: the first of category
// open, in the settings' order, else the default status.
func firstOpen(snap *settings.Snapshot) *settings.Status {
	var open []*settings.Status
	for _, st := range snap.Statuses {
		if st.Category == settings.CategoryOpen {
			open = append(open, st)
		}
	}
	if len(open) == 0 {
		return snap.DefaultStatus()
	}
	return slices.MinFunc(open, func(a, b *settings.Status) int { return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID)) })
}

// RevokeLinks moves the case's link epoch on, so that every conversation
// link mailed for it so far stops working (the next message mails a
// fresh one): a change of the case, with its event (links-revoked), based
// on the version read now.
func (s *Service) RevokeLinks(ctx context.Context, p identity.Principal, id string) (*Case, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	old, err := s.getCase(ctx, p.Tenant, id)
	if err != nil {
		return nil, err
	}
	c := *old
	c.LinkEpoch++
	return s.change(ctx, p, snap, old, &c, "links-revoked", 0)
}

// CustomerName is the name of the case's customer, as the case keeps it:
// what a reply from the customer's portal is signed with.
func (c *Case) CustomerName() string { return c.names.Customer }
