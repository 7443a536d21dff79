package cases

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// defaultLimit is the page size of case lists when none is asked for.
const defaultLimit = 25

// maxEvaluated bounds what one page of a filtered list or a search reads:
// at most this many entries, with one Query.
const maxEvaluated = 200

// The sorts of a case list.
const (
	sortNewest  = "newest"
	sortUpdated = "updated"
	sortUrgent  = "urgent"
)

// categoryActive is the category filter of every case not closed.
const categoryActive = "active"

// categories are what the category filter takes.
var categories = []string{settings.CategoryNew, settings.CategoryOpen, settings.CategoryWaiting, settings.CategoryClosed, categoryActive}

// me is the assignee filter of the caller's own cases.
const me = "me"

// caseFilters are the filters of GET /v1/cases that a case is checked
// against: each answers whether case c has the value v.
var caseFilters = map[string]func(c *Case, v string) bool{
	"number":   func(c *Case, v string) bool { return strconv.FormatInt(c.Number, 10) == v },
	"assignee": func(c *Case, v string) bool { return slices.Contains(c.Assignees.Users, v) },
	"group":    func(c *Case, v string) bool { return slices.Contains(c.Assignees.Groups, v) },
	"customer": func(c *Case, v string) bool { return c.CustomerID == v },
	"status":   func(c *Case, v string) bool { return c.StatusID == v },
	"category": func(c *Case, v string) bool { return inCategory(c.StatusCategory, v) },
	"type":     func(c *Case, v string) bool { return c.TypeID == v },
	"priority": func(c *Case, v string) bool { return c.PriorityID == v },
}

// inCategory reports whether a case in a status of category is answered
// by the category filter v (active: everything not closed).
func inCategory(category, v string) bool {
	if v == categoryActive {
		return category != settings.CategoryClosed
	}
	return category == v
}

// indexed are the filters with lists of their own, in the order the list
// to read is chosen: the first one given is read, and the others are
// checked on each entry. A user's, a group's and a customer's list each
// has its parts by category, so that a category with them is answered by
// the list too.
var indexed = []struct {
	name         string
	list         func(v string) caselist.List
	withCategory bool
}{
	{"number", func(v string) caselist.List { n, _ := strconv.ParseInt(v, 10, 64); return caselist.ByNumber(n) }, false},
	{"assignee", caselist.ByUser, true},
	{"customer", caselist.ByCustomer, true},
	{"group", caselist.ByGroup, true},
	{"status", caselist.ByStatus, false},
	{"category", categoryList, false},
	{"type", caselist.ByType, false},
	{"priority", caselist.ByPriority, false},
}

// categoryList is the list of the cases in a category, or of the active.
func categoryList(v string) caselist.List {
	if v == categoryActive {
		return caselist.Active
	}
	return caselist.ByCategory(v)
}

// listParams are the query parameters of GET /v1/cases besides the page.
func listParams() []string {
	return append(slices.Sorted(maps.Keys(caseFilters)), "q", "sort", "overdue")
}

// listQuery is a parsed GET /v1/cases: the list read (or the search), its
// sort, and what each entry read is checked against when the list alone
// does not answer the filters.
type listQuery struct {
	list    caselist.List
	sort    string
	overdue bool
	limit   int
	cursor  string
	// filters are the filters given, by name (assignee=me resolved);
	// exact is set when the list holds exactly the cases they answer.
	filters map[string]string
	exact   bool
	// search is the parsed q, nil when none.
	search *searchQuery
	// tag names the query in its cursors (see dynamo.PageQuery.Tag).
	tag string
}

// holds reports whether case c answers the filters (at now, for overdue).
func (lq listQuery) holds(c *Case, now time.Time) bool {
	for name, v := range lq.filters {
		if !caseFilters[name](c, v) {
			return false
		}
	}
	return !lq.overdue || overdue(c, now)
}

// overdue reports whether a case is past its resolve target while it is
// worked on: new or open, not waiting (waiting pauses the target) nor
// closed.
func overdue(c *Case, now time.Time) bool {
	active := c.StatusCategory == settings.CategoryNew || c.StatusCategory == settings.CategoryOpen
	return active && c.ResolveBy.Before(now)
}

// parseList reads the query: its filters, in any combination, a search, a
// sort, a page. myID is the directory user of the caller (assignee=me).
func parseList(page httpapi.Page, myID string) (listQuery, error) {
	lq := listQuery{sort: sortNewest, limit: page.Limit, cursor: page.Cursor, filters: map[string]string{}}
	var errs problem.Fields
	for _, name := range slices.Sorted(maps.Keys(page.Filters)) {
		lq.read(name, page.Filters[name], myID, &errs)
	}
	lq.checkSort(page.Filters["sort"], &errs)
	if err := errs.Err(); err != nil {
		return lq, err
	}
	lq.choose()
	lq.tag = queryTag(lq)
	return lq, nil
}

// read takes one query parameter into lq.
func (lq *listQuery) read(name, v, myID string, errs *problem.Fields) {
	switch name {
	case "sort":
		return // checkSort
	case "overdue":
		if v != "true" && v != "false" {
			errs.Add(name, "must be true or false")
		}
		lq.overdue = v == "true"
	case "q":
		sq, msg := parseSearch(v)
		if msg != "" {
			errs.Add(name, "%s", msg)
		}
		lq.search = &sq
	default:
		if name == "assignee" && v == me {
			v = myID
		}
		if msg := filterValue(name, v); msg != "" {
			errs.Add(name, "%s", msg)
		}
		lq.filters[name] = v
	}
}

// filterValue answers what is wrong with the value of a filter, "" when
// nothing is.
func filterValue(name, v string) string {
	switch name {
	case "number":
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 1 || strconv.FormatInt(n, 10) != v {
			return "must be a case number (a whole number from 1)"
		}
	case "category":
		if !slices.Contains(categories, v) {
			return "must be one of " + strings.Join(categories, ", ")
		}
	default:
		if !validID(v) {
			return "is not a valid ID"
		}
	}
	return ""
}

// checkSort takes the sort: overdue cases are listed most urgent first,
// and what a search finds newest first.
func (lq *listQuery) checkSort(v string, errs *problem.Fields) {
	switch {
	case v == "":
		if lq.overdue && lq.search == nil {
			lq.sort = sortUrgent
		}
		return
	case v != sortNewest && v != sortUpdated && v != sortUrgent:
		errs.Add("sort", "must be newest, updated or urgent")
	case lq.overdue && lq.search == nil && v != sortUrgent:
		errs.Add("sort", "overdue cases are listed most urgent first")
	case lq.search != nil && v != sortNewest:
		errs.Add("sort", "what a search (q) finds is listed newest first")
	}
	lq.sort = v
}

// choose picks the list to read: the first indexed filter given, with the
// category when that list has parts by category; without a filter, every
// case (the active ones for overdue: no other case is overdue).
func (lq *listQuery) choose() {
	lq.list = caselist.All
	if lq.overdue {
		lq.list = caselist.Active
	}
	answered := map[string]bool{}
	for _, ix := range indexed {
		v, given := lq.filters[ix.name]
		if !given {
			continue
		}
		lq.list, answered[ix.name] = ix.list(v), true
		if c, withCategory := lq.filters["category"]; withCategory && ix.withCategory {
			answered["category"] = true
			lq.list = ix.list(v).InCategory(c)
			if c == categoryActive {
				lq.list = ix.list(v).Active()
			}
		}
		break
	}
	lq.exact = lq.search == nil
	for name := range lq.filters {
		lq.exact = lq.exact && answered[name]
	}
}

// queryTag names everything that decides a page besides its position, so
// that a cursor is taken only by the query that answered it.
func queryTag(lq listQuery) string {
	parts := []string{string(lq.list), lq.sort, strconv.FormatBool(lq.overdue)}
	for _, name := range slices.Sorted(maps.Keys(lq.filters)) {
		parts = append(parts, name+"="+lq.filters[name])
	}
	if lq.search != nil {
		parts = append(parts, "q="+strings.Join(lq.search.words, " "))
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return hex.EncodeToString(sum[:6])
}

// List answers one page of the cases the query asks for: one Query of a
// list, reading only the entries it answers when the list alone answers
// the filters, else at most maxEvaluated entries; a search reads its
// partition (see searchPage).
func (s *Service) List(ctx context.Context, p identity.Principal, page httpapi.Page) (*httpapi.List[*Case], error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	lq, err := parseList(page, reporter(snap, p))
	if err != nil {
		return nil, err
	}
	var items []*Case
	var next string
	if lq.search != nil {
		items, next, err = s.searchPage(ctx, p.Tenant, lq)
	} else {
		items, next, err = s.listPage(ctx, p.Tenant, lq)
	}
	if err != nil {
		return nil, err
	}
	for _, c := range items {
		s.decorate(snap, c)
	}
	return &httpapi.List[*Case]{Items: items, Next: next}, nil
}

// Get returns a case with its tasks: one Query of its partition. The
// tenant's settings (a Query of their own when this instance holds none)
// are read at the same time, so that a cold instance waits one round
// trip, not two.
func (s *Service) Get(ctx context.Context, tenant, id string) (*Detail, error) {
	settingsRead := settings.SnapshotBeside(ctx, s.settings, tenant)
	pt, err := s.readPartition(ctx, tenant, id)
	snap, serr := settingsRead()
	if serr != nil {
		return nil, serr
	}
	if err != nil {
		return nil, err
	}
	s.decorate(snap, pt.c)
	return &Detail{Case: pt.c, Tasks: pt.tasks}, nil
}
