package cases

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/outbox"
)

// The storage of what is worked on a case: its tasks, time reports and
// comments, each written in one transaction with its event and a guard on
// the case.

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

// addTime changes the case's time total by delta; its condition is that
// the case is there.
func addTime(tenant, caseID string, delta int64) dynamo.Write {
	return dynamo.Change(dynamo.Update{Key: caseKey(tenant, caseID), Set: "ADD #total :d",
		Names: map[string]string{"#total": attrTimeTotal}, Values: map[string]types.AttributeValue{":d": dynamo.N(delta)}},
		caseLive(), errCaseNotFound)
}

// commitWork writes one change of what is worked on a case: guard (that
// the case is there, or the change of its time total), the write of the
// item and its event.
func (s *Service) commitWork(ctx context.Context, tenant, caseID, noun string, guard, write dynamo.Write, e *Event) error {
	ev, err := eventWrite(tenant, caseID, e)
	if err != nil {
		return err
	}
	return s.table.Commit(ctx, "write "+noun, guard, write, ev)
}

// storeTask writes a task (based on version prev, 0 for a new one) with
// its event, if the case is there.
func (s *Service) storeTask(ctx context.Context, tenant, caseID string, t *Task, prev int64, e *Event) error {
	it, err := item(dynamo.CasePK(tenant, caseID), dynamo.TaskSK(t.ID), kindTask, "task", t.Version, t)
	if err != nil {
		return err
	}
	return s.commitWork(ctx, tenant, caseID, "task", caseThere(tenant, caseID), versioned(it, prev, "task"), e)
}

// removeTask deletes a task at its version with its event, if the case is
// there.
func (s *Service) removeTask(ctx context.Context, tenant, caseID string, t *Task, e *Event) error {
	del := versionedDelete(dynamo.Key(dynamo.CasePK(tenant, caseID), dynamo.TaskSK(t.ID)), t.Version, "task")
	return s.commitWork(ctx, tenant, caseID, "task", caseThere(tenant, caseID), del, e)
}

// storeTimeReport writes a time report (based on version prev, 0 for a
// new one) with its event and the change of the case's time total by
// delta.
func (s *Service) storeTimeReport(ctx context.Context, tenant, caseID string, tr *TimeReport, prev, delta int64, e *Event) error {
	it, err := item(dynamo.CasePK(tenant, caseID), dynamo.TimeSK(tr.ID), kindTime, "time report", tr.Version, tr)
	if err != nil {
		return err
	}
	return s.commitWork(ctx, tenant, caseID, "time report", addTime(tenant, caseID, delta), versioned(it, prev, "time report"), e)
}

// removeTimeReport deletes a time report at its version with its event,
// taking its minutes off the case's time total.
func (s *Service) removeTimeReport(ctx context.Context, tenant, caseID string, tr *TimeReport, e *Event) error {
	del := versionedDelete(dynamo.Key(dynamo.CasePK(tenant, caseID), dynamo.TimeSK(tr.ID)), tr.Version, "time report")
	return s.commitWork(ctx, tenant, caseID, "time report", addTime(tenant, caseID, -tr.Minutes), del, e)
}

// storeComment writes a planned comment with its event, the notifications
// of the users it mentions and their mail, if the case is there.
func (s *Service) storeComment(ctx context.Context, tenant, caseID string, n *newComment) error {
	it, err := item(dynamo.CasePK(tenant, caseID), dynamo.CommentSK(dynamo.KeyTime(n.comment.At.Time), n.comment.ID), kindComment, "comment", 1, n.comment)
	if err != nil {
		return err
	}
	ev, err := eventWrite(tenant, caseID, n.event)
	if err != nil {
		return err
	}
	writes := []dynamo.Write{caseThere(tenant, caseID), dynamo.Put(it, dynamo.NotExists(), errIDTaken), ev}
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
	return s.table.Commit(ctx, "add comment", writes...)
}
