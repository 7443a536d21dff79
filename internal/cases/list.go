package cases

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Page sizes of case lists.
const (
	defaultLimit = 25
	maxLimit     = 100
)

// filters maps each list filter (a query parameter) to the list it reads.
var filters = map[string]string{
	"status": "status=", "category": "category=", "assignee": "user=", "group": "group=",
	"customer": "customer=", "type": "type=", "priority": "priority=",
}

// categories are the status categories a list can be filtered by.
var categories = []string{settings.CategoryNew, settings.CategoryOpen, settings.CategoryWaiting, settings.CategoryClosed}

// listQuery is a parsed GET /v1/cases.
type listQuery struct {
	view    string
	sort    string
	overdue bool
	limit   int32
	cursor  string
}

// parseList reads the query: at most one filter (each list is its own
// partition, so that a page costs what it shows), a sort, a page.
func parseList(q url.Values) (listQuery, error) {
	lq := listQuery{view: "all", sort: "newest", limit: defaultLimit, cursor: q.Get("cursor")}
	var errs problem.Fields
	chosen := ""
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if len(q[name]) > 1 {
			errs.Add(name, "is given more than once")
			continue
		}
		switch name {
		case "sort", "limit", "cursor", "overdue":
		default:
			prefix, ok := filters[name]
			if !ok {
				errs.Add(name, "is not a filter of cases; they are status, category, assignee, group, customer, type, priority and overdue")
				continue
			}
			if chosen != "" {
				errs.Add(name, "only one filter at a time (%s is already given)", chosen)
				continue
			}
			chosen = name
			v := q.Get(name)
			switch {
			case name == "category" && !slices.Contains(categories, v):
				errs.Add(name, "must be one of %s", strings.Join(categories, ", "))
			case !validID(v):
				errs.Add(name, "is not a valid ID")
			}
			lq.view = prefix + v
		}
	}
	if v := q.Get("overdue"); v != "" {
		switch {
		case v != "true" && v != "false":
			errs.Add("overdue", "must be true or false")
		case v == "true" && chosen != "":
			errs.Add("overdue", "cannot be combined with %s", chosen)
		case v == "true":
			lq.overdue, lq.view, lq.sort = true, "active", "urgent"
		}
	}
	if v := q.Get("sort"); v != "" {
		switch v {
		case "newest", "updated", "urgent":
			if lq.overdue && v != "urgent" {
				errs.Add("sort", "overdue cases are listed most urgent first")
			}
			lq.sort = v
		default:
			errs.Add("sort", "must be newest, updated or urgent")
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			errs.Add("limit", "must be a number from 1 to %d", maxLimit)
		}
		lq.limit = int32(n)
	}
	return lq, errs.Err()
}

// List answers one page of a list of cases: one Query of the list's
// partition, reading only the entries it answers.
func (s *Service) List(ctx context.Context, tenant string, q url.Values) (*httpapi.List[*Case], error) {
	lq, err := parseList(q)
	if err != nil {
		return nil, err
	}
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return nil, err
	}
	pk := dynamo.CaseViewPK(tenant, lq.view)
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table.Name),
		Limit:                     aws.Int32(lq.limit),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk)},
	}
	keyNames := []string{dynamo.AttrPK, dynamo.AttrSK}
	rules := within{dynamo.AttrSK: func(v string) bool { return strings.Contains(v, "#") }}
	switch lq.sort {
	case "newest":
		in.KeyConditionExpression = aws.String("PK = :pk")
		in.ScanIndexForward = aws.Bool(false)
	case "updated":
		in.IndexName = aws.String(dynamo.IndexGSI1)
		in.KeyConditionExpression = aws.String("GSI1PK = :pk")
		in.ScanIndexForward = aws.Bool(false)
		keyNames = append(keyNames, dynamo.AttrGSI1PK, dynamo.AttrGSI1SK)
	case "urgent":
		in.IndexName = aws.String(dynamo.IndexGSI2)
		in.KeyConditionExpression = aws.String("GSI2PK = :pk")
		in.ScanIndexForward = aws.Bool(true)
		keyNames = append(keyNames, dynamo.AttrGSI2PK, dynamo.AttrGSI2SK)
		if lq.overdue {
			now := keyTime(s.now())
			in.KeyConditionExpression = aws.String("GSI2PK = :pk AND GSI2SK < :now")
			in.ExpressionAttributeValues[":now"] = dynamo.S(now)
			rules[dynamo.AttrGSI2SK] = func(v string) bool { return v < now }
		}
	}
	if lq.cursor != "" {
		if in.ExclusiveStartKey, err = decodeCursor(lq.cursor, pk, keyNames, rules); err != nil {
			return nil, err
		}
	}
	out, err := s.table.Client.Query(ctx, in)
	if err != nil {
		return nil, dynamo.Unavailable("list cases", err)
	}
	page := &httpapi.List[*Case]{Items: make([]*Case, 0, len(out.Items))}
	for _, it := range out.Items {
		var c Case
		if err := dynamo.DecodeData(it, &c); err != nil {
			return nil, problem.Wrap(problem.Internal, err, "")
		}
		s.decorate(snap, &c)
		page.Items = append(page.Items, &c)
	}
	if page.Next, err = encodeCursor(out.LastEvaluatedKey); err != nil {
		return nil, err
	}
	return page, nil
}
