package cases

import (
	"context"
	"net/http"
	"time"

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

// commitSubItem writes a change of a case's task or time report in one
// transaction: guard (that the case is there, or the change of its time
// total), the write of the item and its event.
func (s *Service) commitSubItem(ctx context.Context, tenant, caseID, noun string, guard, write dynamo.Write, e *Event) error {
	ev, err := eventWrite(tenant, caseID, e)
	if err != nil {
		return err
	}
	return s.table.Commit(ctx, "write "+noun, guard, write, ev)
}

// writeTask stores a task with its event, checking that the case is there.
func (s *Service) writeTask(ctx context.Context, p identity.Principal, caseID string, t *Task, prev int64, e *Event) error {
	it, err := item(dynamo.CasePK(p.Tenant, caseID), dynamo.TaskSK(t.ID), kindTask, "task", t.Version, t)
	if err != nil {
		return err
	}
	return s.commitSubItem(ctx, p.Tenant, caseID, "task", dynamo.Check(caseKey(p.Tenant, caseID), caseLive(), errCaseNotFound), versioned(it, prev, "task"), e)
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
	del := versionedDelete(dynamo.Key(dynamo.CasePK(p.Tenant, caseID), dynamo.TaskSK(old.ID)), old.Version, "task")
	if err := s.commitSubItem(r.Context(), p.Tenant, caseID, "task", dynamo.Check(caseKey(p.Tenant, caseID), caseLive(), errCaseNotFound), del, e); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
