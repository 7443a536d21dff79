package cases

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// taskInput is what a client sets on a task.
type taskInput struct {
	Title      string     `json:"title"`
	AssigneeID string     `json:"assigneeId,omitempty"`
	Due        *time.Time `json:"due,omitempty"`
	Done       bool       `json:"done"`
}

var taskReadOnly = []string{"id", "createdAt", "updatedAt", "doneAt"}

var errTaskNotFound = problem.New(problem.NotFound, "The case has no such task.")

func checkTask(snap *settings.Snapshot, t *taskInput, errs *problem.Fields) {
	errs.Text("title", t.Title, 1, maxTaskTitle)
	if t.AssigneeID != "" {
		if _, ok := snap.Users[t.AssigneeID]; !ok {
			errs.Add("assigneeId", "no user has the ID %q", t.AssigneeID)
		}
	}
	if t.Due != nil {
		d := t.Due.UTC().Truncate(time.Millisecond)
		t.Due = &d
	}
}

// caseLive is the check, inside a transaction, that the case exists and is
// not deleted.
func caseLive(table, tenant, caseID string) types.TransactWriteItem {
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:           aws.String(table),
		Key:                 key(dynamo.CasePK(tenant, caseID), dynamo.CaseSK),
		ConditionExpression: aws.String("attribute_exists(PK) AND attribute_not_exists(" + attrDeletedAt + ")"),
	}}
}

// versioned puts an item of the case partition, conditioned on the
// version it replaces (0: it must not exist).
func versioned(table string, it map[string]types.AttributeValue, prev int64) types.TransactWriteItem {
	p := &types.Put{TableName: aws.String(table), Item: it}
	if prev == 0 {
		p.ConditionExpression = aws.String("attribute_not_exists(PK)")
	} else {
		p.ConditionExpression = aws.String("#ver = :prev")
		p.ExpressionAttributeNames = map[string]string{"#ver": dynamo.AttrVer}
		p.ExpressionAttributeValues = map[string]types.AttributeValue{":prev": dynamo.N(prev)}
	}
	return types.TransactWriteItem{Put: p}
}

// versionedDelete deletes an item of the case partition, conditioned on
// the version it removes.
func versionedDelete(table string, k map[string]types.AttributeValue, version int64) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{
		TableName: aws.String(table), Key: k,
		ConditionExpression:       aws.String("#ver = :prev"),
		ExpressionAttributeNames:  map[string]string{"#ver": dynamo.AttrVer},
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": dynamo.N(version)},
	}}
}

// commitSubItem writes a change of a case's task or time report in one
// transaction: guard (that the case is there, or the change of its time
// total), the write of the item conditioned on version prev, and its event.
func (s *Service) commitSubItem(ctx context.Context, tenant, caseID, noun string, guard, write types.TransactWriteItem, prev int64, e *Event) error {
	ev, err := eventWrite(s.table.Name, tenant, caseID, e)
	if err != nil {
		return err
	}
	return s.transact(ctx, "write "+noun, []types.TransactWriteItem{guard, write, ev}, func(i int) error {
		switch i {
		case 0:
			return errCaseNotFound
		case 1:
			return httpapi.Stale(noun, prev+1, prev)
		}
		return nil
	})
}

// writeTask stores a task with its event, checking that the case is there.
func (s *Service) writeTask(ctx context.Context, p identity.Principal, caseID string, t *Task, prev int64, e *Event) error {
	it, err := item(dynamo.CasePK(p.Tenant, caseID), dynamo.TaskSK(t.ID), kindTask, t.Version, t)
	if err != nil {
		return err
	}
	return s.commitSubItem(ctx, p.Tenant, caseID, "task", caseLive(s.table.Name, p.Tenant, caseID), versioned(s.table.Name, it, prev), prev, e)
}

func (s *Service) handleCreateTask(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	req, err := httpapi.ReadObject(w, r, false, taskReadOnly)
	if err != nil {
		return err
	}
	var in taskInput
	if err := httpapi.Unmarshal(req.Body, &in); err != nil {
		return err
	}
	snap, err := s.settings.Snapshot(r.Context(), p.Tenant)
	if err != nil {
		return err
	}
	var errs problem.Fields
	checkTask(snap, &in, &errs)
	if err := errs.Err(); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	if !validID(caseID) {
		return errCaseNotFound
	}
	now := s.stamp()
	t := &Task{ID: dynamo.NewID(now), Version: 1, CreatedAt: now, UpdatedAt: now, Title: in.Title, AssigneeID: in.AssigneeID, Due: in.Due, Done: in.Done}
	if t.Done {
		t.DoneAt = &now
	}
	e := &Event{ID: dynamo.NewID(now), At: now, By: reporter(snap, p), Type: "task-created", Subject: t.ID, Changes: []Change{{Field: "title", After: t.Title}}}
	if err := s.writeTask(r.Context(), p, caseID, t, 0, e); err != nil {
		return err
	}
	httpapi.Created(w, "/v1/cases/"+caseID+"/tasks/"+t.ID, t)
	return nil
}

func (s *Service) handleUpdateTask(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	req, version, err := httpapi.ReadUpdate(w, r, taskReadOnly)
	if err != nil {
		return err
	}
	caseID := r.PathValue("id")
	_, old, err := s.findTask(r)
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion("task", old, version, req.Echoed); err != nil {
		return err
	}
	var in taskInput
	if err := httpapi.MergePatch(taskInput{Title: old.Title, AssigneeID: old.AssigneeID, Due: old.Due, Done: old.Done}, req.Body, &in); err != nil {
		return err
	}
	snap, err := s.settings.Snapshot(r.Context(), p.Tenant)
	if err != nil {
		return err
	}
	var errs problem.Fields
	checkTask(snap, &in, &errs)
	if err := errs.Err(); err != nil {
		return err
	}
	now := s.stamp()
	t := *old
	t.Title, t.AssigneeID, t.Due, t.Done = in.Title, in.AssigneeID, in.Due, in.Done
	switch {
	case t.Done && !old.Done:
		t.DoneAt = &now
	case !t.Done:
		t.DoneAt = nil
	}
	t.Version, t.UpdatedAt = old.Version+1, now
	changes := changed(Change{"title", old.Title, t.Title}, Change{"assigneeId", old.AssigneeID, t.AssigneeID},
		Change{"due", old.Due, t.Due}, Change{"done", old.Done, t.Done})
	e := &Event{ID: dynamo.NewID(now), At: now, By: reporter(snap, p), Type: "task-updated", Subject: t.ID, Changes: changes}
	if err := s.writeTask(r.Context(), p, caseID, &t, old.Version, e); err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, &t)
	return nil
}

func (s *Service) handleDeleteTask(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	version, err := httpapi.DeleteVersion(r)
	if err != nil {
		return err
	}
	caseID := r.PathValue("id")
	_, old, err := s.findTask(r)
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion("task", old, version, nil); err != nil {
		return err
	}
	now := s.stamp()
	e := &Event{ID: dynamo.NewID(now), At: now, By: s.who(r.Context(), p), Type: "task-deleted", Subject: old.ID,
		Changes: []Change{{Field: "title", Before: old.Title}}}
	del := versionedDelete(s.table.Name, key(dynamo.CasePK(p.Tenant, caseID), dynamo.TaskSK(old.ID)), old.Version)
	if err := s.commitSubItem(r.Context(), p.Tenant, caseID, "task", caseLive(s.table.Name, p.Tenant, caseID), del, old.Version, e); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
