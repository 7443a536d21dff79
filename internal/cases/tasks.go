package cases

import (
	"context"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// taskInput is what a client sets on a task.
type taskInput struct {
	Title      string          `json:"title"`
	AssigneeID string          `json:"assigneeId,omitempty"`
	Due        *timestamp.Time `json:"due,omitempty"`
	Done       bool            `json:"done"`
}

var taskReadOnly = []string{"id", "createdAt", "updatedAt", "doneAt"}

var errTaskNotFound = problem.New(problem.NotFound, "The case has no such task.")

func checkTask(snap *settings.Snapshot, t *taskInput) error {
	var errs problem.Fields
	errs.Text("title", t.Title, 1, maxTaskTitle)
	if t.AssigneeID != "" {
		if _, ok := snap.Users[t.AssigneeID]; !ok {
			errs.Add("assigneeId", "no user has the ID %q", t.AssigneeID)
		}
	}
	if t.Due != nil {
		t.Due = timestamp.Ptr(t.Due.Time)
	}
	return errs.Err()
}

// findSub finds the task or time report with the ID among a case's.
func findSub[T interface{ subID() string }](items []T, id string, notFound error) (T, error) {
	for _, v := range items {
		if v.subID() == id {
			return v, nil
		}
	}
	var none T
	return none, notFound
}

// Tasks answers all of a case's tasks: one Query of its partition.
func (s *Service) Tasks(ctx context.Context, tenant, caseID string) ([]*Task, error) {
	pt, err := s.readPartition(ctx, tenant, caseID)
	if err != nil {
		return nil, err
	}
	return pt.tasks, nil
}

// Task answers one task of a case.
func (s *Service) Task(ctx context.Context, tenant, caseID, taskID string) (*Task, error) {
	_, t, err := s.findTask(ctx, tenant, caseID, taskID)
	return t, err
}

// findTask reads a case's partition and finds one of its tasks.
func (s *Service) findTask(ctx context.Context, tenant, caseID, taskID string) (*partition, *Task, error) {
	pt, err := s.readPartition(ctx, tenant, caseID)
	if err != nil {
		return nil, nil, err
	}
	t, err := findSub(pt.tasks, taskID, errTaskNotFound)
	return pt, t, err
}

// CreateTask adds a task to a case, with its event and the case's
// activity: one transaction, after one read of the case (its lists, which
// the activity moves).
func (s *Service) CreateTask(ctx context.Context, p identity.Principal, caseID string, in taskInput) (*Task, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	if err := checkTask(snap, &in); err != nil {
		return nil, err
	}
	c, err := s.getCase(ctx, p.Tenant, caseID)
	if err != nil {
		return nil, err
	}
	now := s.stamp()
	t := &Task{ID: dynamo.NewID(now.Time), Version: 1, CreatedAt: now, UpdatedAt: now, Title: in.Title, AssigneeID: in.AssigneeID, Due: in.Due, Done: in.Done}
	if t.Done {
		t.DoneAt = &now
	}
	e := &Event{ID: dynamo.NewID(now.Time), At: now, By: reporter(snap, p), Type: "task-created", Subject: t.ID, Changes: []Change{{Field: "title", After: t.Title}}}
	if err := s.storeTask(ctx, p.Tenant, c, t, 0, e); err != nil {
		return nil, err
	}
	return t, nil
}

// UpdateTask changes a task with a merge patch, based on the version the
// client read.
func (s *Service) UpdateTask(ctx context.Context, p identity.Principal, caseID, taskID string, version int64, patch Patch) (*Task, error) {
	pt, old, err := s.findTask(ctx, p.Tenant, caseID, taskID)
	if err != nil {
		return nil, err
	}
	if err := httpapi.CheckVersion("task", old, version, patch.Echoed); err != nil {
		return nil, err
	}
	var in taskInput
	if err := httpapi.MergePatch(taskInput{Title: old.Title, AssigneeID: old.AssigneeID, Due: old.Due, Done: old.Done}, patch.Merge, &in); err != nil {
		return nil, err
	}
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	if err := checkTask(snap, &in); err != nil {
		return nil, err
	}
	t, e := taskChange(old, in, reporter(snap, p), s.stamp())
	if err := s.storeTask(ctx, p.Tenant, pt.c, t, old.Version, e); err != nil {
		return nil, err
	}
	return t, nil
}

// taskChange is a task after a change to in by by at now, and its event.
func taskChange(old *Task, in taskInput, by string, now timestamp.Time) (*Task, *Event) {
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
	return &t, &Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: "task-updated", Subject: t.ID, Changes: changes}
}

// DeleteTask removes a task of a case, at the version the client read.
func (s *Service) DeleteTask(ctx context.Context, p identity.Principal, caseID, taskID string, version int64) error {
	pt, old, err := s.findTask(ctx, p.Tenant, caseID, taskID)
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion("task", old, version, nil); err != nil {
		return err
	}
	now := s.stamp()
	e := &Event{ID: dynamo.NewID(now.Time), At: now, By: s.who(ctx, p), Type: "task-deleted", Subject: old.ID,
		Changes: []Change{{Field: "title", Before: old.Title}}}
	return s.removeTask(ctx, p.Tenant, pt.c, old, e)
}
