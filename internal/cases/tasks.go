package cases

import (
	"context"

	"github.com/workcloud/arendehantering/internal/dynamo"
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

// taskKind is how tasks are kept on a case (work.go).
var taskKind = workKind[*Task, taskInput]{
	noun: "task", deleted: "task-deleted", kind: kindTask, sk: dynamo.TaskSK,
	of:       func(pt *partition) []*Task { return pt.tasks },
	notFound: errTaskNotFound,
	named:    func(t *Task) (string, any) { return "title", t.Title },
	minutes:  func(*Task) int64 { return 0 },
	input: func(t *Task) taskInput {
		return taskInput{Title: t.Title, AssigneeID: t.AssigneeID, Due: t.Due, Done: t.Done}
	},
	check:  func(snap *settings.Snapshot, _ *Case, in *taskInput) error { return checkTask(snap, in) },
	change: taskChange,
}

// Tasks answers all of a case's tasks: one Query of its partition.
func (s *Service) Tasks(ctx context.Context, tenant, caseID string) ([]*Task, error) {
	return taskKind.all(ctx, s, tenant, caseID)
}

// Task answers one task of a case.
func (s *Service) Task(ctx context.Context, tenant, caseID, taskID string) (*Task, error) {
	_, t, err := taskKind.find(ctx, s, tenant, caseID, taskID)
	return t, err
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
	e := taskKind.createEvent(t, "task-created", reporter(snap, p), now)
	if err := taskKind.store(ctx, s, p.Tenant, c, t, 0, 0, e); err != nil {
		return nil, err
	}
	return t, nil
}

// UpdateTask changes a task with a merge patch, based on the version the
// client read.
func (s *Service) UpdateTask(ctx context.Context, p identity.Principal, caseID, taskID string, version int64, patch Patch) (*Task, error) {
	return taskKind.patch(ctx, s, p, caseID, taskID, version, patch)
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
	return taskKind.delete(ctx, s, p, caseID, taskID, version)
}
