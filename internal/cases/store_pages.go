package cases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// The reads of cases: a case's detail partition, a page of a case list,
// a page of a case's log (events, comments).

// partition is a case's detail items: the case, its tasks, its time reports.
type partition struct {
	c       *Case
	tasks   []*Task
	reports []*TimeReport
}

// readPartition reads a case's detail items with one Query (strongly
// consistent, so a change can be based on it).
func (s *Service) readPartition(ctx context.Context, tenant, id string) (*partition, error) {
	if !validID(id) {
		return nil, errCaseNotFound
	}
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table.Name),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :a)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S(dynamo.CasePK(tenant, id)), ":a": dynamo.S(dynamo.CaseDetailSK)},
		ConsistentRead: aws.Bool(true),
	}
	pt := &partition{tasks: []*Task{}, reports: []*TimeReport{}}
	for {
		out, err := s.table.Client.Query(ctx, in)
		if err != nil {
			return nil, dynamo.Unavailable("query case", err)
		}
		for _, it := range out.Items {
			if err := pt.add(it); err != nil {
				return nil, err
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if pt.c == nil {
		return nil, errCaseNotFound
	}
	return pt, nil
}

// add decodes one item of the partition into pt.
func (pt *partition) add(it dynamo.Item) (err error) {
	switch dynamo.KindOf(it) {
	case kindCase:
		pt.c, err = decodeCase(it)
		return err
	case kindTask:
		var t Task
		err = dynamo.DecodeData(it, &t)
		pt.tasks = append(pt.tasks, &t)
	case kindTime:
		var tr TimeReport
		err = dynamo.DecodeData(it, &tr)
		pt.reports = append(pt.reports, &tr)
	}
	if err != nil {
		return problem.Wrap(problem.Internal, err, "")
	}
	return nil
}

// listPageQuery is the Query of one page of a case list: the list's
// partition, on the table or the index of the sort, and what a cursor of
// it may hold.
func listPageQuery(tenant string, lq listQuery, now time.Time) dynamo.PageQuery {
	pk := dynamo.CaseViewPK(tenant, string(lq.list))
	in := &dynamodb.QueryInput{
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk)},
	}
	keyNames := []string{dynamo.AttrPK, dynamo.AttrSK}
	switch lq.sort {
	case sortUpdated:
		in.IndexName = aws.String(dynamo.IndexGSI1)
		in.KeyConditionExpression = aws.String("GSI1PK = :pk")
		in.ScanIndexForward = aws.Bool(false)
		keyNames = append(keyNames, dynamo.AttrGSI1PK, dynamo.AttrGSI1SK)
	case sortUrgent:
		in.IndexName = aws.String(dynamo.IndexGSI2)
		in.KeyConditionExpression = aws.String("GSI2PK = :pk")
		in.ScanIndexForward = aws.Bool(true)
		keyNames = append(keyNames, dynamo.AttrGSI2PK, dynamo.AttrGSI2SK)
	default:
		in.KeyConditionExpression = aws.String("PK = :pk")
		in.ScanIndexForward = aws.Bool(false)
	}
	// A cursor must be a position in this list's partition, with the sort
	// keys its query can reach (DynamoDB refuses a start key outside them).
	valid := func(k map[string]string) bool {
		for _, n := range keyNames {
			if (n == dynamo.AttrPK || n == dynamo.AttrGSI1PK || n == dynamo.AttrGSI2PK) && k[n] != pk {
				return false
			}
		}
		return strings.Contains(k[dynamo.AttrSK], "#")
	}
	if lq.overdue { // sorted by urgency: due before now
		due := dynamo.KeyTime(now)
		in.KeyConditionExpression = aws.String("GSI2PK = :pk AND GSI2SK < :now")
		in.ExpressionAttributeValues[":now"] = dynamo.S(due)
		inList := valid
		valid = func(k map[string]string) bool { return inList(k) && k[dynamo.AttrGSI2SK] < due }
	}
	q := dynamo.PageQuery{Input: in, Limit: lq.limit, Cursor: lq.cursor, KeyNames: keyNames, Valid: valid, Tag: lq.tag}
	if !lq.exact {
		q.Keep, q.Evaluate = func(it dynamo.Item) bool {
			c, err := decodeEntry(it)
			return err == nil && lq.holds(c, now)
		}, maxEvaluated
	}
	return q
}

// listPage reads one page of a case list: one Query of the list's
// partition, reading only the entries it answers (and one more, to know
// whether a next page exists) when the list alone answers the filters,
// else at most maxEvaluated entries, of which it answers those that hold.
func (s *Service) listPage(ctx context.Context, tenant string, lq listQuery) ([]*Case, string, error) {
	items, next, err := s.table.Page(ctx, "list cases", listPageQuery(tenant, lq, s.now()))
	if err != nil {
		return nil, "", err
	}
	out := make([]*Case, 0, len(items))
	for _, it := range items {
		c, err := decodeEntry(it)
		if err != nil {
			return nil, "", err
		}
		out = append(out, c)
	}
	return out, next, nil
}

// decodeEntry reads the case a list entry holds, with its activity.
func decodeEntry(it dynamo.Item) (*Case, error) {
	var c Case
	if err := dynamo.DecodeData(it, &c); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode list entry: %w", err), "")
	}
	readActivity(it, &c)
	return &c, nil
}

// logPage reads one page of a case's items whose sort keys start with
// prefix (its event log, its comments), oldest first: one strongly
// consistent Query, so the page shows the change just made.
func logPage[T any](ctx context.Context, s *Service, tenant, caseID, prefix string, limit int, cursor string) (httpapi.List[*T], error) {
	var page httpapi.List[*T]
	pk := dynamo.CasePK(tenant, caseID)
	in := &dynamodb.QueryInput{
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S(pk), ":prefix": dynamo.S(prefix)},
		ConsistentRead: aws.Bool(true),
	}
	items, next, err := s.table.Page(ctx, "list "+prefix, dynamo.PageQuery{Input: in, Limit: limit, Cursor: cursor,
		KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
		Valid: func(k map[string]string) bool {
			return k[dynamo.AttrPK] == pk && strings.HasPrefix(k[dynamo.AttrSK], prefix)
		}})
	if err != nil {
		return page, err
	}
	page.Items, page.Next = make([]*T, 0, len(items)), next
	for _, it := range items {
		v := new(T)
		if err := dynamo.DecodeData(it, v); err != nil {
			return page, problem.Wrap(problem.Internal, err, "")
		}
		page.Items = append(page.Items, v)
	}
	return page, nil
}
