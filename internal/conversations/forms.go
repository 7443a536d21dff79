package conversations

import (
	"context"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// LinkForm saves the contact's answers to the case's form on the page of
// a link (POST /c/{token}/form): every question's answer as the page's
// HTML form sends it (text by key, a checkbox present when checked), and
// a submit, based on the form's version the page showed. Only a form the customer fills, not yet submitted; one more
// of the case's form saves this hour is counted in the save's own
// transaction (formLimit). An expired link answers errLinkExpired.
func (s *Service) LinkForm(ctx context.Context, token string, version int64, text map[string]string, submit bool) (*cases.CaseForm, error) {
	l, err := s.openLink(ctx, token)
	if err != nil {
		return nil, err
	}
	if l.expired {
		return nil, errLinkExpired
	}
	f, err := s.cases.SaveForm(ctx, l.claims.Tenant, l.claims.Case, cases.FormSave{Version: version, Text: text, Submit: &submit,
		Allow: func(c *cases.Case, f *cases.CaseForm) error {
			if !l.current(c) {
				return errLinkInvalid
			}
			return cases.CustomerMaySave(f)
		},
		By: func(c *cases.Case) cases.Answerer {
			return cases.Answerer{Kind: cases.ByCustomer, ID: c.ContactID, Name: c.ContactName()}
		},
		Extra: func(c *cases.Case) []dynamo.Write {
			return []dynamo.Write{formLimit.counted(l.claims.Tenant, c.ID, s.now())}
		}})
	if problem.CodeOf(err) == problem.NotFound {
		return nil, errLinkInvalid // no such case or form, as far as the page knows
	}
	return f, err
}
