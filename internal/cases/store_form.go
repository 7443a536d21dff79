package cases

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// The storage of a case's form: one item in the case's partition
// (dynamo.CaseFormSK) holding the form as answered (CaseForm's JSON, at
// most maxFormBytes), its own version, and, while it is submitted, a
// native submittedAt that a close's transaction checks. The case item
// carries the GSI3 keys of dynamo.FormUsePK, marked open while the case
// is open (see formIndex).

const (
	kindCaseForm    = "CASEFORM"
	attrSubmittedAt = "submittedAt"
	// maxFormBytes bounds a case's form item: the questions copied from
	// a template (at most 32 KiB, the bound of a setting) and the answers.
	maxFormBytes = 160 << 10
)

// errFormChanged: the form is not at the version a save is based on.
var errFormChanged = errors.New("the case's form changed since it was read")

// formKey is the key of case caseID's form item.
func formKey(tenant, caseID string) dynamo.Item {
	return dynamo.Key(dynamo.CasePK(tenant, caseID), dynamo.CaseFormSK)
}

// formItem is form f as stored: without what is computed when answering.
func formItem(tenant string, f *CaseForm) (dynamo.Item, error) {
	stored := *f
	stored.Missing = nil
	it, err := dynamo.NewItem(dynamo.CasePK(tenant, f.CaseID), dynamo.CaseFormSK, kindCaseForm, f.Version, &stored, maxFormBytes, "case's form")
	if err != nil {
		return nil, err
	}
	if f.Submitted && f.SubmittedAt != nil {
		it[attrSubmittedAt] = dynamo.S(dynamo.KeyTime(f.SubmittedAt.Time))
	}
	return it, nil
}

// formCreate is the put of a new case's form, in the create's transaction.
func formCreate(tenant string, f *CaseForm) (dynamo.Write, error) {
	it, err := formItem(tenant, f)
	if err != nil {
		return dynamo.Write{}, err
	}
	return dynamo.Put(it, dynamo.NotExists(), errIDTaken), nil
}

// formSave is the put of form f, a save of the version prev.
func formSave(tenant string, f *CaseForm, prev int64) (dynamo.Write, error) {
	it, err := formItem(tenant, f)
	if err != nil {
		return dynamo.Write{}, err
	}
	return dynamo.Put(it, dynamo.VersionIs(prev), errFormChanged), nil
}

// formSubmitted is the check, in a close's transaction, that the case's
// form is submitted.
func formSubmitted(tenant, caseID string) dynamo.Write {
	return dynamo.Check(formKey(tenant, caseID), dynamo.Cond{Expr: "attribute_exists(#sub)",
		Names: map[string]string{"#sub": attrSubmittedAt}}, errFormNotSubmitted)
}

// formIndex is the GSI3 key of the item of a case with a form: in its
// form's partition, marked open (dynamo.FormOpenSK) while the case is
// neither closed nor deleted, what keeps the form from deletion
// (caselist.OpenWithForm), and marked done otherwise. (A mark rather than
// no key: the embedded server the tests run on ignores REMOVE, and the
// index must behave the same there as in AWS.)
func formIndex(tenant string, c *Case) (pk, sk string) {
	open := !c.gone && c.StatusCategory != settings.CategoryClosed
	return dynamo.FormUsePK(tenant, c.Form.FormID), dynamo.FormUseSK(open, c.ID)
}

// decodeForm reads a stored form.
func decodeForm(it dynamo.Item) (*CaseForm, error) {
	var f CaseForm
	if err := dynamo.DecodeData(it, &f); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode case form: %w", err), "")
	}
	if f.Answers == nil {
		f.Answers = map[string]Answer{}
	}
	return &f, nil
}

// readCaseForm reads a case and its form with one strongly consistent
// BatchGetItem: NotFound when the case is not there (or deleted), the
// form nil when it has none.
func (s *Service) readCaseForm(ctx context.Context, tenant, caseID string) (*Case, *CaseForm, error) {
	if !validID(caseID) {
		return nil, nil, errCaseNotFound
	}
	ck, fk := caseKey(tenant, caseID), formKey(tenant, caseID)
	found, err := s.table.GetManyConsistent(ctx, "get case form", []dynamo.Item{ck, fk})
	if err != nil {
		return nil, nil, err
	}
	it, ok := found[dynamo.KeyOf(ck)]
	if !ok {
		return nil, nil, errCaseNotFound
	}
	c, err := decodeCase(it)
	if err != nil {
		return nil, nil, err
	}
	fi, ok := found[dynamo.KeyOf(fk)]
	if !ok {
		return c, nil, nil
	}
	f, err := decodeForm(fi)
	return c, f, err
}

// readForm reads a case's form alone (one GetItem): what a refused close
// names.
func (s *Service) readForm(ctx context.Context, tenant, caseID string) (*CaseForm, error) {
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table.Name), Key: formKey(tenant, caseID), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, dynamo.Unavailable("get case form", err)
	}
	if len(out.Item) == 0 {
		return nil, errNoForm
	}
	return decodeForm(out.Item)
}
