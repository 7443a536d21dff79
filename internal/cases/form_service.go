package cases

import (
	"context"
	"errors"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// errNoForm answers a case without a form, and to a customer a form that
// staff fill: as if there were none.
var errNoForm = problem.New(problem.NotFound, "The case has no form.")

// CaseForm reads a case and its form with one BatchGetItem: NotFound when
// there is no such case, or when it has no form.
func (s *Service) CaseForm(ctx context.Context, tenant, caseID string) (*Case, *CaseForm, error) {
	c, f, err := s.readCaseForm(ctx, tenant, caseID)
	if err == nil && f == nil {
		err = errNoForm
	}
	if err != nil {
		return nil, nil, err
	}
	return c, f.answered(), nil
}

// CaseAndForm reads a case and, when it has one, its form (nil when not)
// with one BatchGetItem: what the customer's page shows.
func (s *Service) CaseAndForm(ctx context.Context, tenant, caseID string) (*Case, *CaseForm, error) {
	c, f, err := s.readCaseForm(ctx, tenant, caseID)
	if err != nil || f == nil {
		return c, nil, err
	}
	return c, f.answered(), nil
}

// Form answers a case's form as staff see it: one BatchGetItem.
func (s *Service) Form(ctx context.Context, tenant, caseID string) (*CaseForm, error) {
	_, f, err := s.CaseForm(ctx, tenant, caseID)
	return f, err
}

// ForCustomer is f as the case's customer sees it: who answered by name
// only. A form staff fill answers NotFound: customers never see it.
func ForCustomer(f *CaseForm) (*CaseForm, error) {
	if f == nil || f.FilledBy != settings.FilledByCustomer {
		return nil, errNoForm
	}
	return f.forCustomer(), nil
}

// CustomerMaySave refuses a customer's save of form f: one staff fill
// (NotFound, as if there were none) or one already submitted (409).
func CustomerMaySave(f *CaseForm) error {
	if _, err := ForCustomer(f); err != nil {
		return err
	}
	if f.Submitted {
		return problem.New(problem.Conflict, "The form %q is submitted and can no longer be changed; write to us if something should change.", f.Name)
	}
	return nil
}

// FormSave is a save of a case's form.
type FormSave struct {
	// Version is the form's version the save is based on
	// (httpapi.AnyVersion: whatever it is).
	Version int64
	// Answers are the answers to save, as JSON values by question key
	// (null clears one); questions not named keep theirs.
	Answers map[string]any
	// Text, instead, are the answers of an HTML form that shows every
	// question (the customer's page): texts by key, a checkbox present
	// when checked.
	Text map[string]string
	// Submit submits the form (true), reopens it (false) or leaves it
	// (nil).
	Submit *bool
	// By is who saves, given the case (a customer's name is the case's).
	By func(c *Case) Answerer
	// Allow refuses a save the saver may not make of case c's form f (a
	// customer's: another customer's case, a form staff fill, one
	// already submitted).
	Allow func(c *Case, f *CaseForm) error
	// Extra makes writes of the saver's that commit with the save (a rate
	// counter of the customer's page).
	Extra func(c *Case) []dynamo.Write
}

// SaveForm saves answers to a case's form (see FormSave): the form, an
// event (form-saved, form-submitted or form-reopened) and the case's
// activity, in one transaction after one BatchGetItem. A save that
// changes nothing writes nothing. It answers the form as saved.
func (s *Service) SaveForm(ctx context.Context, tenant, caseID string, save FormSave) (*CaseForm, error) {
	for range 3 {
		f, err := s.saveForm(ctx, tenant, caseID, save)
		if !errors.Is(err, errFormChanged) {
			return f, err
		}
		if save.Version != httpapi.AnyVersion {
			_, now, rerr := s.CaseForm(ctx, tenant, caseID)
			if rerr != nil {
				return nil, rerr
			}
			return nil, httpapi.Stale("case's form", now.Version, save.Version)
		}
	}
	return nil, problem.New(problem.Unavailable, "The form is being changed by someone else; try again.")
}

// saveForm is one attempt of SaveForm.
func (s *Service) saveForm(ctx context.Context, tenant, caseID string, save FormSave) (*CaseForm, error) {
	c, old, err := s.CaseForm(ctx, tenant, caseID)
	if err != nil {
		return nil, err
	}
	if save.Allow != nil {
		if err := save.Allow(c, old); err != nil {
			return nil, err
		}
	}
	if err := httpapi.CheckVersion("case's form", old, save.Version, nil); err != nil {
		return nil, err
	}
	answers := save.Answers
	if save.Text != nil {
		answers = textAnswers(old, save.Text)
	}
	now := s.stamp()
	who := save.By(c)
	e, err := editForm(old, answers, save.Submit, who, now, "answers.")
	if err != nil {
		return nil, err
	}
	if !e.changed() {
		return old, nil
	}
	e.f.Version, e.f.UpdatedAt = old.Version+1, now
	put, err := formSave(tenant, e.f, old.Version)
	if err != nil {
		return nil, err
	}
	by := who.ID
	if who.Kind == ByCustomer {
		by = "customer:" + who.ID
	}
	ev, err := eventWrite(tenant, c.ID, &Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: e.event, Subject: old.Name, Changes: e.changes})
	if err != nil {
		return nil, err
	}
	var writes []dynamo.Write
	if save.Extra != nil {
		writes = save.Extra(c)
	}
	writes = append(writes, put, ev)
	if err := s.commitTouching(ctx, "save case form", tenant, c, now.Time, 0, writes...); err != nil {
		return nil, err
	}
	return e.f.answered(), nil
}

// SaveStaffForm is a save of a case's form by a member of staff: any
// answer, a submit, or a reopening of a submitted form (so that the
// customer may change it again).
func (s *Service) SaveStaffForm(ctx context.Context, p identity.Principal, caseID string, version int64, answers map[string]any, submit *bool) (*CaseForm, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	by := Answerer{Kind: ByStaff, ID: reporter(snap, p)}
	if u, ok := snap.Users[by.ID]; ok {
		by.Name = u.Name
	}
	return s.SaveForm(ctx, p.Tenant, caseID, FormSave{Version: version, Answers: answers, Submit: submit,
		By: func(*Case) Answerer { return by }})
}

// notSubmitted answers a close refused because the case's form is not
// submitted: the 409 naming the form and its missing answers (one more
// read, of the form).
func (s *Service) notSubmitted(ctx context.Context, tenant, caseID string) error {
	f, err := s.readForm(ctx, tenant, caseID)
	if err != nil {
		return err
	}
	return notSubmitted(f)
}
