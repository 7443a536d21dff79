package cases_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/identity"
)

// viewWorld is a tenant with cases that differ in every attribute the
// views filter by, and a user whose login is linked to a directory user
// with another ID (assignee=me).
type viewWorld struct {
	world
	erik  string // the directory user of the login "login-erik"
	cases []string
}

// erikLogin is the login of the directory user erik.
var erikLogin = identity.Principal{Tenant: "acme", User: "login-erik", Roles: []identity.Role{identity.Agent}}

func seedViews(t *testing.T, h *harness) viewWorld {
	t.Helper()
	vw := viewWorld{world: h.seed(t)}
	vw.erik = h.Do(&admin, "POST", "/v1/users", map[string]any{"name": "Erik Ek", "email": "erik@acme.example",
		"roles": []string{"agent"}, "subject": erikLogin.User}).Must(t, http.StatusCreated).Str("id")
	users := [][]string{{vw.erik}, {userAgent2}, {vw.erik, userAgent1}, {}}
	groups := [][]string{{groupSupp}, {}, {}}
	custs := []string{vw.custA, vw.custB, ""}
	statuses := []string{statusNew, statusOpen, statusWaiting, statusClosed, statusOpen}
	prios := []string{prioUrgent, prioNormal, prioHigh, prioLow}
	for i := range 30 {
		h.clock.Advance(time.Minute)
		body := map[string]any{"title": fmt.Sprintf("Vy %d", i), "statusId": statuses[i%len(statuses)], "priorityId": prios[i%len(prios)],
			"assignees": map[string]any{"users": users[i%len(users)], "groups": groups[i%len(groups)]}}
		if c := custs[i%len(custs)]; c != "" {
			body["customerId"] = c
		}
		if i%2 == 0 {
			body["typeId"] = vw.question
		}
		vw.cases = append(vw.cases, h.create(t, body).Str("id"))
	}
	// Some activity, so that "updated" differs from "newest".
	for _, i := range []int{3, 17, 8} {
		h.clock.Advance(time.Minute)
		h.Do(&agent, "POST", "/v1/cases/"+vw.cases[i]+"/comments", map[string]any{"body": "Ringde kunden."}).Must(t, http.StatusCreated)
	}
	h.clock.Advance(30 * time.Hour) // urgent ones (8 h) and high ones (2 d)... some overdue
	return vw
}

// caseFilter is what a test expects a filter to answer, on a case as the
// API answers it.
type caseFilter func(c map[string]any, now time.Time) bool

func has(field, v string) caseFilter {
	return func(c map[string]any, _ time.Time) bool { return fmt.Sprint(c[field]) == v }
}

func assigned(kind, id string) caseFilter {
	return func(c map[string]any, _ time.Time) bool {
		a := c["assignees"].(map[string]any)
		list, _ := a[kind].([]any)
		return slices.Contains(list, any(id))
	}
}

func inCategory(cat string) caseFilter {
	return func(c map[string]any, _ time.Time) bool {
		if cat == "active" {
			return c["statusCategory"] != "closed"
		}
		return c["statusCategory"] == cat
	}
}

func isOverdue(c map[string]any, now time.Time) bool {
	due, err := time.Parse(time.RFC3339, c["resolveBy"].(string))
	return err == nil && (c["statusCategory"] == "new" || c["statusCategory"] == "open") && due.Before(now)
}

// expected is the subsequence of every case in the sort that the filters
// answer: what a filtered list must answer, in the same order.
func (h *harness) expected(t *testing.T, sort string, filters ...caseFilter) []string {
	t.Helper()
	var out []string
	for _, c := range h.Do(&agent, "GET", "/v1/cases?limit=100&sort="+sort, nil).Must(t, http.StatusOK).Items() {
		if !slices.ContainsFunc(filters, func(f caseFilter) bool { return !f(c, h.clock.Now()) }) {
			out = append(out, c["id"].(string))
		}
	}
	return out
}

// TestCombinedViews: assignee (an ID or me), group and customer, each with
// every category (and active), in every sort and overdue, answer exactly
// their cases with one Query that reads only the entries it answers (and
// one more, that says whether a next page exists).
func TestCombinedViews(t *testing.T) {
	h := newHarness(t)
	vw := seedViews(t, h)
	dims := []struct {
		query string
		want  caseFilter
	}{
		{"assignee=me", assigned("users", vw.erik)},
		{"assignee=" + userAgent2, assigned("users", userAgent2)},
		{"group=" + groupSupp, assigned("groups", groupSupp)},
		{"customer=" + vw.custA, has("customerId", vw.custA)},
		{"customer=" + vw.custB, has("customerId", vw.custB)},
	}
	categories := []string{"", "new", "open", "waiting", "closed", "active"}
	h.listIDs(t, "") // settings warm
	checked := 0
	for _, d := range dims {
		for _, cat := range categories {
			for _, sort := range []string{"newest", "updated", "urgent", "overdue"} {
				q, filters := d.query, []caseFilter{d.want}
				if cat != "" {
					q, filters = q+"&category="+cat, append(filters, inCategory(cat))
				}
				order := sort
				if sort == "overdue" {
					q, order, filters = q+"&overdue=true", "urgent", append(filters, isOverdue)
				} else {
					q += "&sort=" + sort
				}
				want := h.expected(t, order, filters...)
				h.probe.takeQueries()
				var res response
				c := h.cost(func() { res = h.Do(&erikLogin, "GET", "/v1/cases?limit=100&"+q, nil).Must(t, http.StatusOK) })
				if got := res.IDs(); !slices.Equal(got, want) {
					t.Errorf("%s: %v, want %v", q, got, want)
				}
				qs := h.probe.takeQueries()
				if total(c) != 1 || len(qs) != 1 || qs[0].Limit != 101 || qs[0].Items != len(want) {
					t.Errorf("%s cost %v, read %+v for %d cases", q, c, qs, len(want))
				}
				checked++
			}
		}
	}
	t.Logf("%d views checked", checked)

	// A page of 2 reads 3 entries, and the pages give the whole view.
	for _, q := range []string{"assignee=me&category=open", "customer=" + vw.custA + "&category=active&sort=urgent", "group=" + groupSupp + "&sort=updated"} {
		whole := h.Do(&erikLogin, "GET", "/v1/cases?limit=100&"+q, nil).Must(t, http.StatusOK).IDs()
		var got []string
		for cursor := ""; ; {
			page := "/v1/cases?limit=2&" + q
			if cursor != "" {
				page += "&cursor=" + url.QueryEscape(cursor)
			}
			h.probe.takeQueries()
			res := h.Do(&erikLogin, "GET", page, nil).Must(t, http.StatusOK)
			if qs := h.probe.takeQueries(); len(qs) != 1 || qs[0].Limit != 3 || qs[0].Items > 3 {
				t.Errorf("%s: a page of 2 read %+v", q, qs)
			}
			got = append(got, res.IDs()...)
			if cursor = res.Str("next"); cursor == "" {
				break
			}
		}
		if !slices.Equal(got, whole) || len(whole) < 3 {
			t.Errorf("%s: pages of 2 gave %v, one page %v", q, got, whole)
		}
	}
}

// TestOtherCombinations: any other combination of filters answers exactly
// its cases, reading the first indexed filter's list and checking the
// rest on each entry: at most 200 entries a page, short pages with a
// cursor when few match, and the pages together give the whole answer.
func TestOtherCombinations(t *testing.T) {
	h := newHarness(t)
	vw := seedViews(t, h)
	number := h.get(t, vw.cases[7]).Num("number")
	for _, tc := range []struct {
		query string
		want  []caseFilter
	}{
		{"assignee=me&group=" + groupSupp, []caseFilter{assigned("users", vw.erik), assigned("groups", groupSupp)}},
		{"status=" + statusOpen + "&type=" + vw.question, []caseFilter{has("statusId", statusOpen), has("typeId", vw.question)}},
		{"customer=" + vw.custA + "&priority=" + prioHigh, []caseFilter{has("customerId", vw.custA), has("priorityId", prioHigh)}},
		{"type=" + vw.question + "&category=active", []caseFilter{has("typeId", vw.question), inCategory("active")}},
		{"priority=" + prioUrgent + "&category=closed&sort=updated", []caseFilter{has("priorityId", prioUrgent), inCategory("closed")}},
		{"assignee=" + userAgent1 + "&customer=" + vw.custA + "&category=new", []caseFilter{assigned("users", userAgent1), has("customerId", vw.custA), inCategory("new")}},
		{"status=" + statusNew + "&overdue=true", []caseFilter{has("statusId", statusNew), isOverdue}},
		{"type=" + vw.question + "&overdue=true", []caseFilter{has("typeId", vw.question), isOverdue}},
		{fmt.Sprintf("number=%d&category=active", number), []caseFilter{has("number", fmt.Sprint(number)), inCategory("active")}},
		{fmt.Sprintf("number=%d&category=closed", number), []caseFilter{has("number", fmt.Sprint(number)), inCategory("closed")}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			sort := "newest"
			switch {
			case strings.Contains(tc.query, "overdue"):
				sort = "urgent"
			case strings.Contains(tc.query, "sort=updated"):
				sort = "updated"
			}
			want := h.expected(t, sort, tc.want...)
			if got := h.Do(&erikLogin, "GET", "/v1/cases?limit=100&"+tc.query, nil).Must(t, http.StatusOK).IDs(); !slices.Equal(got, want) {
				t.Errorf("%v, want %v", got, want)
			}
			var got []string
			pages := 0
			for cursor := ""; pages < 40; pages++ {
				page := "/v1/cases?limit=1&" + tc.query
				if cursor != "" {
					page += "&cursor=" + url.QueryEscape(cursor)
				}
				h.probe.takeQueries()
				res := h.Do(&erikLogin, "GET", page, nil).Must(t, http.StatusOK)
				read := 0
				qs := h.probe.takeQueries()
				for _, q := range qs {
					read += q.Items
				}
				if len(qs) > 3 || read > 200 {
					t.Errorf("page %d: %d Queries read %d entries", pages, len(qs), read)
				}
				got = append(got, res.IDs()...)
				if cursor = res.Str("next"); cursor == "" {
					break
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages of 1 gave %v, want %v", got, want)
			}
		})
	}
}

// TestLookupByNumber: number=N answers the case with the number, or
// nothing, with one Query of one entry; a deleted case is not found.
func TestLookupByNumber(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	var ids []string
	for i := range 12 {
		ids = append(ids, h.create(t, map[string]any{"title": fmt.Sprintf("Nummer %d", i)}).Str("id"))
	}
	h.listIDs(t, "")
	for n, want := range map[int][]string{1: {ids[0]}, 10: {ids[9]}, 12: {ids[11]}, 13: nil, 100: nil} {
		h.probe.takeQueries()
		var got []string
		c := h.cost(func() { got = h.listIDs(t, fmt.Sprintf("?number=%d", n)) })
		if !slices.Equal(got, want) {
			t.Errorf("number=%d: %v, want %v", n, got, want)
		}
		if qs := h.probe.takeQueries(); total(c) != 1 || len(qs) != 1 || qs[0].Items > 1 {
			t.Errorf("number=%d cost %v, read %+v", n, c, qs)
		}
	}
	h.Do(&admin, "DELETE", "/v1/cases/"+ids[9], nil, ifMatch(1)...).Must(t, http.StatusNoContent)
	if got := h.listIDs(t, "?number=10"); len(got) != 0 {
		t.Errorf("a deleted case's number: %v", got)
	}
	// Another tenant's number 1 is its own.
	other := h.Do(&intruder, "POST", "/v1/cases", map[string]any{"title": "Annan"}).Must(t, http.StatusCreated).Str("id")
	if got := h.Do(&intruder, "GET", "/v1/cases?number=1", nil).Must(t, http.StatusOK).IDs(); !slices.Equal(got, []string{other}) {
		t.Errorf("the other tenant's number 1: %v", got)
	}
}

// TestActiveIsEverythingNotClosed: category=active answers the new, open
// and waiting cases; overdue stays new and open past the resolve target.
func TestActiveIsEverythingNotClosed(t *testing.T) {
	h := newHarness(t)
	lw := seedLists(t, h) // c1 new, c2 open, c3 waiting, c4 closed, c5 new
	if got, want := h.listIDs(t, "?category=active"), []string{lw.c5, lw.c3, lw.c2, lw.c1}; !slices.Equal(got, want) {
		t.Errorf("active: %v, want %v", got, want)
	}
	if got, want := h.listIDs(t, "?category=active&sort=urgent"), []string{lw.c5, lw.c1, lw.c2, lw.c3}; !slices.Equal(got, want) {
		t.Errorf("active, most urgent first: %v, want %v", got, want)
	}
	h.clock.Advance(20 * 24 * time.Hour) // every target has passed
	if got, want := h.listIDs(t, "?overdue=true"), []string{lw.c5, lw.c1, lw.c2}; !slices.Equal(got, want) {
		t.Errorf("overdue: %v, want %v (the waiting c3 is paused)", got, want)
	}
	if got := h.listIDs(t, "?overdue=true&category=waiting"); len(got) != 0 {
		t.Errorf("overdue and waiting: %v", got)
	}
	// Closing and reopening moves the case out of active and back.
	h.patch(t, lw.c3, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	if got := h.listIDs(t, "?category=active&group="+groupSupp); !slices.Equal(got, []string{lw.c1}) {
		t.Errorf("the support group's active cases after c3 closed: %v", got)
	}
	h.patch(t, lw.c3, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	if got := h.listIDs(t, "?category=active&group="+groupSupp); !slices.Equal(got, []string{lw.c3, lw.c1}) {
		t.Errorf("the support group's active cases after c3 waits again: %v", got)
	}
}

// TestAssigneeMe: "me" is the directory user linked to the caller's login;
// a login linked to none is its own ID.
func TestAssigneeMe(t *testing.T) {
	h := newHarness(t)
	vw := seedViews(t, h)
	mine := h.listIDs(t, "?limit=100&assignee="+vw.erik)
	if len(mine) == 0 {
		t.Fatal("erik has no cases")
	}
	if got := h.Do(&erikLogin, "GET", "/v1/cases?limit=100&assignee=me", nil).Must(t, http.StatusOK).IDs(); !slices.Equal(got, mine) {
		t.Errorf("erik's me: %v, want %v", got, mine)
	}
	if got := h.Do(&agent, "GET", "/v1/cases?limit=100&assignee=me", nil).Must(t, http.StatusOK).IDs(); !slices.Equal(got, h.listIDs(t, "?limit=100&assignee="+userAgent1)) {
		t.Errorf("agent1's me: %v", got)
	}
	// A cursor of erik's "me" is not another user's "me".
	next := h.Do(&erikLogin, "GET", "/v1/cases?limit=1&assignee=me", nil).Must(t, http.StatusOK).Str("next")
	h.Do(&agent, "GET", "/v1/cases?limit=1&assignee=me&cursor="+url.QueryEscape(next), nil).MustProblem(t, http.StatusBadRequest, "cursor")
}

// TestViewCostDoesNotGrow: with real cases (created through the API, so
// with every list and search entry a case has), a page of my open cases,
// of a customer's most urgent ones and of a search reads as many entries
// with 60 cases in the tenant as with 600, on the first page and deeper:
// a list page of 8 reads 9 entries (the one more says whether a next page
// exists), a search page reads 25 search entries (its first read; they
// all match) and the 8 cases with one BatchGetItem.
func TestViewCostDoesNotGrow(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	created := 0
	grow := func(to int) {
		for ; created < to; created++ {
			i := created
			h.clock.Advance(100 * time.Millisecond) // settings stay warm
			body := map[string]any{"title": fmt.Sprintf("Läckande kran %d", i), "priorityId": []string{prioLow, prioNormal, prioHigh}[i%3]}
			if i%3 != 0 {
				body["statusId"], body["assignees"] = statusOpen, map[string]any{"users": []string{userAgent1}}
			}
			if i%2 == 0 {
				body["customerId"] = w.custA
			}
			h.create(t, body)
		}
	}
	views := []string{"assignee=me&category=open", "customer=" + w.custA + "&sort=urgent", "q=kran"}
	measure := func(size int) map[string][]int {
		grow(size)
		h.listIDs(t, "") // settings warm
		out := map[string][]int{}
		for _, v := range views {
			cursor := ""
			for page := range 3 {
				q := "/v1/cases?limit=8&" + v
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				h.probe.takeQueries()
				var res response
				c := h.cost(func() { res = h.Do(&agent, "GET", q, nil).Must(t, http.StatusOK) })
				read := 0
				for _, rec := range h.probe.takeQueries() {
					read += rec.Items
				}
				if len(res.Items()) != 8 || c["Query"] != 1 {
					t.Errorf("%d cases, %s page %d: %d cases, cost %v", size, v, page, len(res.Items()), c)
				}
				out[v] = append(out[v], read, c["BatchGetItem"])
				cursor = res.Str("next")
			}
		}
		return out
	}
	start := time.Now()
	small := measure(60)
	mid := time.Since(start)
	large := measure(600)
	for _, v := range views {
		if !slices.Equal(small[v], large[v]) {
			t.Errorf("%s: entries read and batch reads per page %v with 60 cases, %v with 600", v, small[v], large[v])
		}
	}
	t.Logf("entries read, batch reads per page (3 pages of 8): %v; 60 cases in %v, 600 in %v", small, mid, time.Since(start))
}
