package portal

import (
	"context"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// A case's form in the portal: only one the customer fills (a form staff
// fill answers 404, as if the case had none), of a case of the login's
// customer, and only until it is submitted. Who answered is shown by name.

// Form answers the form of one of the login's customer's cases: one
// BatchGetItem.
func (s *Service) Form(ctx context.Context, p identity.Principal, caseID string) (*cases.CaseForm, error) {
	if _, err := s.open(ctx, p.Tenant); err != nil {
		return nil, err
	}
	c, f, err := s.cases.CaseForm(ctx, p.Tenant, caseID)
	if err != nil {
		return nil, notFound(err)
	}
	if c.CustomerID == "" || c.CustomerID != p.Customer {
		return nil, errNoCase
	}
	return cases.ForCustomer(f)
}

// SaveForm saves the login's answers to the form of one of its
// customer's cases (see cases.SaveForm): a form the customer fills, not
// yet submitted.
func (s *Service) SaveForm(ctx context.Context, p identity.Principal, caseID string, version int64, answers map[string]any, submit *bool) (*cases.CaseForm, error) {
	if _, err := s.open(ctx, p.Tenant); err != nil {
		return nil, err
	}
	f, err := s.cases.SaveForm(ctx, p.Tenant, caseID, cases.FormSave{Version: version, Answers: answers, Submit: submit,
		Allow: func(c *cases.Case, f *cases.CaseForm) error {
			if c.CustomerID == "" || c.CustomerID != p.Customer {
				return errNoCase
			}
			return cases.CustomerMaySave(f)
		},
		By: func(c *cases.Case) cases.Answerer {
			return cases.Answerer{Kind: cases.ByCustomer, ID: p.User, Name: c.CustomerName()}
		}})
	if err != nil {
		return nil, notFound(err)
	}
	return cases.ForCustomer(f)
}

// notFound is err, with any not-found the same as the case's: nothing of
// whether the case exists or has a form shows.
func notFound(err error) error {
	if problem.CodeOf(err) == problem.NotFound {
		return errNoCase
	}
	return err
}
