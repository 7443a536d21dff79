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

// writeTask stores a task with its event: one transaction, which also
// checks that the case is there.
func (s *Service) writeTask(ctx context.Context, p identity.Principal, caseID string, t *Task, prev int64, e *Event) error {
	it, err := item(dynamo.CasePK(p.Tenant, caseID), dynamo.TaskSK(t.ID), kindTask, t.Version, t)
	if err != nil {
		return err
	}
	ev, err := eventWrite(s.table.Name, p.Tenant, caseID, e)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{caseLive(s.table.Name, p.Tenant, caseID), versioned(s.table.Name, it, prev), ev}
	return s.transact(ctx, "write task", items, func(i int) error {
		switch i {
		case 0:
			return errCaseNotFound
		case 1:
			return httpapi.Stale("task", prev+1, prev)
		}
		return nil
	})
}

func (s *Service) findTask(ctx context.Context, tenant, caseID, taskID string) (*partition, *Task, error) {
	pt, err := s.readPartition(ctx, tenant, caseID)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range pt.tasks {
		if t.ID == taskID {
			return pt, t, nil
		}
	}
	return nil, nil, errTaskNotFound
}

func (s *Service) handleListTasks(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	pt, err := s.readPartition(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[*Task]{Items: pt.tasks})
	return nil
}

func (s *Service) handleGetTask(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	_, t, err := s.findTask(r.Context(), p.Tenant, r.PathValue("id"), r.PathValue("taskId"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, t)
	return nil
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
	t := &Task{ID: newID(now), Version: 1, CreatedAt: now, UpdatedAt: now, Title: in.Title, AssigneeID: in.AssigneeID, Due: in.Due, Done: in.Done}
	if t.Done {
		t.DoneAt = &now
	}
	e := &Event{ID: newID(now), At: now, By: s.who(r.Context(), p), Type: "task-created", Subject: t.ID, Changes: []Change{{Field: "title", After: t.Title}}}
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
	req, err := httpapi.ReadObject(w, r, true, taskReadOnly)
	if err != nil {
		return err
	}
	version, err := httpapi.Version(r, req.Version)
	if err != nil {
		return err
	}
	caseID := r.PathValue("id")
	_, old, err := s.findTask(r.Context(), p.Tenant, caseID, r.PathValue("taskId"))
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
	var changes []Change
	for _, c := range []Change{{"title", old.Title, t.Title}, {"assigneeId", old.AssigneeID, t.AssigneeID},
		{"due", old.Due, t.Due}, {"done", old.Done, t.Done}} {
		if !sameJSON(c.Before, c.After) {
			changes = append(changes, c)
		}
	}
	e := &Event{ID: newID(now), At: now, By: s.who(r.Context(), p), Type: "task-updated", Subject: t.ID, Changes: changes}
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
	_, old, err := s.findTask(r.Context(), p.Tenant, caseID, r.PathValue("taskId"))
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion("task", old, version, nil); err != nil {
		return err
	}
	now := s.stamp()
	ev, err := eventWrite(s.table.Name, p.Tenant, caseID, &Event{ID: newID(now), At: now, By: s.who(r.Context(), p), Type: "task-deleted", Subject: old.ID,
		Changes: []Change{{Field: "title", Before: old.Title}}})
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{caseLive(s.table.Name, p.Tenant, caseID), {Delete: &types.Delete{
		TableName: aws.String(s.table.Name), Key: key(dynamo.CasePK(p.Tenant, caseID), dynamo.TaskSK(old.ID)),
		ConditionExpression:       aws.String("#ver = :prev"),
		ExpressionAttributeNames:  map[string]string{"#ver": dynamo.AttrVer},
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": dynamo.N(old.Version)},
	}}, ev}
	err = s.transact(r.Context(), "delete task", items, func(i int) error {
		if i == 0 {
			return errCaseNotFound
		}
		return httpapi.Stale("task", old.Version+1, old.Version)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
