package recurring

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

func validID(id string) bool { return identity.ValidID(id) }

// The outcomes of a run.
const (
	Created = "created"
	Skipped = "skipped"
	Failed  = "failed"
)

// Run is what became of one occurrence of a definition: the case it
// made, or why it made none.
type Run struct {
	ScheduledFor timestamp.Time `json:"scheduledFor"`
	At           timestamp.Time `json:"at"`
	Outcome      string         `json:"outcome"`
	CaseID       string         `json:"caseId,omitempty"`
	CaseNumber   int64          `json:"caseNumber,omitempty"`
	Reason       string         `json:"reason,omitempty"`
	// DefinitionVersion is the version of the definition decided on (0:
	// it was deleted).
	DefinitionVersion int64 `json:"definitionVersion"`
}

// errRunExists is what a failed condition of a run's write means: the
// occurrence was run already (a trigger delivered again).
var errRunExists = errors.New("the occurrence has run already")

// decideAttempts bounds how often an occurrence is decided again after
// the definition changed between its read and the case's commit.
const decideAttempts = 3

// Occur runs the occurrence of the definition due at scheduledFor: its
// case, when the definition still has that occurrence and is active; a
// record of why not, otherwise. The run is written with the condition
// that it is the first of the occurrence (in the case's own transaction
// when there is a case), so a trigger delivered again changes nothing.
// Then the definition's next occurrence is scheduled. It answers the run
// as written (or as found, for a repeat: Outcome ""), and an error only
// when it should be tried again (the store or the scheduler failed).
func (s *Service) Occur(ctx context.Context, tenant, id string, scheduledFor time.Time) (Run, error) {
	scheduledFor = timestamp.New(scheduledFor).Time
	var run Run
	var d *settings.RecurringCase
	var err error
	for range decideAttempts {
		run, d, err = s.decide(ctx, tenant, id, scheduledFor)
		if !errors.Is(err, settings.ErrRecurringChanged) {
			break
		}
	}
	if errors.Is(err, errRunExists) {
		run, err = Run{ScheduledFor: timestamp.New(scheduledFor)}, nil
	}
	if err != nil {
		return run, err
	}
	// The definition as decided on is as it is now (the case's
	// transaction checked its version): the next is scheduled from it.
	return run, s.syncTo(ctx, tenant, id, d)
}

// decide runs the occurrence once, on the definition as read now.
func (s *Service) decide(ctx context.Context, tenant, id string, at time.Time) (Run, *settings.RecurringCase, error) {
	run := Run{ScheduledFor: timestamp.New(at), At: timestamp.New(s.now())}
	d, snap, err := s.definitions.RecurringCase(ctx, tenant, id, true)
	if problem.CodeOf(err) == problem.NotFound {
		run.Outcome, run.Reason = Skipped, "the definition was deleted"
		return run, nil, s.record(ctx, tenant, id, run, nil)
	}
	if err != nil {
		return run, nil, err
	}
	run.DefinitionVersion = d.Version
	if reason := mismatch(d, at); reason != "" {
		run.Outcome, run.Reason = Skipped, reason
		return run, d, s.record(ctx, tenant, id, run, nil)
	}
	c, err := s.createCase(ctx, tenant, d, at, run)
	switch {
	case err == nil:
		run.Outcome, run.CaseID, run.CaseNumber = Created, c.ID, c.Number
		return run, d, nil
	case errors.Is(err, errRunExists), errors.Is(err, settings.ErrRecurringChanged):
		return run, d, err
	case refused(err):
		// The case cannot be made as defined (its customer was deleted, a
		// type asks for a field it lacks ...): recorded, and the admins
		// are told.
		run.Outcome, run.Reason = Failed, reasonOf(err)
		notices, nerr := adminNotices(snap, tenant, d, run)
		if nerr != nil {
			return run, d, nerr
		}
		return run, d, s.record(ctx, tenant, id, run, notices)
	}
	return run, d, err
}

// mismatch says why the occurrence at is none of d's now, or "".
func mismatch(d *settings.RecurringCase, at time.Time) string {
	if !d.Active {
		return "the definition is paused"
	}
	if d.ActiveSince != nil && at.Before(d.ActiveSince.Time) {
		return "the definition was paused then (it was resumed later)"
	}
	sc, err := d.Schedule()
	if err != nil || !sc.Is(at) {
		return "no longer an occurrence of the definition (its timing was edited)"
	}
	return ""
}

// createCase makes the occurrence's case through the cases area (its
// number, SLA, template tasks, lists and mail), with the run and the
// check that the definition is still as read in its transaction.
func (s *Service) createCase(ctx context.Context, tenant string, d *settings.RecurringCase, at time.Time, run Run) (*cases.Case, error) {
	sc, err := d.Schedule()
	if err != nil {
		return nil, problem.Wrap(problem.Internal, err, "")
	}
	c := d.Case
	f := cases.From{
		Source: cases.SourceRecurring, By: "recurring:" + d.ID, RecurringID: d.ID,
		CustomerID: c.CustomerID, ContactID: c.ContactID,
		Case: cases.NewCase{Title: sc.Title(c.Title, at), Description: c.Description, TypeID: c.TypeID, PriorityID: c.PriorityID,
			Assignees: c.Assignees, Fields: c.Fields, LinkedOrderID: c.LinkedOrderID},
		Extra: func(made *cases.Case) ([]dynamo.Write, error) {
			r := run
			r.Outcome, r.CaseID, r.CaseNumber = Created, made.ID, made.Number
			w, err := runWrite(tenant, d.ID, r)
			if err != nil {
				return nil, err
			}
			return []dynamo.Write{w, settings.RecurringCheck(tenant, d)}, nil
		},
	}
	return s.cases.CreateFrom(ctx, tenant, f)
}

// refused reports whether err says the case cannot be made as defined
// (invalid data, a reference gone), as opposed to a failure worth a retry.
func refused(err error) bool {
	switch problem.CodeOf(err) {
	case problem.Invalid, problem.Conflict, problem.NotFound, problem.TooLarge, problem.Unprocessable:
		return true
	}
	return false
}

// reasonOf is what a refusal says, with its field errors.
func reasonOf(err error) string {
	pe, ok := errors.AsType[*problem.Error](err)
	if !ok {
		return err.Error()
	}
	out := pe.Detail
	for _, f := range pe.Fields {
		out += fmt.Sprintf(" %s: %s.", f.Field, f.Message)
	}
	if len(out) > maxReason {
		out = out[:maxReason]
	}
	return out
}

const maxReason = 500

// maxAdminNotices bounds the admins told of one failed run.
const maxAdminNotices = 20

// adminNotices are the in-app notifications of the tenant's admins that
// the occurrence of d made no case, and why.
func adminNotices(snap *settings.Snapshot, tenant string, d *settings.RecurringCase, run Run) ([]dynamo.Write, error) {
	var out []dynamo.Write
	n := 0
	for _, u := range snap.Users {
		if n == maxAdminNotices || !isAdmin(u) {
			continue
		}
		n++
		ws, err := notifications.Write(tenant, u.ID, &notifications.Notification{
			ID: notifications.NewID(run.At.Time, dynamo.NewID(run.At.Time)), At: run.At, Type: "recurring-failed",
			By: "recurring:" + d.ID, RecurringID: d.ID, CaseTitle: d.Name, Excerpt: excerpt(run.Reason)})
		if err != nil {
			return nil, err
		}
		out = append(out, ws...)
	}
	return out, nil
}

func isAdmin(u *settings.User) bool {
	for _, r := range u.Roles {
		if r == string(identity.Admin) {
			return true
		}
	}
	return false
}

// excerpt is the start of a reason, as a notification holds it.
func excerpt(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:200])
	}
	return s
}
