package cases_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// listWorld is five cases, created a minute apart, that differ in every
// attribute a list filters or sorts by.
type listWorld struct {
	world
	c1, c2, c3, c4, c5 string
}

func seedLists(t *testing.T, h *harness) listWorld {
	t.Helper()
	lw := listWorld{world: h.seed(t)}
	mk := func(body map[string]any) string {
		t.Helper()
		h.clock.Advance(time.Minute)
		return h.create(t, body).Str("id")
	}
	// c1: service type (assignees agent1 + support), customer A, high, new.
	b := lw.validService("c1")
	b["customerId"], b["priorityId"] = lw.custA, prioHigh
	lw.c1 = mk(b)
	// c2: question type, customer B, low, open, agent2.
	lw.c2 = mk(map[string]any{"title": "c2", "typeId": lw.question, "customerId": lw.custB, "priorityId": prioLow,
		"statusId": statusOpen, "assignees": map[string]any{"users": []string{userAgent2}}})
	// c3: no type, customer A, normal, waiting, support.
	lw.c3 = mk(map[string]any{"title": "c3", "customerId": lw.custA, "statusId": statusWaiting,
		"assignees": map[string]any{"groups": []string{groupSupp}}})
	// c4: service type, no customer, normal, closed, agent2.
	b = lw.validService("c4")
	b["statusId"], b["assignees"] = statusClosed, map[string]any{"users": []string{userAgent2}}
	lw.c4 = mk(b)
	// c5: no type, urgent, new, nobody.
	lw.c5 = mk(map[string]any{"title": "c5", "priorityId": prioUrgent})
	return lw
}

// TestListFilters: every filter answers exactly its cases, newest first.
func TestListFilters(t *testing.T) {
	h := newHarness(t)
	lw := seedLists(t, h)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{lw.c5, lw.c4, lw.c3, lw.c2, lw.c1}},
		{"?status=" + statusNew, []string{lw.c5, lw.c1}},
		{"?status=" + statusOpen, []string{lw.c2}},
		{"?status=" + statusWaiting, []string{lw.c3}},
		{"?status=" + statusClosed, []string{lw.c4}},
		{"?category=new", []string{lw.c5, lw.c1}},
		{"?category=open", []string{lw.c2}},
		{"?category=waiting", []string{lw.c3}},
		{"?category=closed", []string{lw.c4}},
		{"?assignee=" + userAgent1, []string{lw.c1}},
		{"?assignee=" + userAgent2, []string{lw.c4, lw.c2}},
		{"?assignee=" + userBoss, nil},
		{"?group=" + groupSupp, []string{lw.c3, lw.c1}},
		{"?customer=" + lw.custA, []string{lw.c3, lw.c1}},
		{"?customer=" + lw.custB, []string{lw.c2}},
		{"?type=" + lw.service, []string{lw.c4, lw.c1}},
		{"?type=" + lw.question, []string{lw.c2}},
		{"?priority=" + prioNormal, []string{lw.c4, lw.c3}},
		{"?priority=" + prioUrgent, []string{lw.c5}},
		{"?priority=" + prioHigh, []string{lw.c1}},
		{"?priority=" + prioLow, []string{lw.c2}},
		{"?customer=" + noSuchID, nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			if got := h.listIDs(t, tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("GET /v1/cases%s: %v, want %v", tc.query, got, tc.want)
			}
		})
	}

	// Overdue: active (new or open) cases past resolveBy, most urgent first.
	// After 3 days: c5 (urgent, 8 h) and c1 (high, 2 d) are late; c2 (low,
	// 10 d) is not; c3 waits and c4 is closed.
	if got := h.listIDs(t, "?overdue=true"); len(got) != 0 {
		t.Errorf("overdue at once: %v", got)
	}
	h.clock.Advance(3 * 24 * time.Hour)
	if got, want := h.listIDs(t, "?overdue=true"), []string{lw.c5, lw.c1}; !slices.Equal(got, want) {
		t.Errorf("overdue: %v, want %v", got, want)
	}
	if got, want := h.listIDs(t, "?overdue=false"), []string{lw.c5, lw.c4, lw.c3, lw.c2, lw.c1}; !slices.Equal(got, want) {
		t.Errorf("overdue=false: %v, want %v", got, want)
	}

	// A change moves the case between lists.
	h.patch(t, lw.c5, map[string]any{"statusId": statusOpen, "assignees": map[string]any{"users": []string{userBoss}}}).Must(t, http.StatusOK)
	for q, want := range map[string][]string{
		"?status=" + statusNew:  {lw.c1},
		"?status=" + statusOpen: {lw.c5, lw.c2},
		"?category=new":         {lw.c1},
		"?category=open":        {lw.c5, lw.c2},
		"?assignee=" + userBoss: {lw.c5},
	} {
		if got := h.listIDs(t, q); !slices.Equal(got, want) {
			t.Errorf("after the change, %s: %v, want %v", q, got, want)
		}
	}
	h.patch(t, lw.c1, map[string]any{"assignees": nil}).Must(t, http.StatusOK)
	if got := h.listIDs(t, "?assignee="+userAgent1); len(got) != 0 {
		t.Errorf("assignees removed, still listed for agent1: %v", got)
	}
	if got := h.listIDs(t, "?group="+groupSupp); !slices.Equal(got, []string{lw.c3}) {
		t.Errorf("assignees removed, group list: %v", got)
	}
}

// TestListSorts: newest, recently updated and most urgent first, also
// combined with a filter.
func TestListSorts(t *testing.T) {
	h := newHarness(t)
	lw := seedLists(t, h)
	h.clock.Advance(time.Minute)
	h.patch(t, lw.c2, map[string]any{"title": "c2 ändrad"}).Must(t, http.StatusOK)
	h.clock.Advance(time.Minute)
	h.patch(t, lw.c1, map[string]any{"title": "c1 ändrad"}).Must(t, http.StatusOK)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?sort=newest", []string{lw.c5, lw.c4, lw.c3, lw.c2, lw.c1}},
		{"?sort=updated", []string{lw.c1, lw.c2, lw.c5, lw.c4, lw.c3}},
		// Active by resolveBy: c5 (+8 h), c1 (+2 d), c2 (+10 d); then
		// waiting (c3), then closed (c4).
		{"?sort=urgent", []string{lw.c5, lw.c1, lw.c2, lw.c3, lw.c4}},
		{"?customer=" + lw.custA + "&sort=urgent", []string{lw.c1, lw.c3}},
		{"?customer=" + lw.custA + "&sort=updated", []string{lw.c1, lw.c3}},
		{"?type=" + lw.service + "&sort=urgent", []string{lw.c1, lw.c4}},
		{"?group=" + groupSupp + "&sort=newest", []string{lw.c3, lw.c1}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			if got := h.listIDs(t, tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("GET /v1/cases%s: %v, want %v", tc.query, got, tc.want)
			}
		})
	}
	// Entries show the case as it is now, with its SLA.
	for _, it := range h.Do(&agent, "GET", "/v1/cases?sort=updated", nil).Must(t, http.StatusOK).Items() {
		if it["id"] == lw.c1 && it["title"] != "c1 ändrad" {
			t.Errorf("list entry of c1: %v", it)
		}
		if _, ok := it["sla"].(map[string]any); !ok {
			t.Errorf("list entry without sla: %v", it)
		}
	}
}

// TestListPages: limit and cursor page through every list and sort with
// no duplicate and no gap, each page one Query once settings are warm.
func TestListPages(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	const n = 11
	var all []string
	prios := []string{prioLow, prioNormal, prioHigh, prioUrgent}
	for i := range n {
		h.clock.Advance(time.Minute)
		// Same priority for pairs, so urgent order has ties broken by ID.
		all = append(all, h.create(t, map[string]any{"title": fmt.Sprintf("Sida %d", i), "customerId": w.custA,
			"priorityId": prios[(i/2)%len(prios)]}).Str("id"))
	}
	h.listIDs(t, "") // settings warm
	for _, base := range []string{"", "customer=" + w.custA + "&"} {
		for _, sort := range []string{"newest", "updated", "urgent"} {
			for _, limit := range []int{1, 3, 5, 11, 25} {
				name := fmt.Sprintf("%ssort=%s&limit=%d", base, sort, limit)
				t.Run(name, func(t *testing.T) {
					whole := h.listIDs(t, "?"+base+"sort="+sort+"&limit=100")
					if len(whole) != n {
						t.Fatalf("one page of 100 holds %d cases", len(whole))
					}
					var got []string
					cursor := ""
					for page := 0; ; page++ {
						if page > n+1 {
							t.Fatal("the cursor never ends")
						}
						q := "?" + base + "sort=" + sort + "&limit=" + fmt.Sprint(limit)
						if cursor != "" {
							q += "&cursor=" + url.QueryEscape(cursor)
						}
						var res response
						c := h.cost(func() { res = h.Do(&agent, "GET", "/v1/cases"+q, nil).Must(t, http.StatusOK) })
						if c["Query"] != 1 || total(c) != 1 {
							t.Errorf("page %d cost %v, want one Query", page, c)
						}
						ids := res.IDs()
						if len(ids) > limit {
							t.Errorf("page %d holds %d, limit %d", page, len(ids), limit)
						}
						got = append(got, ids...)
						cursor = res.Str("next")
						if cursor == "" {
							break
						}
						if len(ids) == 0 {
							t.Errorf("an empty page %d with a next cursor", page)
						}
					}
					if !slices.Equal(got, whole) {
						t.Errorf("pages gave %v, one page gives %v", got, whole)
					}
				})
			}
		}
	}
	if got := h.listIDs(t, "?sort=newest&limit=100"); !slices.Equal(got, reversed(all)) {
		t.Errorf("newest order %v, want %v", got, reversed(all))
	}
	// The default page is 25, at most 100.
	h.Do(&agent, "GET", "/v1/cases?limit=101", nil).MustProblem(t, http.StatusBadRequest, "limit")
	h.Do(&agent, "GET", "/v1/cases?limit=0", nil).MustProblem(t, http.StatusBadRequest, "limit")
	h.Do(&agent, "GET", "/v1/cases?limit=x", nil).MustProblem(t, http.StatusBadRequest, "limit")
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// TestListRefusals: tampered cursors, cursors of another list, sort or
// tenant, two filters and unknown parameters answer 400 and cost nothing.
func TestListRefusals(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	for i := range 3 {
		h.clock.Advance(time.Minute)
		h.create(t, map[string]any{"title": fmt.Sprint(i), "customerId": w.custA})
		h.Do(&intruder, "POST", "/v1/cases", map[string]any{"title": fmt.Sprint(i)}).Must(t, http.StatusCreated)
	}
	next := func(q string) string {
		t.Helper()
		c := h.Do(&agent, "GET", "/v1/cases"+q, nil).Must(t, http.StatusOK).Str("next")
		if c == "" {
			t.Fatalf("%s answered no cursor", q)
		}
		return c
	}
	allNewest := next("?limit=1")
	allUpdated := next("?limit=1&sort=updated")
	allUrgent := next("?limit=1&sort=urgent")
	customer := next("?limit=1&customer=" + w.custA)
	otherTenant := h.Do(&intruder, "GET", "/v1/cases?limit=1", nil).Must(t, http.StatusOK).Str("next")
	if otherTenant == "" {
		t.Fatal("no cursor for the other tenant")
	}

	// A cursor whose list key is edited to another list (or tenant) but
	// is otherwise well formed.
	edit := func(cursor string, f func(m map[string]string)) string {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil {
			t.Fatalf("the cursor is not base64url JSON (%v): fine, but this test edits it", err)
		}
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("the cursor is not base64url JSON (%v)", err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	retarget := edit(allNewest, func(m map[string]string) {
		for k, v := range m {
			if k == "PK" {
				m[k] = v[:len(v)-3] + "xyz"
			}
		}
	})
	extraKey := edit(allNewest, func(m map[string]string) { m["GSI9PK"] = "x" })
	emptySK := edit(allNewest, func(m map[string]string) { m["SK"] = "" })

	h.listIDs(t, "") // settings warm
	for _, tc := range []struct{ name, query, field string }{
		{"garbage cursor", "?cursor=" + url.QueryEscape("!!not a cursor!!"), "cursor"},
		{"base64 of no JSON", "?cursor=" + base64.RawURLEncoding.EncodeToString([]byte("hello")), "cursor"},
		{"truncated cursor", "?cursor=" + allNewest[:len(allNewest)/2], "cursor"},
		{"cursor of another list key", "?cursor=" + retarget, "cursor"},
		{"cursor with an extra key", "?cursor=" + extraKey, "cursor"},
		{"cursor with an empty key", "?cursor=" + emptySK, "cursor"},
		{"all-list cursor on a filter", "?customer=" + w.custA + "&cursor=" + allNewest, "cursor"},
		{"filter cursor on the all list", "?cursor=" + customer, "cursor"},
		{"newest cursor, updated sort", "?sort=updated&cursor=" + allNewest, "cursor"},
		{"updated cursor, urgent sort", "?sort=urgent&cursor=" + allUpdated, "cursor"},
		{"urgent cursor, newest sort", "?cursor=" + allUrgent, "cursor"},
		{"another tenant's cursor", "?cursor=" + otherTenant, "cursor"},
		{"customer cursor with another filter too", "?customer=" + w.custA + "&status=" + statusNew + "&cursor=" + customer, "cursor"},
		{"customer cursor, overdue", "?customer=" + w.custA + "&overdue=true&cursor=" + customer, "cursor"},
		{"list cursor on a search", "?q=kran&cursor=" + allNewest, "cursor"},
		{"overdue sorted by newest", "?overdue=true&sort=newest", "sort"},
		{"unknown filter", "?colour=red", "colour"},
		{"unknown sort", "?sort=oldest", "sort"},
		{"bad overdue", "?overdue=yes", "overdue"},
		{"malformed filter ID", "?customer=" + url.QueryEscape("a#b"), "customer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var res response
			c := h.cost(func() { res = h.Do(&agent, "GET", "/v1/cases"+tc.query, nil) })
			res.MustProblem(t, http.StatusBadRequest)
			if named := res.ProblemFields(); !slices.ContainsFunc(strings.Split(tc.field, "|"), func(f string) bool { return slices.Contains(named, f) }) {
				t.Errorf("the 400 names %v, want %s; body: %s", named, tc.field, res.Raw)
			}
			if total(c) != 0 {
				t.Errorf("a refused list cost %v", c)
			}
		})
	}
	// And the acme cursor on the other tenant.
	h.Do(&intruder, "GET", "/v1/cases?cursor="+allNewest, nil).MustProblem(t, http.StatusBadRequest, "cursor")
	// The real cursors work.
	for _, q := range []string{"?limit=1&cursor=" + allNewest, "?limit=1&sort=updated&cursor=" + allUpdated,
		"?limit=1&sort=urgent&cursor=" + allUrgent, "?limit=1&customer=" + w.custA + "&cursor=" + customer} {
		if len(h.listIDs(t, q)) != 1 {
			t.Errorf("%s: not one case", q)
		}
	}
}
