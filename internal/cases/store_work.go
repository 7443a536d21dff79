package cases

import (
	"context"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/outbox"
)

// The storage of what is worked on a case: its tasks, time reports and
// comments, each written in one transaction with its event and the case's
// activity (activity.go), which also guards that the case is there.

// versioned puts an item of the case partition, conditioned on the
// version it replaces (0: it must not exist); noun names it in the 412.
func versioned(it dynamo.Item, prev int64, noun string) dynamo.Write {
	if prev == 0 {
		return dynamo.Put(it, dynamo.NotExists(), errIDTaken)
	}
	return dynamo.Put(it, dynamo.VersionIs(prev), httpapi.Stale(noun, prev+1, prev))
}

// versionedDelete deletes an item of the case partition, conditioned on
// the version it removes.
func versionedDelete(k dynamo.Item, version int64, noun string) dynamo.Write {
	return dynamo.Delete(k, dynamo.VersionIs(version), httpapi.Stale(noun, version+1, version))
}

// commitWork writes one change of what is worked on a case c (as read):
// the write of the item and its event, with the case's activity (and
// minutes more or less on its time total; see commitTouching).
func (s *Service) commitWork(ctx context.Context, tenant string, c *Case, noun string, minutes int64, write dynamo.Write, e *Event) error {
	ev, err := eventWrite(tenant, c.ID, e)
	if err != nil {
		return err
	}
	return s.commitTouching(ctx, "write "+noun, tenant, c, e.At.Time, minutes, write, ev)
}

// item is the item of v, of the kind, on case caseID.
func (k workKind[T, In]) item(tenant, caseID string, v T) (dynamo.Item, error) {
	return item(dynamo.CasePK(tenant, caseID), k.sk(v.subID()), k.kind, k.noun, v.CurrentVersion(), v)
}

// store writes v, of the kind, on case c (based on version prev, 0 for a
// new one) with its event and minutes more or less on the case's time
// total, if the case is there.
func (k workKind[T, In]) store(ctx context.Context, s *Service, tenant string, c *Case, v T, prev, minutes int64, e *Event) error {
	it, err := k.item(tenant, c.ID, v)
	if err != nil {
		return err
	}
	return s.commitWork(ctx, tenant, c, k.noun, minutes, versioned(it, prev, k.noun), e)
}

// remove deletes v, of the kind, from case c at its version with its
// event, taking its minutes off the case's time total, if the case is
// there.
func (k workKind[T, In]) remove(ctx context.Context, s *Service, tenant string, c *Case, v T, e *Event) error {
	del := versionedDelete(dynamo.Key(dynamo.CasePK(tenant, c.ID), k.sk(v.subID())), v.CurrentVersion(), k.noun)
	return s.commitWork(ctx, tenant, c, k.noun, -k.minutes(v), del, e)
}

// storeComment writes a planned comment on case c with its event, the
// notifications of the users it mentions and their mail, if the case is
// there.
func (s *Service) storeComment(ctx context.Context, tenant string, c *Case, n *newComment) error {
	it, err := item(dynamo.CasePK(tenant, c.ID), dynamo.CommentSK(dynamo.KeyTime(n.comment.At.Time), n.comment.ID), kindComment, "comment", 1, n.comment)
	if err != nil {
		return err
	}
	ev, err := eventWrite(tenant, c.ID, n.event)
	if err != nil {
		return err
	}
	writes := []dynamo.Write{dynamo.Put(it, dynamo.NotExists(), errIDTaken), ev}
	for _, note := range n.notices {
		ws, err := notifications.Write(tenant, note.userID, note.notification)
		if err != nil {
			return err
		}
		writes = append(writes, ws...)
	}
	for _, m := range n.mails {
		w, err := outbox.Write(m)
		if err != nil {
			return err
		}
		writes = append(writes, w)
	}
	return s.commitTouching(ctx, "add comment", tenant, c, n.comment.At.Time, 0, writes...)
}
