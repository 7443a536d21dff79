package cases_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// TestRoundTrips asserts what each cases operation costs in DynamoDB
// requests once the tenant's settings are warm, counted by the SDK
// middleware on the real client: the budget of the issue, and the exact
// requests the design makes.
func TestRoundTrips(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.autoComplete(t, true)
	for i := range 30 { // enough cases that a page is not the whole list
		h.create(t, map[string]any{"title": fmt.Sprintf("Fyllnad %d", i), "customerId": w.custA})
	}
	full := w.validService("Mätt")
	full["customerId"], full["contactId"], full["linkedOrderId"] = w.custA, w.anna, w.openOrder
	created := h.create(t, full)
	id, number := created.Str("id"), created.Num("number")
	path := "/v1/cases/" + id
	task := h.get(t, id).List("tasks")[0]["id"].(string)
	timeReport := h.Do(&agent, "POST", path+"/time-reports", map[string]any{"date": "2026-11-26", "minutes": 5, "values": map[string]any{"arbete": "Service"}}).
		Must(t, http.StatusCreated).Str("id")
	cursor := h.Do(&agent, "GET", "/v1/cases?limit=10", nil).Must(t, http.StatusOK).Str("next")
	h.listIDs(t, "") // settings warm: every request below finds them in memory

	version := int64(1)
	for _, tc := range []struct {
		name   string
		budget int            // the budget, or 0 if it sets none
		want   map[string]int // what the design makes, exactly
		call   func(t *testing.T)
	}{
		{"get case with its tasks", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			if n := len(h.get(t, id).List("tasks")); n != 2 {
				t.Errorf("%d tasks", n)
			}
		}},
		{"list page", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?limit=10", nil).Must(t, http.StatusOK)
		}},
		{"list next page", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?limit=10&cursor="+url.QueryEscape(cursor), nil).Must(t, http.StatusOK)
		}},
		{"list filtered, most urgent first", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?customer="+w.custA+"&sort=urgent", nil).Must(t, http.StatusOK)
		}},
		{"list recently updated", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?sort=updated", nil).Must(t, http.StatusOK)
		}},
		{"list overdue", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?overdue=true", nil).Must(t, http.StatusOK)
		}},
		{"list my open cases (assignee=me&category=open)", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?assignee=me&category=open", nil).Must(t, http.StatusOK)
		}},
		{"list a group's active cases, recently updated first", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?group="+groupSupp+"&category=active&sort=updated", nil).Must(t, http.StatusOK)
		}},
		{"list a customer's overdue cases", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?customer="+w.custA+"&overdue=true", nil).Must(t, http.StatusOK)
		}},
		{"look up a case by number", 1, map[string]int{"Query": 1}, func(t *testing.T) {
			if ids := h.listIDs(t, fmt.Sprintf("?number=%d", number)); len(ids) != 1 || ids[0] != id {
				t.Errorf("number %d: %v", number, ids)
			}
		}},
		{"list another combination (customer and priority), entries mostly matching", 0, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?customer="+w.custA+"&priority="+prioNormal, nil).Must(t, http.StatusOK)
		}},
		{"search", 0, map[string]int{"Query": 1, "BatchGetItem": 1}, func(t *testing.T) {
			if n := len(h.listIDs(t, "?q=fyllnad&limit=10")); n != 10 {
				t.Errorf("search found %d", n)
			}
		}},
		{"search that finds nothing", 0, map[string]int{"Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?q=zzz", nil).Must(t, http.StatusOK)
		}},
		{"create", 2, map[string]int{"UpdateItem": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.create(t, map[string]any{"title": "Enkel"})
		}},
		// The customer's names (what the case is found by) are read beside
		// the number, at the same time: two round trips' wait.
		{"create with customer, contact, order, fields and template tasks", 3, map[string]int{"UpdateItem": 1, "GetItem": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.create(t, full)
		}},
		{"update", 2, map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "PATCH", path, map[string]any{"title": "Ändrad", "priorityId": prioHigh}, ifMatch(version)...).Must(t, http.StatusOK)
			version++
		}},
		// The case and the new customer's names are read at the same time.
		{"switch customer", 3, map[string]int{"GetItem": 2, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "POST", path+"/customer", map[string]any{"customerId": w.custB, "contactId": w.cecilia}, ifMatch(version)...).Must(t, http.StatusOK)
			version++
		}},
		{"close, completing the linked order", 2, map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "PATCH", path, map[string]any{"statusId": statusClosed}, ifMatch(version)...).Must(t, http.StatusOK)
			version++
		}},
		{"stale update: refused after one read", 0, map[string]int{"GetItem": 1}, func(t *testing.T) {
			h.Do(&agent, "PATCH", path, map[string]any{"title": "x"}, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
		}},
		{"invalid create: refused before any request", 0, map[string]int{}, func(t *testing.T) {
			h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": ""}).MustProblem(t, http.StatusBadRequest)
		}},
		{"delete", 0, map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			other := h.create(t, map[string]any{"title": "Radera"}).Str("id")
			h.db.Counter.Reset()
			h.Do(&admin, "DELETE", "/v1/cases/"+other, nil, ifMatch(1)...).Must(t, http.StatusNoContent)
		}},
		// Work on a case is activity: each moves the case in the lists
		// sorted by update, in its own transaction, after a read of the
		// case (its lists).
		{"create task", 0, map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "POST", path+"/tasks", map[string]any{"title": "Ny"}).Must(t, http.StatusCreated)
		}},
		{"update task", 0, map[string]int{"Query": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "PATCH", path+"/tasks/"+task, map[string]any{"done": true}, ifMatch(1)...).Must(t, http.StatusOK)
		}},
		{"delete task", 0, map[string]int{"Query": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "DELETE", path+"/tasks/"+task, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
		}},
		{"report time", 0, map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "POST", path+"/time-reports", map[string]any{"date": "2026-11-26", "minutes": 15, "values": map[string]any{"arbete": "Service"}}).Must(t, http.StatusCreated)
		}},
		{"change a time report", 0, map[string]int{"Query": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "PATCH", path+"/time-reports/"+timeReport, map[string]any{"minutes": 20}, ifMatch(1)...).Must(t, http.StatusOK)
		}},
		{"delete a time report", 0, map[string]int{"Query": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "DELETE", path+"/time-reports/"+timeReport, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
		}},
		{"comment", 0, map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func(t *testing.T) {
			h.Do(&agent, "POST", path+"/comments", map[string]any{"body": "Klart snart."}).Must(t, http.StatusCreated)
		}},
		{"event log page", 0, map[string]int{"GetItem": 1, "Query": 1}, func(t *testing.T) {
			h.Do(&agent, "GET", path+"/events", nil).Must(t, http.StatusOK)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := h.cost(func() { tc.call(t) })
			if tc.budget > 0 && total(got) > tc.budget {
				t.Errorf("%d round trips %v, budget %d", total(got), got, tc.budget)
			}
			for op, n := range tc.want {
				if got[op] != n {
					t.Errorf("%d %s, want %d (all: %v)", got[op], op, n, got)
				}
			}
			if total(got) != total(tc.want) {
				t.Errorf("%d round trips %v, want %v", total(got), got, tc.want)
			}
			t.Logf("%-62s %d  %v", tc.name, total(got), got)
		})
	}
	// Cold settings cost one more Query, once.
	h.clock.Advance(11 * time.Second)
	if got := h.cost(func() { h.get(t, id) }); total(got) != 2 || got["Query"] != 2 {
		t.Errorf("get with cold settings: %v, want the settings Query and the case Query", got)
	}
}

// TestListCostDoesNotGrow: a page of 25 reads 26 list entries (the one
// more says whether a next page exists) with one Query whether the tenant
// has 100 cases or 10,000, in every sort, on the first page and deep in
// the list.
func TestListCostDoesNotGrow(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	const tenant = "acme"
	for i := range 100 {
		h.clock.Advance(time.Second)
		h.create(t, map[string]any{"title": fmt.Sprintf("Ärende %d", i), "priorityId": []string{prioLow, prioNormal, prioHigh}[i%3]})
	}
	measure := func(t *testing.T, cases int) map[string]queryRecord {
		t.Helper()
		out := map[string]queryRecord{}
		for _, sort := range []string{"newest", "updated", "urgent"} {
			h.listIDs(t, "") // settings warm
			h.probe.takeQueries()
			var res response
			c := h.cost(func() { res = h.Do(&agent, "GET", "/v1/cases?limit=25&sort="+sort, nil).Must(t, http.StatusOK) })
			deep := res.Str("next")
			for range 2 { // two pages further in
				res = h.Do(&agent, "GET", "/v1/cases?limit=25&sort="+sort+"&cursor="+url.QueryEscape(deep), nil).Must(t, http.StatusOK)
				deep = res.Str("next")
			}
			if len(res.Items()) != 25 || deep == "" {
				t.Fatalf("%s: the third page holds %d", sort, len(res.Items()))
			}
			qs := h.probe.takeQueries()
			if len(qs) != 3 || c["Query"] != 1 || total(c) != 1 {
				t.Fatalf("%s with %d cases: %d Queries for 3 pages, first page cost %v", sort, cases, len(qs), c)
			}
			// A page of 25 reads 26 entries: the one more tells whether a
			// next page exists, so that no cursor leads to an empty page.
			for i, q := range qs {
				if q.Filtered || q.Limit != 26 || q.Count != 26 || q.Items != 26 || (q.Scanned != 0 && q.Scanned != q.Count) {
					t.Errorf("%s page %d with %d cases read %+v", sort, i, cases, q)
				}
				if !strings.HasSuffix(q.PK, "CASES#all") {
					t.Errorf("%s page %d queried %s", sort, i, q.PK)
				}
			}
			out[sort] = qs[2]
		}
		return out
	}
	small := measure(t, 100)

	// Grow the tenant's "all" list to 10,000 entries: the list entries of
	// 9,900 more cases, written straight to the table in batches (what
	// creating them through the API would leave in that list). About a
	// second against the embedded server.
	start := time.Now()
	seedListEntries(t, h, tenant, 9900)
	if n := len(h.listIDs(t, "?limit=100")); n != 100 {
		t.Fatalf("a page of 100 holds %d", n)
	}
	seeded := time.Since(start)
	start = time.Now()
	large := measure(t, 10000)
	for sort, q := range small {
		if large[sort] != q {
			t.Errorf("%s: a page read %+v with 100 cases, %+v with 10,000", sort, q, large[sort])
		}
	}
	t.Logf("seeded 9,900 entries in %v; measured in %v; a page of 25 reads %d items at 100 and at 10,000 cases", seeded, time.Since(start), small["newest"].Items)
}

// seedListEntries writes n list entries into the tenant's "all" list,
// modelled on the entry of a case created through the API.
func seedListEntries(t testing.TB, h *harness, tenant string, n int) {
	t.Helper()
	ctx := context.Background()
	allPK := dynamo.CaseViewPK(tenant, "all")
	out, err := h.db.Client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(h.db.Table.Name), KeyConditionExpression: aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(allPK)}, Limit: aws.Int32(1),
	})
	if err != nil || len(out.Items) != 1 {
		t.Fatalf("no entry to model on: %v", err)
	}
	model := out.Items[0]
	var c cases.Case
	if err := dynamo.DecodeData(model, &c); err != nil {
		t.Fatal(err)
	}
	const keyTime = "2006-01-02T15:04:05.000Z"
	base := c.CreatedAt.Add(-time.Duration(n) * time.Minute) // older than every real case
	var batch []types.WriteRequest
	flush := func() {
		for len(batch) > 0 {
			res, err := h.db.Client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
				RequestItems: map[string][]types.WriteRequest{h.db.Table.Name: batch}})
			if err != nil {
				t.Fatal(err)
			}
			batch = res.UnprocessedItems[h.db.Table.Name]
		}
	}
	for i := range n {
		e := c
		e.ID = fmt.Sprintf("bulk%06d", i)
		e.Number = int64(100000 + i)
		e.Title = fmt.Sprintf("Massärende %d", i)
		e.CreatedAt = timestamp.New(base.Add(time.Duration(i) * time.Minute))
		e.UpdatedAt = e.CreatedAt
		e.StartBy = timestamp.New(e.CreatedAt.Add(24 * time.Hour))
		e.ResolveBy = timestamp.New(e.CreatedAt.Add(5 * 24 * time.Hour))
		data, err := dynamo.Data(&e)
		if err != nil {
			t.Fatal(err)
		}
		it := map[string]types.AttributeValue{}
		for k, v := range model {
			it[k] = v
		}
		it[dynamo.AttrSK] = dynamo.S(dynamo.CaseViewSK(e.CreatedAt.Format(keyTime), e.ID))
		it[dynamo.AttrGSI1SK] = dynamo.S(e.UpdatedAt.Format(keyTime) + "#" + e.ID)
		it[dynamo.AttrGSI2SK] = dynamo.S(e.ResolveBy.Format(keyTime) + "#" + e.ID)
		it[dynamo.AttrData] = data
		batch = append(batch, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
		if len(batch) == 25 {
			flush()
		}
	}
	flush()
}

// roundTripMetric reports the DynamoDB requests per operation of a
// benchmark.
func roundTripMetric(b *testing.B, h *harness) {
	b.ReportMetric(float64(h.db.Counter.Total())/float64(b.N), "roundtrips/op")
}

func BenchmarkCreate(b *testing.B) {
	h := newHarness(b)
	w := h.seed(b)
	body := w.validService("Mätning")
	body["customerId"], body["contactId"] = w.custA, w.anna
	h.listIDs(b, "")
	h.db.Counter.Reset()
	b.ResetTimer()
	for range b.N {
		if r := h.Do(&agent, "POST", "/v1/cases", body); r.Status != http.StatusCreated {
			b.Fatalf("create: %d %s", r.Status, r.Raw)
		}
	}
	b.StopTimer()
	roundTripMetric(b, h)
}

func BenchmarkGet(b *testing.B) {
	h := newHarness(b)
	w := h.seed(b)
	id := h.create(b, w.validService("Läsning")).Str("id")
	h.get(b, id)
	h.db.Counter.Reset()
	b.ResetTimer()
	for range b.N {
		if r := h.Do(&agent, "GET", "/v1/cases/"+id, nil); r.Status != http.StatusOK {
			b.Fatalf("get: %d %s", r.Status, r.Raw)
		}
	}
	b.StopTimer()
	roundTripMetric(b, h)
}

func BenchmarkList(b *testing.B) {
	h := newHarness(b)
	h.seed(b)
	for i := range 100 {
		h.clock.Advance(time.Millisecond)
		h.create(b, map[string]any{"title": fmt.Sprintf("Lista %d", i)})
	}
	sorts := []string{"newest", "updated", "urgent"}
	h.listIDs(b, "")
	h.db.Counter.Reset()
	b.ResetTimer()
	for i := range b.N {
		if r := h.Do(&agent, "GET", "/v1/cases?limit=25&sort="+sorts[i%len(sorts)], nil); r.Status != http.StatusOK {
			b.Fatalf("list: %d %s", r.Status, r.Raw)
		}
	}
	b.StopTimer()
	roundTripMetric(b, h)
}

func BenchmarkUpdate(b *testing.B) {
	h := newHarness(b)
	w := h.seed(b)
	id := h.create(b, w.validService("Ändring")).Str("id")
	h.listIDs(b, "")
	h.db.Counter.Reset()
	b.ResetTimer()
	for i := range b.N {
		r := h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"title": fmt.Sprintf("Ändring %d", i)}, ifMatch(int64(i+1))...)
		if r.Status != http.StatusOK {
			b.Fatalf("update: %d %s", r.Status, r.Raw)
		}
	}
	b.StopTimer()
	roundTripMetric(b, h)
}

// benchCases creates 100 cases for a benchmark: every other one open and
// assigned to agent1, every third one of customer A, all with "kran" in
// their title.
func benchCases(b *testing.B, h *harness, w world) {
	for i := range 100 {
		h.clock.Advance(time.Millisecond)
		body := map[string]any{"title": fmt.Sprintf("Läckande kran %d", i)}
		if i%2 == 0 {
			body["statusId"], body["assignees"] = statusOpen, map[string]any{"users": []string{userAgent1}}
		}
		if i%3 == 0 {
			body["customerId"] = w.custA
		}
		h.create(b, body)
	}
	h.listIDs(b, "")
	h.db.Counter.Reset()
}

// benchQueries runs the list queries in turn, b.N times in all.
func benchQueries(b *testing.B, h *harness, queries ...string) {
	b.ResetTimer()
	for i := range b.N {
		if r := h.Do(&agent, "GET", "/v1/cases?"+queries[i%len(queries)], nil); r.Status != http.StatusOK {
			b.Fatalf("list: %d %s", r.Status, r.Raw)
		}
	}
	b.StopTimer()
	roundTripMetric(b, h)
}

// BenchmarkViews: the everyday views, each one Query.
func BenchmarkViews(b *testing.B) {
	h := newHarness(b)
	w := h.seed(b)
	benchCases(b, h, w)
	benchQueries(b, h, "assignee=me&category=open", "customer="+w.custA+"&sort=urgent", "group="+groupSupp+"&category=active&sort=updated",
		"assignee=me&overdue=true", "number=42")
}

// BenchmarkOtherCombination: a combination without a list of its own
// (customer and priority), read from the customer's list.
func BenchmarkOtherCombination(b *testing.B) {
	h := newHarness(b)
	w := h.seed(b)
	benchCases(b, h, w)
	benchQueries(b, h, "customer="+w.custA+"&priority="+prioNormal)
}

// BenchmarkSearch: a word-prefix search, one Query and one BatchGetItem.
func BenchmarkSearch(b *testing.B) {
	h := newHarness(b)
	w := h.seed(b)
	benchCases(b, h, w)
	benchQueries(b, h, "q=kran", "q=läck+kran&category=open", "q=byggbolaget")
}

// BenchmarkAddTask: a task moves the case in its lists: the case read,
// then one transaction.
func BenchmarkAddTask(b *testing.B) {
	h := newHarness(b)
	w := h.seed(b)
	id := h.create(b, w.validService("Uppgifter")).Str("id")
	h.listIDs(b, "")
	h.db.Counter.Reset()
	b.ResetTimer()
	for i := range b.N {
		if r := h.Do(&agent, "POST", "/v1/cases/"+id+"/tasks", map[string]any{"title": fmt.Sprintf("Steg %d", i)}); r.Status != http.StatusCreated {
			b.Fatalf("task: %d %s", r.Status, r.Raw)
		}
	}
	b.StopTimer()
	roundTripMetric(b, h)
}
