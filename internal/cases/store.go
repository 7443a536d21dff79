package cases

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Item kinds of the cases area.
const (
	kindCase  = "CASE"
	kindView  = "CASEVIEW"
	kindTask  = "TASK"
	kindTime  = "TIMEREPORT"
	kindEvent = "EVENT"
)

// Native attributes beside the JSON data: what conditions and in-place
// updates need.
const (
	attrDeletedAt = "deletedAt"
	attrTimeTotal = "timeTotal"
	attrCounter   = "n"
)

// What a failed condition of a cases write means. Each write carries its
// meaning (dynamo.Write), so no caller works it out from a position.
var (
	// errCaseChanged: the case is not at the version the change is based
	// on (or was deleted meanwhile); see changedOrGone.
	errCaseChanged = errors.New("the case changed since it was read")
	// errOrderNotOpen: the linked order to complete is not open (any more).
	errOrderNotOpen = errors.New("the linked order is not open")
	// errIDTaken: a new item's fresh ID is taken, which does not happen.
	errIDTaken = problem.Wrap(problem.Internal, errors.New("a new item's ID is taken"), "")
)

var errCaseNotFound = problem.New(problem.NotFound, "There is no such case.")

// item builds a stored item of the cases area: keys, kind, version and the
// object's JSON, refused (413) when larger than a case may be.
func item(pk, sk, kind, noun string, version int64, v any) (dynamo.Item, error) {
	return dynamo.NewItem(pk, sk, kind, version, v, maxObjectBytes, noun)
}

// caseKey is the key of the case item.
func caseKey(tenant, caseID string) dynamo.Item {
	return dynamo.Key(dynamo.CasePK(tenant, caseID), dynamo.CaseSK)
}

// stored is the case as stored: without what is computed on reading (the
// SLA against the clock; the time total, which time reports change
// in place without a new case version).
func stored(c *Case) *Case {
	s := *c
	s.SLA, s.TimeTotalMinutes = nil, 0
	return &s
}

// caseItem is the stored case.
func caseItem(tenant string, c *Case) (dynamo.Item, error) {
	return item(dynamo.CasePK(tenant, c.ID), dynamo.CaseSK, kindCase, "case", c.Version, stored(c))
}

// decodeCase reads a stored case; deleted cases do not exist for readers.
func decodeCase(it dynamo.Item) (*Case, error) {
	if _, deleted := it[attrDeletedAt]; deleted {
		return nil, errCaseNotFound
	}
	var c Case
	if err := dynamo.DecodeData(it, &c); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode case: %w", err), "")
	}
	c.TimeTotalMinutes = dynamo.Int(it, attrTimeTotal)
	return &c, nil
}

// views names every list the case belongs to.
func views(c *Case) []caselist.List {
	v := []caselist.List{caselist.All, caselist.ByStatus(c.StatusID), caselist.ByCategory(c.StatusCategory), caselist.ByPriority(c.PriorityID)}
	if c.StatusCategory == settings.CategoryNew || c.StatusCategory == settings.CategoryOpen {
		v = append(v, caselist.Active)
	}
	for _, u := range c.Assignees.Users {
		v = append(v, caselist.ByUser(u))
	}
	for _, g := range c.Assignees.Groups {
		v = append(v, caselist.ByGroup(g))
	}
	if c.CustomerID != "" {
		v = append(v, caselist.ByCustomer(c.CustomerID))
	}
	if c.ContactID != "" {
		v = append(v, caselist.ByContact(c.ContactID))
	}
	if c.TypeID != "" {
		v = append(v, caselist.ByType(c.TypeID))
	}
	if c.LinkedOrderID != "" {
		v = append(v, caselist.ByOrder(c.LinkedOrderID))
	}
	return v
}

// urgency orders a list by the resolve target: active cases by due time,
// then waiting ones, then closed ones.
func urgency(c *Case) string {
	switch c.StatusCategory {
	case settings.CategoryWaiting:
		return "W" + dynamo.KeyTime(c.ResolveBy)
	case settings.CategoryClosed:
		return "Z" + dynamo.KeyTime(c.ResolveBy)
	default:
		return dynamo.KeyTime(c.ResolveBy)
	}
}

// viewWrites are the writes that make the case's list entries right after
// a change from before (nil for a new case) to after (nil for a deleted
// one): a put of every entry it has now, a delete of every one it lost.
// They have no conditions: the case's own write guards the change.
func viewWrites(tenant string, before, after *Case) ([]dynamo.Write, error) {
	var out []dynamo.Write
	var keep []caselist.List
	if after != nil {
		keep = views(after)
		// An entry is the case as stored: a copy of the time total or the
		// SLA would go stale.
		entry := stored(after)
		for _, v := range keep {
			pk := dynamo.CaseViewPK(tenant, string(v))
			it, err := item(pk, dynamo.CaseViewSK(dynamo.KeyTime(after.CreatedAt), after.ID), kindView, "case", after.Version, entry)
			if err != nil {
				return nil, err
			}
			it[dynamo.AttrGSI1PK] = dynamo.S(pk)
			it[dynamo.AttrGSI1SK] = dynamo.S(dynamo.KeyTime(after.UpdatedAt) + "#" + after.ID)
			it[dynamo.AttrGSI2PK] = dynamo.S(pk)
			it[dynamo.AttrGSI2SK] = dynamo.S(urgency(after) + "#" + after.ID)
			out = append(out, dynamo.Put(it, dynamo.Cond{}, nil))
		}
	}
	if before != nil {
		for _, v := range views(before) {
			if !slices.Contains(keep, v) {
				out = append(out, dynamo.Delete(dynamo.Key(dynamo.CaseViewPK(tenant, string(v)), dynamo.CaseViewSK(dynamo.KeyTime(before.CreatedAt), before.ID)), dynamo.Cond{}, nil))
			}
		}
	}
	return out, nil
}

// eventWrite is the put of one event in the case's log.
func eventWrite(tenant, caseID string, e *Event) (dynamo.Write, error) {
	it, err := item(dynamo.CasePK(tenant, caseID), dynamo.EventSK(dynamo.KeyTime(e.At), e.ID), kindEvent, "event", 1, e)
	if err != nil {
		return dynamo.Write{}, err
	}
	return dynamo.Put(it, dynamo.NotExists(), errIDTaken), nil
}

// getCase reads the case item alone: strongly consistent, for a change.
func (s *Service) getCase(ctx context.Context, tenant, id string) (*Case, error) {
	if !validID(id) {
		return nil, errCaseNotFound
	}
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table.Name), Key: caseKey(tenant, id), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, dynamo.Unavailable("get case", err)
	}
	if len(out.Item) == 0 {
		return nil, errCaseNotFound
	}
	return decodeCase(out.Item)
}

// counterKey is the key of the tenant's case-number counter.
func counterKey(tenant string) dynamo.Item {
	return dynamo.Key(dynamo.CaseCounterPK(tenant), dynamo.CaseCounterSK)
}

// takeNumber takes the tenant's next case number: one atomic UpdateItem,
// so that concurrent creates never take the same one nor wait for each
// other.
func (s *Service) takeNumber(ctx context.Context, tenant string) (int64, error) {
	out, err := s.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table.Name),
		Key:                       counterKey(tenant),
		UpdateExpression:          aws.String("SET #kind = :kind ADD #n :one"),
		ExpressionAttributeNames:  map[string]string{"#kind": dynamo.AttrKind, "#n": attrCounter},
		ExpressionAttributeValues: map[string]types.AttributeValue{":kind": dynamo.S("COUNTER"), ":one": dynamo.N(1)},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, dynamo.Unavailable("take case number", err)
	}
	n := dynamo.Int(out.Attributes, attrCounter)
	if n < 1 {
		return 0, problem.Wrap(problem.Internal, fmt.Errorf("case counter of %s answered %d", tenant, n), "")
	}
	return n, nil
}

// giveBackNumber returns number n to the counter if it is still the last
// one taken, after a create that certainly wrote nothing. If another
// create took a number meanwhile, or the store fails, n stays a gap.
func (s *Service) giveBackNumber(ctx context.Context, tenant string, n int64) {
	_, err := s.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table.Name),
		Key:                       counterKey(tenant),
		UpdateExpression:          aws.String("SET #n = :prev"),
		ConditionExpression:       aws.String("#n = :n"),
		ExpressionAttributeNames:  map[string]string{"#n": attrCounter},
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": dynamo.N(n - 1), ":n": dynamo.N(n)},
	})
	if err != nil {
		httpapi.Log(ctx).InfoContext(ctx, "case number not given back: it stays a gap", "number", n, "err", err.Error())
	}
}

// refused reports whether err is what a failed condition of one of writes
// means: the transaction was cancelled, so nothing of it was written.
func refused(err error, writes []dynamo.Write) bool {
	for _, w := range writes {
		if w.Fails() != nil && err == w.Fails() {
			return true
		}
	}
	return false
}

// commitRetrying commits writes, retrying a few times when the
// transaction lost a race with another one on the same items.
func (s *Service) commitRetrying(ctx context.Context, op string, writes []dynamo.Write) error {
	const attempts = 4
	for attempt := 1; ; attempt++ {
		err := s.table.Commit(ctx, op, writes...)
		if err == nil || attempt == attempts || !dynamo.Conflict(err) {
			return err
		}
		if err := dynamo.Pause(ctx, attempt); err != nil {
			return dynamo.Unavailable(op, err)
		}
	}
}
