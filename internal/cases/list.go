package cases

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// defaultLimit is the page size of case lists when none is asked for.
const defaultLimit = 25

// filters maps each list filter (a query parameter) to the list it reads.
var filters = map[string]func(string) caselist.List{
	"status": caselist.ByStatus, "category": caselist.ByCategory, "assignee": caselist.ByUser, "group": caselist.ByGroup,
	"customer": caselist.ByCustomer, "type": caselist.ByType, "priority": caselist.ByPriority,
}

// categories are the status categories a list can be filtered by.
var categories = []string{settings.CategoryNew, settings.CategoryOpen, settings.CategoryWaiting, settings.CategoryClosed}

// listQuery is a parsed GET /v1/cases.
type listQuery struct {
	httpapi.Page
	view    caselist.List
	sort    string
	overdue bool
}

// parseList reads the query: at most one filter (each list is its own
// partition, so that a page costs what it shows), a sort, a page.
func parseList(r *http.Request) (listQuery, error) {
	names := []string{"sort", "overdue"}
	for name := range filters {
		names = append(names, name)
	}
	page, err := httpapi.ReadPage(r, defaultLimit, names...)
	lq := listQuery{Page: page, view: caselist.All, sort: "newest"}
	if err != nil {
		return lq, err
	}
	var errs problem.Fields
	chosen := ""
	for _, name := range slices.Sorted(maps.Keys(page.Filters)) {
		list, ok := filters[name]
		if !ok {
			continue // sort and overdue, below
		}
		if chosen != "" {
			errs.Add(name, "only one filter at a time (%s is already given)", chosen)
			continue
		}
		chosen = name
		v := page.Filters[name]
		switch {
		case name == "category" && !slices.Contains(categories, v):
			errs.Add(name, "must be one of %s", strings.Join(categories, ", "))
		case !validID(v):
			errs.Add(name, "is not a valid ID")
		}
		lq.view = list(v)
	}
	if v := page.Filters["overdue"]; v != "" {
		switch {
		case v != "true" && v != "false":
			errs.Add("overdue", "must be true or false")
		case v == "true" && chosen != "":
			errs.Add("overdue", "cannot be combined with %s", chosen)
		case v == "true":
			lq.overdue, lq.view, lq.sort = true, caselist.Active, "urgent"
		}
	}
	if v := page.Filters["sort"]; v != "" {
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
	return lq, errs.Err()
}

// List answers one page of a list of cases: one Query of the list's
// partition, reading only the entries it answers.
func (s *Service) List(ctx context.Context, tenant string, lq listQuery) (*httpapi.List[*Case], error) {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return nil, err
	}
	pk := dynamo.CaseViewPK(tenant, string(lq.view))
	in := &dynamodb.QueryInput{
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk)},
	}
	// A cursor must be a position in this list's partition, with the sort
	// keys its query can reach (DynamoDB refuses a start key outside them).
	keyNames := []string{dynamo.AttrPK, dynamo.AttrSK}
	valid := func(k map[string]string) bool {
		for _, n := range keyNames {
			if (n == dynamo.AttrPK || n == dynamo.AttrGSI1PK || n == dynamo.AttrGSI2PK) && k[n] != pk {
				return false
			}
		}
		return strings.Contains(k[dynamo.AttrSK], "#")
	}
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
			now := dynamo.KeyTime(s.now())
			in.KeyConditionExpression = aws.String("GSI2PK = :pk AND GSI2SK < :now")
			in.ExpressionAttributeValues[":now"] = dynamo.S(now)
			inList := valid
			valid = func(k map[string]string) bool { return inList(k) && k[dynamo.AttrGSI2SK] < now }
		}
	}
	items, next, err := s.table.Page(ctx, "list cases", dynamo.PageQuery{Input: in, Limit: lq.Limit, Cursor: lq.Cursor, KeyNames: keyNames, Valid: valid})
	if err != nil {
		return nil, err
	}
	page := &httpapi.List[*Case]{Items: make([]*Case, 0, len(items)), Next: next}
	for _, it := range items {
		var c Case
		if err := dynamo.DecodeData(it, &c); err != nil {
			return nil, problem.Wrap(problem.Internal, err, "")
		}
		s.decorate(snap, &c)
		page.Items = append(page.Items, &c)
	}
	return page, nil
}
