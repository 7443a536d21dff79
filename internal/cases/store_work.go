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

// storeTask writes a task of case c (based on version prev, 0 for a new
// one) with its event, if the case is there.
func (s *Service) storeTask(ctx context.Context, tenant string, c *Case, t *Task, prev int64, e *Event) error {
	it, err := item(dynamo.CasePK(tenant, c.ID), dynamo.TaskSK(t.ID), kindTask, "task", t.Version, t)
	if err != nil {
		return err
	}
	return s.commitWork(ctx, tenant, c, "task", 0, versioned(it, prev, "task"), e)
}

// removeTask deletes a task of case c at its version with its event, if
// the case is there.
func (s *Service) removeTask(ctx context.Context, tenant string, c *Case, t *Task, e *Event) error {
	del := versionedDelete(dynamo.Key(dynamo.CasePK(tenant, c.ID), dynamo.TaskSK(t.ID)), t.Version, "task")
	return s.commitWork(ctx, tenant, c, "task", 0, del, e)
}

// storeTimeReport writes a time report of case c (based on version prev,
// 0 for a new one) with its event and the change of the case's time total
// by delta.
func (s *Service) storeTimeReport(ctx context.Context, tenant string, c *Case, tr *TimeReport, prev, delta int64, e *Event) error {
	it, err := item(dynamo.CasePK(tenant, c.ID), dynamo.TimeSK(tr.ID), kindTime, "time report", tr.Version, tr)
	if err != nil {
		return err
	}
	return s.commitWork(ctx, tenant, c, "time report", delta, versioned(it, prev, "time report"), e)
}

// removeTimeReport deletes a time report of case c at its version with its
// event, taking its minutes off the case's time total.
func (s *Service) removeTimeReport(ctx context.Context, tenant string, c *Case, tr *TimeReport, e *Event) error {
	del := versionedDelete(dynamo.Key(dynamo.CasePK(tenant, c.ID), dynamo.TimeSK(tr.ID)), tr.Version, "time report")
	return s.commitWork(ctx, tenant, c, "time report", -tr.Minutes, del, e)
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
