package cases

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// defaultLimit is the page size of case lists when none is asked for.
const defaultLimit = 25

// The sorts of a case list.
const (
	sortNewest  = "newest"
	sortUpdated = "updated"
	sortUrgent  = "urgent"
)

// filters maps each list filter (a query parameter) to the list it reads.
var filters = map[string]func(string) caselist.List{
	"status": caselist.ByStatus, "category": caselist.ByCategory, "assignee": caselist.ByUser, "group": caselist.ByGroup,
	"customer": caselist.ByCustomer, "type": caselist.ByType, "priority": caselist.ByPriority,
}

// listParams are the query parameters of GET /v1/cases besides the page.
func listParams() []string {
	return append(slices.Sorted(maps.Keys(filters)), "sort", "overdue")
}

// categories are the status categories a list can be filtered by.
var categories = []string{settings.CategoryNew, settings.CategoryOpen, settings.CategoryWaiting, settings.CategoryClosed}

// listQuery is a parsed GET /v1/cases.
type listQuery struct {
	list    caselist.List
	sort    string
	overdue bool
	limit   int
	cursor  string
}

// parseList reads the query: at most one filter (each list is its own
// partition, so that a page costs what it shows), a sort, a page.
func parseList(page httpapi.Page) (listQuery, error) {
	lq := listQuery{list: caselist.All, sort: sortNewest, limit: page.Limit, cursor: page.Cursor}
	var errs problem.Fields
	chosen := listFilter(page.Filters, &lq, &errs)
	if v := page.Filters["overdue"]; v != "" {
		switch {
		case v != "true" && v != "false":
			errs.Add("overdue", "must be true or false")
		case v == "true" && chosen != "":
			errs.Add("overdue", "cannot be combined with %s", chosen)
		case v == "true":
			lq.overdue, lq.list, lq.sort = true, caselist.Active, sortUrgent
		}
	}
	if v := page.Filters["sort"]; v != "" {
		switch v {
		case sortNewest, sortUpdated, sortUrgent:
			if lq.overdue && v != sortUrgent {
				errs.Add("sort", "overdue cases are listed most urgent first")
			}
			lq.sort = v
		default:
			errs.Add("sort", "must be newest, updated or urgent")
		}
	}
	return lq, errs.Err()
}

// listFilter sets the list of the one filter given, and answers its name.
func listFilter(given map[string]string, lq *listQuery, errs *problem.Fields) (chosen string) {
	for _, name := range slices.Sorted(maps.Keys(given)) {
		list, ok := filters[name]
		if !ok {
			continue // sort and overdue
		}
		if chosen != "" {
			errs.Add(name, "only one filter at a time (%s is already given)", chosen)
			continue
		}
		chosen = name
		v := given[name]
		switch {
		case name == "category" && !slices.Contains(categories, v):
			errs.Add(name, "must be one of %s", strings.Join(categories, ", "))
		case !validID(v):
			errs.Add(name, "is not a valid ID")
		}
		lq.list = list(v)
	}
	return chosen
}

// List answers one page of a list of cases: one Query of the list's
// partition, reading only the entries it answers.
func (s *Service) List(ctx context.Context, tenant string, lq listQuery) (*httpapi.List[*Case], error) {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return nil, err
	}
	items, next, err := s.listPage(ctx, tenant, lq)
	if err != nil {
		return nil, err
	}
	for _, c := range items {
		s.decorate(snap, c)
	}
	return &httpapi.List[*Case]{Items: items, Next: next}, nil
}

// Get returns a case with its tasks: one Query of its partition.
func (s *Service) Get(ctx context.Context, tenant, id string) (*Detail, error) {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return nil, err
	}
	pt, err := s.readPartition(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	s.decorate(snap, pt.c)
	return &Detail{Case: pt.c, Tasks: pt.tasks}, nil
}
