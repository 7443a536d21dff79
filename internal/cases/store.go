package cases

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
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

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{dynamo.AttrPK: dynamo.S(pk), dynamo.AttrSK: dynamo.S(sk)}
}

// item builds a stored item: keys, kind, version and the object's JSON.
func item(pk, sk, kind string, version int64, v any) (map[string]types.AttributeValue, error) {
	data, err := dynamo.Data(v)
	if err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("marshal %s: %w", kind, err), "")
	}
	if n := len(data.(*types.AttributeValueMemberS).Value); n > maxObjectBytes {
		return nil, problem.New(problem.TooLarge, "The %s would take %d bytes; at most %d are allowed.", kind, n, maxObjectBytes)
	}
	it := key(pk, sk)
	it[dynamo.AttrKind] = dynamo.S(kind)
	it[dynamo.AttrVer] = dynamo.N(version)
	it[dynamo.AttrData] = data
	return it, nil
}

// caseItem is the stored case, without what is computed on reading.
func caseItem(tenant string, c *Case) (map[string]types.AttributeValue, error) {
	stored := *c
	stored.SLA, stored.TimeTotalMinutes = nil, 0
	return item(dynamo.CasePK(tenant, c.ID), dynamo.CaseSK, kindCase, c.Version, &stored)
}

// decodeCase reads a stored case; deleted cases do not exist for readers.
func decodeCase(it map[string]types.AttributeValue) (*Case, error) {
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

var errCaseNotFound = problem.New(problem.NotFound, "There is no such case.")

// views names every list the case belongs to.
func views(c *Case) []string {
	v := []string{"all", "status=" + c.StatusID, "category=" + c.StatusCategory, "priority=" + c.PriorityID}
	if c.StatusCategory == settings.CategoryNew || c.StatusCategory == settings.CategoryOpen {
		v = append(v, "active")
	}
	for _, u := range c.Assignees.Users {
		v = append(v, "user="+u)
	}
	for _, g := range c.Assignees.Groups {
		v = append(v, "group="+g)
	}
	if c.CustomerID != "" {
		v = append(v, "customer="+c.CustomerID)
	}
	if c.ContactID != "" {
		v = append(v, "contact="+c.ContactID) // not a filter: it guards the contact's removal
	}
	if c.TypeID != "" {
		v = append(v, "type="+c.TypeID)
	}
	if c.LinkedOrderID != "" {
		v = append(v, "order="+c.LinkedOrderID) // not a filter: it guards the order's delete
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
func viewWrites(table, tenant string, before, after *Case) ([]types.TransactWriteItem, error) {
	var out []types.TransactWriteItem
	var keep []string
	if after != nil {
		keep = views(after)
		// An entry is the case without what is computed on reading: the
		// SLA against the clock, and the time total, which time reports
		// change without rewriting the entries (a copy would go stale).
		entry := *after
		entry.SLA, entry.TimeTotalMinutes = nil, 0
		for _, v := range keep {
			pk := dynamo.CaseViewPK(tenant, v)
			it, err := item(pk, dynamo.CaseViewSK(dynamo.KeyTime(after.CreatedAt), after.ID), kindView, after.Version, &entry)
			if err != nil {
				return nil, err
			}
			it[dynamo.AttrGSI1PK] = dynamo.S(pk)
			it[dynamo.AttrGSI1SK] = dynamo.S(dynamo.KeyTime(after.UpdatedAt) + "#" + after.ID)
			it[dynamo.AttrGSI2PK] = dynamo.S(pk)
			it[dynamo.AttrGSI2SK] = dynamo.S(urgency(after) + "#" + after.ID)
			out = append(out, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(table), Item: it}})
		}
	}
	if before != nil {
		for _, v := range views(before) {
			if !slices.Contains(keep, v) {
				out = append(out, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(table),
					Key: key(dynamo.CaseViewPK(tenant, v), dynamo.CaseViewSK(dynamo.KeyTime(before.CreatedAt), before.ID))}})
			}
		}
	}
	return out, nil
}

// eventWrite is the put of one event in the case's log.
func eventWrite(table, tenant, caseID string, e *Event) (types.TransactWriteItem, error) {
	it, err := item(dynamo.CasePK(tenant, caseID), dynamo.EventSK(dynamo.KeyTime(e.At), e.ID), kindEvent, 1, e)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(table), Item: it,
		ConditionExpression: aws.String("attribute_not_exists(PK)")}}, nil
}

// getCase reads the case item alone: strongly consistent, for a change.
func (s *Service) getCase(ctx context.Context, tenant, id string) (*Case, error) {
	if !validID(id) {
		return nil, errCaseNotFound
	}
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table.Name), Key: key(dynamo.CasePK(tenant, id), dynamo.CaseSK), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, dynamo.Unavailable("get case", err)
	}
	if len(out.Item) == 0 {
		return nil, errCaseNotFound
	}
	return decodeCase(out.Item)
}

// transact runs one transaction, translating its failures: a failed
// condition at a known position becomes that position's error.
func (s *Service) transact(ctx context.Context, op string, items []types.TransactWriteItem, onCondition func(index int) error) error {
	_, err := s.table.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	if failed, ok := dynamo.ConditionFailed(err); ok && onCondition != nil {
		for _, i := range failed {
			if e := onCondition(i); e != nil {
				return e
			}
		}
	}
	return dynamo.Unavailable(op, err)
}
