//go:build bench

package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// world is the product for the round-trip table: every area on the
// embedded DynamoDB server, counted by the SDK middleware the tests use,
// every route on the real mux behind development tokens, a scheduler
// that counts what it is asked, and a seeded tenant.
type world struct {
	t      testing.TB
	db     *dynamotest.Env
	clock  *apitest.Clock
	api    *apitest.Client
	areas  *wiring.Areas
	ring   *linktoken.Ring
	sched  *countingScheduler
	ids    map[string]string
	failed []string // what did not answer as it should, in the current operation
}

// countingScheduler is the in-process scheduler, counting its calls as
// the counter counts DynamoDB's.
type countingScheduler struct {
	*scheduler.Local
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingScheduler) Create(ctx context.Context, s scheduler.Schedule) error {
	c.count("CreateSchedule")
	return c.Local.Create(ctx, s)
}

func (c *countingScheduler) Delete(ctx context.Context, name string) error {
	c.count("DeleteSchedule")
	return c.Local.Delete(ctx, name)
}

func (c *countingScheduler) count(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[op]++
}

func (c *countingScheduler) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = map[string]int{}
	return out
}

var (
	admin  = apitest.Admin
	agent  = apitest.Agent
	agent2 = identity.Principal{Tenant: "acme", User: "agent2", Roles: []identity.Role{identity.Agent}}
)

func newWorld(t testing.TB) *world {
	t.Helper()
	db := dynamotest.New(t)
	clock := apitest.NewClock(time.Date(2026, 11, 26, 9, 0, 5, 0, time.UTC))
	ring := linktoken.Generate("bench")
	log := discardLog()
	sched := &countingScheduler{Local: scheduler.NewLocal(clock.Now, log), calls: map[string]int{}}
	areas := wiring.New(db.Table, clock.Now, wiring.WithLinks(conversations.Links{Ring: ring, BaseURL: "https://api.example"}),
		wiring.WithScheduler(sched, log))
	sched.Target(areas.Recurring.Handle)
	w := &world{t: t, db: db, clock: clock, api: apitest.NewClient(t, clock, areas.AllRoutes()), areas: areas, ring: ring,
		sched: sched, ids: map[string]string{}}
	w.seed()
	return w
}

// do sends a request, noting an answer other than want.
func (w *world) do(p *identity.Principal, method, path string, body any, want int, headers ...string) apitest.Response {
	w.t.Helper()
	r := w.api.Do(p, method, path, body, headers...)
	if r.Status != want {
		w.failed = append(w.failed, fmt.Sprintf("%s %s: %d, want %d: %s", method, path, r.Status, want, strings.Join(strings.Fields(string(r.Raw)), " ")))
	}
	return r
}

// cost runs f and answers the calls it made: DynamoDB's and the
// scheduler's.
func (w *world) cost(f func()) map[string]int {
	w.warm()
	w.db.Counter.Reset()
	w.sched.take()
	f()
	got := w.db.Counter.Snapshot()
	maps.Copy(got, w.sched.take())
	return got
}

// warm reads the settings, so that the instance holds them.
func (w *world) warm() { w.api.Do(&admin, "GET", "/v1/settings/general", nil) }

// cold lets the settings cache lapse.
func (w *world) cold() { w.clock.Advance(wiring.SettingsCacheTTL + time.Second) }

func (w *world) version(path string) []string {
	return apitest.IfMatch(w.api.Do(&admin, "GET", path, nil).Version())
}

// seed gives the tenant acme what the operations work on, through the
// API: its directory, a field, a form and a case type that gives it to
// the customer, two customers with contacts, an order, a case of the
// first customer with a task, a time report, messages and a link, thirty
// more cases for the lists, an API key and a recurring-case definition.
func (w *world) seed() {
	t := w.t
	if err := importStaff(w.areas.Settings); err != nil {
		t.Fatal(err)
	}
	post := func(p *identity.Principal, path string, body any) apitest.Response {
		return w.api.Do(p, "POST", path, body).Must(t, http.StatusCreated)
	}
	w.ids["field"] = post(&admin, "/v1/settings/case-type-fields", map[string]any{"name": "Adress", "kind": "text"}).Str("id")
	w.ids["form"] = post(&admin, "/v1/settings/forms", map[string]any{"name": "Servicebesök värmepump",
		"sections": []map[string]any{{"key": "unit", "title": "Aggregatet"}},
		"questions": []map[string]any{{"key": "model", "label": "Modell", "kind": "text", "section": "unit"},
			{"key": "fault", "label": "Vad händer?", "kind": "dropdown", "options": []string{"Larmar", "Låter"}, "section": "unit"}}}).Str("id")
	spare := post(&admin, "/v1/settings/forms", map[string]any{"name": "Reserv", "questions": []map[string]any{{"key": "x", "label": "X", "kind": "text"}}})
	w.ids["spareForm"] = spare.Str("id")
	ct := post(&admin, "/v1/settings/case-types", map[string]any{"name": "Felanmälan", "visibleInPortal": true, "selectableInPortal": true,
		"assignees":   map[string]any{"groups": []string{"support"}},
		"fields":      []map[string]any{{"fieldId": w.ids["field"], "filledBy": "customer"}},
		"defaultForm": map[string]any{"formId": w.ids["form"], "filledBy": "customer"}})
	w.ids["type"], w.ids["apiId"] = ct.Str("id"), ct.Str("apiId")
	w.ids["serviceType"] = post(&admin, "/v1/settings/case-types", map[string]any{"name": "Service",
		"defaultForm": map[string]any{"formId": w.ids["form"], "filledBy": "staff", "requiredBeforeClose": true}}).Str("id")
	a := post(&admin, "/v1/customers", map[string]any{"name": "Bostadsbolaget Norr AB", "kind": "company",
		"contacts": []map[string]any{{"name": "Karin Lund", "email": "karin.lund@bostadnorr.example"}, {"name": "Olle Berg", "email": "olle@bostadnorr.example"}}})
	w.ids["custA"], w.ids["karin"], w.ids["olle"] = a.Str("id"), a.List("contacts")[0]["id"].(string), a.List("contacts")[1]["id"].(string)
	b := post(&admin, "/v1/customers", map[string]any{"name": "Maja Persson", "kind": "person",
		"contacts": []map[string]any{{"name": "Maja Persson", "email": "maja.persson@example.se"}}})
	w.ids["custB"], w.ids["maja"] = b.Str("id"), b.List("contacts")[0]["id"].(string)
	w.ids["order"] = post(&admin, "/v1/orders", map[string]any{"number": "SO-1042", "title": "Service", "customerId": w.ids["custA"]}).Str("id")
	w.ids["spareOrder"] = post(&admin, "/v1/orders", map[string]any{"number": "SO-1043", "title": "Reserv", "customerId": w.ids["custA"]}).Str("id")
	c := post(&agent, "/v1/cases", w.caseBody("Värmepumpen larmar"))
	w.ids["case"], w.ids["number"], w.ids["epoch"] = c.Str("id"), fmt.Sprint(c.Num("number")), fmt.Sprint(c.Num("linkEpoch"))
	for i := range 30 {
		post(&agent, "/v1/cases", map[string]any{"title": fmt.Sprintf("Värmepump nummer %d", i), "customerId": w.ids["custA"],
			"assignees": map[string]any{"users": []string{"agent1"}}})
	}
	path := "/v1/cases/" + w.ids["case"]
	w.ids["task"] = post(&agent, path+"/tasks", map[string]any{"title": "Ring kunden"}).Str("id")
	w.ids["time"] = post(&agent, path+"/time-reports", map[string]any{"date": "2026-11-26", "minutes": 30}).Str("id")
	post(&agent, path+"/messages", map[string]any{"body": "Vi kommer på torsdag."})
	for range 3 { // mentions: agent2's inbox has more than a page of one
		post(&agent, path+"/comments", map[string]any{"body": "@[Arvid Agent](user:agent2) ser du?"})
	}
	w.ids["apiKey"] = post(&admin, "/v1/settings/api-keys", map[string]any{"name": "Webb", "rateLimitPerMinute": 1000,
		"origins": []string{"https://www.example.se"}}).Str("key")
	w.ids["definition"] = post(&admin, "/v1/settings/recurring-cases", w.definition("Morgonkoll", "")).Str("id")
}

func (w *world) caseBody(title string) map[string]any {
	return map[string]any{"title": title, "typeId": w.ids["type"], "customerId": w.ids["custA"], "contactId": w.ids["karin"],
		"assignees": map[string]any{"users": []string{"agent1"}, "groups": []string{"support"}}, "linkedOrderId": w.ids["order"],
		"fields": map[string]any{w.ids["field"]: "Storgatan 1"}}
}

func (w *world) definition(name, customer string) map[string]any {
	c := map[string]any{"title": name + " {{occurrence.date}}", "priorityId": "priority-high"}
	if customer != "" {
		c["customerId"] = customer
	}
	return map[string]any{"name": name, "active": true, "rule": "FREQ=DAILY", "start": "2026-11-27T07:00", "case": c}
}

// token is a link to the case's page for its contact, expiring in d.
func (w *world) token(d time.Duration) string {
	var epoch int64
	fmt.Sscan(w.ids["epoch"], &epoch)
	tok, err := w.ring.Seal(linktoken.Claims{Tenant: "acme", Case: w.ids["case"], Contact: w.ids["karin"], Epoch: epoch,
		Expires: w.clock.Now().Add(d), Locale: "sv"})
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

func (w *world) portal() *identity.Principal {
	return &identity.Principal{Tenant: "acme", User: "cust1", Roles: []identity.Role{identity.Customer}, Customer: w.ids["custA"]}
}

// measure is one measured operation of a row of the README's table:
// what the README says it costs (want) and what it is.
type measure struct {
	row, name string
	want      map[string]int // nil: any one call
	run       func(w *world) map[string]int
}

// one is a measure of a single request.
func one(row, name string, want map[string]int, p func(w *world) *identity.Principal, method string, path func(w *world) string,
	body func(w *world) any, status int, headers ...func(w *world) []string) measure {
	return measure{row: row, name: name, want: want, run: func(w *world) map[string]int {
		var h []string
		for _, f := range headers {
			h = append(h, f(w)...)
		}
		var b any
		if body != nil {
			b = body(w)
		}
		pp := path(w)
		return w.cost(func() { w.do(p(w), method, pp, b, status, h...) })
	}}
}

func asAdmin(*world) *identity.Principal  { return &admin }
func asAgent(*world) *identity.Principal  { return &agent }
func asNobody(*world) *identity.Principal { return nil }
func asAgent2(*world) *identity.Principal { return &agent2 }
func casePath(suffix string) func(w *world) string {
	return func(w *world) string { return "/v1/cases/" + w.ids["case"] + suffix }
}
func fixed(s string) func(*world) string {
	return func(w *world) string { return strings.ReplaceAll(s, "CUSTA", w.ids["custA"]) }
}
func ifMatch(path func(w *world) string) func(w *world) []string {
	return func(w *world) []string { return w.version(path(w)) }
}

type calls = map[string]int

const (
	rowReadSetting   = "read any setting"
	rowChangeSetting = "change a setting"
	rowGetCase       = "get a case with its tasks"
	rowListPage      = "a page of a case list: all, or assignee (a user or `me`), group or customer alone or with category, or status, category, type or priority alone; any sort, overdue"
	rowNumber        = "look up a case by number (`number=`)"
	rowCombination   = "a page of another combination of filters (e.g. assignee and group, status and type)"
	rowSearch        = "a search page (`q=`, with category or other filters)"
	rowCreate        = "create a case (number, tasks, event, list and search entries, order checks, mail)"
	rowUpdate        = "update a case, close it (with its order and mail), delete"
	rowSwitch        = "switch customer"
	rowComment       = "a comment with two mentions (notifications and mails included)"
	rowAddTask       = "add a task (it moves the case in its lists)"
	rowChangeWork    = "change or delete a task, change or delete a time report"
	rowReportTime    = "report time"
	rowRename        = "rename a customer or a contact"
	rowEvents        = "an event-log page"
	rowInbox         = "inbox with unread count (first page)"
	rowInboxLater    = "a later inbox page (its read-up-to mark too)"
	rowCustomer      = "get a customer, a page of customers or orders"
	rowStaffMessage  = "a staff message (message, event, activity, mail)"
	rowConversation  = "a page of the conversation (staff or portal)"
	rowLinkPage      = "the customer's page of a link (`GET /c/{token}`), with the case's form or without"
	rowReply         = "a customer's reply (page or portal; notifications, mails, a reopening included)"
	rowFreshLink     = "a fresh link for an expired one, revoke a case's links"
	rowCaseForm      = "a case's form (staff, portal)"
	rowSaveForm      = "save answers to a case's form (staff, portal, the customer's page; event and activity included)"
	rowCloseForm     = "close a case whose form must be submitted first"
	rowDeleteForm    = "delete a form"
	rowDefinition    = "create, change, pause or delete a recurring-case definition"
	rowRuns          = "a definition's runs, a preview"
	rowDeleteDir     = "delete a customer or an order, remove a contact"
	rowTrigger       = "a recurring trigger that makes its case"
	rowSLA           = "an SLA alert"
	rowIntakeCreate  = "website intake: create a case (a contact matched or not, with an Idempotency-Key or not, with the answers of its form or not)"
	rowIntakeReplay  = "website intake: a replay, a honeypot, a refused form (400, 403, 422)"
	rowIntakeForm    = "website intake: the form of a case type"
	rowPreflight     = "website intake: a CORS preflight"
	rowPortalTypes   = "portal: the case types"
	rowPortalCases   = "portal: a page of the customer's cases, one case"
	rowPortalCreate  = "portal: register a case"
	rowAPIKeys       = "API keys: list, read / make / delete"
)

// measures are the operations of the README's cost table, in its order.
func measures() []measure {
	tx := calls{"TransactWriteItems": 1}
	getTx := calls{"GetItem": 1, "TransactWriteItems": 1}
	queryTx := calls{"Query": 1, "TransactWriteItems": 1}
	q1 := calls{"Query": 1}
	list := func(name, query string) measure {
		return one(rowListPage, name, q1, asAgent, "GET", fixed("/v1/cases?"+query), nil, http.StatusOK)
	}
	ms := []measure{
		one(rowReadSetting, "warm", calls{}, asAgent, "GET", fixed("/v1/settings/statuses"), nil, http.StatusOK),
		{row: rowReadSetting, name: "cold", want: q1, run: func(w *world) map[string]int {
			return w.cost(func() { w.cold(); w.do(&agent, "GET", "/v1/settings/statuses", nil, http.StatusOK) })
		}},
		one(rowChangeSetting, "a status's colour", tx, asAdmin, "PATCH", fixed("/v1/settings/statuses/status-waiting"),
			func(*world) any { return map[string]any{"color": "#6A1B9A"} }, http.StatusOK, ifMatch(fixed("/v1/settings/statuses/status-waiting"))),
		one(rowGetCase, "warm", q1, asAgent, "GET", casePath(""), nil, http.StatusOK),
		{row: rowGetCase, name: "cold: the settings beside it, at once", want: calls{"Query": 2}, run: func(w *world) map[string]int {
			return w.cost(func() { w.cold(); w.do(&agent, "GET", "/v1/cases/"+w.ids["case"], nil, http.StatusOK) })
		}},
		list("all", "limit=10"), list("assignee=me&category=open", "assignee=me&category=open"),
		list("customer, most urgent first", "customer=CUSTA&sort=urgent"), list("group, active, recently updated", "group=support&category=active&sort=updated"),
		list("status", "status=status-new"), list("overdue", "overdue=true"),
		one(rowNumber, "", q1, asAgent, "GET", func(w *world) string { return "/v1/cases?number=" + w.ids["number"] }, nil, http.StatusOK),
		one(rowCombination, "customer and priority", q1, asAgent, "GET", fixed("/v1/cases?customer=CUSTA&priority=priority-normal"), nil, http.StatusOK),
		one(rowSearch, "q=värmepump", calls{"Query": 1, "BatchGetItem": 1}, asAgent, "GET", fixed("/v1/cases?q=v%C3%A4rmepump&limit=10"), nil, http.StatusOK),
		one(rowSearch, "nothing found", q1, asAgent, "GET", fixed("/v1/cases?q=zzzz"), nil, http.StatusOK),
		one(rowCreate, "title only", calls{"UpdateItem": 1, "TransactWriteItems": 1}, asAgent, "POST", fixed("/v1/cases"),
			func(*world) any { return map[string]any{"title": "Enkel"} }, http.StatusCreated),
		one(rowCreate, "with customer, contact, order, type, form", calls{"UpdateItem": 1, "GetItem": 1, "TransactWriteItems": 1}, asAgent, "POST",
			fixed("/v1/cases"), func(w *world) any { return w.caseBody("Mätt") }, http.StatusCreated),
		one(rowUpdate, "update", getTx, asAgent, "PATCH", casePath(""), func(*world) any { return map[string]any{"title": "Värmepumpen larmar igen"} },
			http.StatusOK, ifMatch(casePath(""))),
		{row: rowUpdate, name: "close, completing its order", want: getTx, run: func(w *world) map[string]int {
			id := w.api.Do(&agent, "POST", "/v1/cases", w.caseBody("Stängs")).Str("id")
			return w.cost(func() {
				w.do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": "status-closed"}, http.StatusOK, apitest.IfMatch(1)...)
			})
		}},
		{row: rowUpdate, name: "delete", want: getTx, run: func(w *world) map[string]int {
			id := w.api.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Raderas"}).Str("id")
			return w.cost(func() { w.do(&admin, "DELETE", "/v1/cases/"+id, nil, http.StatusNoContent, apitest.IfMatch(1)...) })
		}},
		{row: rowSwitch, want: calls{"GetItem": 2, "TransactWriteItems": 1}, run: func(w *world) map[string]int {
			id := w.api.Do(&agent, "POST", "/v1/cases", w.caseBody("Byter kund")).Str("id")
			return w.cost(func() {
				w.do(&agent, "POST", "/v1/cases/"+id+"/customer", map[string]any{"customerId": w.ids["custB"], "contactId": w.ids["maja"]},
					http.StatusOK, apitest.IfMatch(1)...)
			})
		}},
		one(rowComment, "", getTx, asAgent, "POST", casePath("/comments"), func(*world) any {
			return map[string]any{"body": "@[Agnes Agent](user:agent1) och @[Arvid Agent](user:agent2), kan ni ta med en givare?"}
		}, http.StatusCreated),
		one(rowAddTask, "", getTx, asAgent, "POST", casePath("/tasks"), func(*world) any { return map[string]any{"title": "Beställ givare"} }, http.StatusCreated),
		one(rowChangeWork, "change a task", queryTx, asAgent, "PATCH", func(w *world) string { return "/v1/cases/" + w.ids["case"] + "/tasks/" + w.ids["task"] },
			func(*world) any { return map[string]any{"done": true} }, http.StatusOK, func(*world) []string { return apitest.IfMatch(1) }),
		one(rowChangeWork, "change a time report", queryTx, asAgent, "PATCH", func(w *world) string { return "/v1/cases/" + w.ids["case"] + "/time-reports/" + w.ids["time"] },
			func(*world) any { return map[string]any{"minutes": 45} }, http.StatusOK, func(*world) []string { return apitest.IfMatch(1) }),
		one(rowChangeWork, "delete a task", queryTx, asAgent, "DELETE", func(w *world) string { return "/v1/cases/" + w.ids["case"] + "/tasks/" + w.ids["task"] },
			nil, http.StatusNoContent, func(*world) []string { return apitest.IfMatch(2) }),
		one(rowChangeWork, "delete a time report", queryTx, asAgent, "DELETE", func(w *world) string { return "/v1/cases/" + w.ids["case"] + "/time-reports/" + w.ids["time"] },
			nil, http.StatusNoContent, func(*world) []string { return apitest.IfMatch(2) }),
		one(rowReportTime, "", getTx, asAgent, "POST", casePath("/time-reports"),
			func(*world) any { return map[string]any{"date": "2026-11-26", "minutes": 15} }, http.StatusCreated),
		{row: rowRename, name: "a customer with one case", want: calls{"GetItem": 2, "TransactWriteItems": 2, "Query": 1, "BatchGetItem": 1}, run: func(w *world) map[string]int {
			cu := w.api.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Gamla Namnet AB", "kind": "company"})
			w.api.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Namnbyte", "customerId": cu.Str("id")})
			return w.cost(func() {
				w.do(&admin, "PATCH", "/v1/customers/"+cu.Str("id"), map[string]any{"name": "Nya Namnet AB"}, http.StatusOK, apitest.IfMatch(cu.Version())...)
			})
		}},
		one(rowEvents, "", calls{"GetItem": 1, "Query": 1}, asAgent, "GET", casePath("/events"), nil, http.StatusOK),
		one(rowInbox, "", q1, asAgent2, "GET", fixed("/v1/notifications"), nil, http.StatusOK),
		{row: rowInboxLater, want: calls{"Query": 1, "GetItem": 1}, run: func(w *world) map[string]int {
			next := w.api.Do(&agent2, "GET", "/v1/notifications?limit=1", nil).Str("next")
			return w.cost(func() {
				w.do(&agent2, "GET", "/v1/notifications?limit=1&cursor="+url.QueryEscape(next), nil, http.StatusOK)
			})
		}},
		one(rowCustomer, "a customer", nil, asAgent, "GET", func(w *world) string { return "/v1/customers/" + w.ids["custA"] }, nil, http.StatusOK),
		one(rowCustomer, "a page of customers", nil, asAgent, "GET", fixed("/v1/customers"), nil, http.StatusOK),
		one(rowCustomer, "a page of orders", nil, asAgent, "GET", fixed("/v1/orders"), nil, http.StatusOK),
		one(rowStaffMessage, "", calls{"GetItem": 2, "TransactWriteItems": 1}, asAgent, "POST", casePath("/messages"),
			func(*world) any { return map[string]any{"body": "Teknikern är på väg."} }, http.StatusCreated),
		one(rowConversation, "staff", calls{"GetItem": 1, "Query": 1}, asAgent, "GET", casePath("/messages"), nil, http.StatusOK),
		one(rowConversation, "portal", calls{"GetItem": 1, "Query": 1}, (*world).portal, "GET", func(w *world) string {
			return "/v1/portal/cases/" + w.ids["case"] + "/messages"
		}, nil, http.StatusOK),
		one(rowLinkPage, "with its form", calls{"BatchGetItem": 1, "Query": 1}, asNobody, "GET", func(w *world) string { return "/c/" + w.token(time.Hour) }, nil, http.StatusOK),
		{row: rowLinkPage, name: "cold: the settings beside them, at once", want: calls{"BatchGetItem": 1, "Query": 2}, run: func(w *world) map[string]int {
			tok := w.token(time.Hour)
			return w.cost(func() { w.cold(); w.do(nil, "GET", "/c/"+tok, nil, http.StatusOK) })
		}},
		one(rowLinkPage, "tampered", calls{}, asNobody, "GET", func(w *world) string { return "/c/" + w.token(time.Hour) + "x" }, nil, http.StatusNotFound),
		{row: rowLinkPage, name: "expired", want: calls{"GetItem": 1}, run: func(w *world) map[string]int {
			tok := w.token(time.Minute)
			return w.cost(func() {
				w.clock.Advance(2 * time.Minute)
				w.warm()
				w.db.Counter.Reset()
				w.do(nil, "GET", "/c/"+tok, nil, http.StatusGone)
			})
		}},
		{row: rowReply, name: "on the page", want: getTx, run: func(w *world) map[string]int {
			tok := w.token(time.Hour)
			binding, _ := w.ring.Binding(tok)
			form := url.Values{"binding": {binding}, "body": {"Tack, det passar bra."}}.Encode()
			return w.cost(func() {
				w.do(nil, "POST", "/c/"+tok, form, http.StatusSeeOther, "Content-Type", "application/x-www-form-urlencoded")
			})
		}},
		one(rowReply, "in the portal", getTx, (*world).portal, "POST", func(w *world) string { return "/v1/portal/cases/" + w.ids["case"] + "/messages" },
			func(*world) any { return map[string]any{"body": "Går det att komma på fredag?"} }, http.StatusCreated),
		{row: rowFreshLink, name: "a fresh link", want: getTx, run: func(w *world) map[string]int {
			tok := w.token(time.Minute)
			return w.cost(func() {
				w.clock.Advance(2 * time.Minute)
				w.warm()
				w.db.Counter.Reset()
				w.do(nil, "POST", "/c/"+tok+"/link", "", http.StatusSeeOther, "Content-Type", "application/x-www-form-urlencoded")
			})
		}},
		{row: rowFreshLink, name: "revoke", want: getTx, run: func(w *world) map[string]int {
			defer func() {
				w.ids["epoch"] = fmt.Sprint(w.api.Do(&agent, "GET", "/v1/cases/"+w.ids["case"], nil).Num("linkEpoch"))
			}()
			return w.cost(func() { w.do(&agent, "DELETE", "/v1/cases/"+w.ids["case"]+"/links", nil, http.StatusNoContent) })
		}},
		one(rowCaseForm, "staff", calls{"BatchGetItem": 1}, asAgent, "GET", casePath("/form"), nil, http.StatusOK),
		one(rowCaseForm, "portal", calls{"BatchGetItem": 1}, (*world).portal, "GET", func(w *world) string { return "/v1/portal/cases/" + w.ids["case"] + "/form" }, nil, http.StatusOK),
		{row: rowSaveForm, name: "staff", want: calls{"BatchGetItem": 1, "TransactWriteItems": 1}, run: func(w *world) map[string]int {
			v := w.api.Do(&agent, "GET", "/v1/cases/"+w.ids["case"]+"/form", nil).Version()
			return w.cost(func() {
				w.do(&agent, "PUT", "/v1/cases/"+w.ids["case"]+"/form", map[string]any{"version": v, "answers": map[string]any{"model": "Nibe F1255"}}, http.StatusOK)
			})
		}},
		{row: rowSaveForm, name: "one that changes nothing", want: calls{"BatchGetItem": 1}, run: func(w *world) map[string]int {
			v := w.api.Do(&agent, "GET", "/v1/cases/"+w.ids["case"]+"/form", nil).Version()
			return w.cost(func() {
				w.do(&agent, "PUT", "/v1/cases/"+w.ids["case"]+"/form", map[string]any{"version": v, "answers": map[string]any{"model": "Nibe F1255"}}, http.StatusOK)
			})
		}},
		{row: rowCloseForm, name: "submitted: closed", want: getTx, run: func(w *world) map[string]int { return w.closeWithForm(true) }},
		{row: rowCloseForm, name: "not submitted: refused (409)", want: calls{"GetItem": 2, "TransactWriteItems": 1},
			run: func(w *world) map[string]int { return w.closeWithForm(false) }},
		one(rowDeleteForm, "", calls{"Query": 1, "TransactWriteItems": 1}, asAdmin, "DELETE", func(w *world) string { return "/v1/settings/forms/" + w.ids["spareForm"] },
			nil, http.StatusNoContent, ifMatch(func(w *world) string { return "/v1/settings/forms/" + w.ids["spareForm"] })),
		one(rowDefinition, "create", tx, asAdmin, "POST", fixed("/v1/settings/recurring-cases"), func(w *world) any { return w.definition("Kvällskoll", "") }, http.StatusCreated),
		one(rowDefinition, "pause", tx, asAdmin, "PATCH", func(w *world) string { return "/v1/settings/recurring-cases/" + w.ids["definition"] },
			func(*world) any { return map[string]any{"active": false} }, http.StatusOK, ifMatch(func(w *world) string { return "/v1/settings/recurring-cases/" + w.ids["definition"] })),
		one(rowDefinition, "resume", tx, asAdmin, "PATCH", func(w *world) string { return "/v1/settings/recurring-cases/" + w.ids["definition"] },
			func(*world) any { return map[string]any{"active": true} }, http.StatusOK, ifMatch(func(w *world) string { return "/v1/settings/recurring-cases/" + w.ids["definition"] })),
		one(rowRuns, "a preview", calls{}, asAdmin, "GET", func(w *world) string {
			return "/v1/settings/recurring-cases/" + w.ids["definition"] + "/preview?count=5"
		}, nil, http.StatusOK),
		one(rowRuns, "a page of runs", q1, asAdmin, "GET", func(w *world) string { return "/v1/settings/recurring-cases/" + w.ids["definition"] + "/runs" }, nil, http.StatusOK),
		one(rowDeleteDir, "delete an order (a case using it? the settings, fresh)", calls{"Query": 2, "GetItem": 1, "TransactWriteItems": 1}, asAdmin, "DELETE", func(w *world) string { return "/v1/orders/" + w.ids["spareOrder"] },
			nil, http.StatusNoContent, ifMatch(func(w *world) string { return "/v1/orders/" + w.ids["spareOrder"] })),
		{row: rowTrigger, name: "without a customer", want: calls{"Query": 1, "UpdateItem": 1, "TransactWriteItems": 2, "GetItem": 1, "CreateSchedule": 1}, run: func(w *world) map[string]int {
			return w.trigger("")
		}},
		{row: rowTrigger, name: "with a customer", want: calls{"Query": 1, "UpdateItem": 1, "TransactWriteItems": 2, "GetItem": 2, "CreateSchedule": 1}, run: func(w *world) map[string]int {
			return w.trigger(w.ids["custB"])
		}},
		{row: rowSLA, name: "warm", want: getTx, run: func(w *world) map[string]int { return w.sla(false) }},
		{row: rowSLA, name: "cold", want: calls{"GetItem": 1, "Query": 1, "TransactWriteItems": 1}, run: func(w *world) map[string]int { return w.sla(true) }},
		{row: rowIntakeCreate, name: "an unknown sender", want: calls{"BatchGetItem": 1, "UpdateItem": 1, "TransactWriteItems": 1}, run: func(w *world) map[string]int {
			return w.external("rita@example.se", "")
		}},
		{row: rowIntakeCreate, name: "a contact, an Idempotency-Key", want: calls{"BatchGetItem": 1, "UpdateItem": 1, "TransactWriteItems": 1}, run: func(w *world) map[string]int {
			return w.external("karin.lund@bostadnorr.example", "k1")
		}},
		{row: rowIntakeReplay, name: "a replay", want: calls{"BatchGetItem": 1, "UpdateItem": 1}, run: func(w *world) map[string]int {
			return w.external("karin.lund@bostadnorr.example", "k1")
		}},
		one(rowIntakeForm, "", calls{"UpdateItem": 1}, asNobody, "GET", func(w *world) string { return "/v1/external/case-types/" + w.ids["apiId"] }, nil, http.StatusOK,
			func(w *world) []string { return []string{"X-Api-Key", w.ids["apiKey"]} }),
		one(rowPreflight, "", calls{"GetItem": 1}, asNobody, "OPTIONS", fixed("/v1/external/cases"), nil, http.StatusNoContent,
			func(*world) []string {
				return []string{"Origin", "https://www.example.se", "Access-Control-Request-Method", "POST"}
			}),
		one(rowPortalTypes, "", calls{}, (*world).portal, "GET", fixed("/v1/portal/case-types"), nil, http.StatusOK),
		one(rowPortalCases, "a page", q1, (*world).portal, "GET", fixed("/v1/portal/cases"), nil, http.StatusOK),
		one(rowPortalCases, "one case", calls{"GetItem": 1}, (*world).portal, "GET", func(w *world) string { return "/v1/portal/cases/" + w.ids["case"] }, nil, http.StatusOK),
		one(rowPortalCreate, "", calls{"UpdateItem": 1, "GetItem": 1, "TransactWriteItems": 1}, (*world).portal, "POST", fixed("/v1/portal/cases"),
			func(w *world) any {
				return map[string]any{"title": "Droppande kran", "typeId": w.ids["type"], "fields": map[string]any{w.ids["field"]: "Tvättstugan"}}
			}, http.StatusCreated),
		one(rowAPIKeys, "list", q1, asAdmin, "GET", fixed("/v1/settings/api-keys"), nil, http.StatusOK),
		{row: rowAPIKeys, name: "read, make, delete", want: calls{"GetItem": 2, "Query": 1, "TransactWriteItems": 2}, run: func(w *world) map[string]int {
			return w.cost(func() {
				k := w.do(&admin, "POST", "/v1/settings/api-keys", map[string]any{"name": "Server"}, http.StatusCreated)
				w.do(&admin, "GET", "/v1/settings/api-keys/"+k.Str("id"), nil, http.StatusOK)
				w.do(&admin, "DELETE", "/v1/settings/api-keys/"+k.Str("id"), nil, http.StatusNoContent, apitest.IfMatch(1)...)
			})
		}},
	}
	return ms
}

// closeWithForm makes a case whose form must be submitted before it
// closes, submits it or not, and answers what closing it costs.
func (w *world) closeWithForm(submit bool) map[string]int {
	id := w.api.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Service med protokoll", "typeId": w.ids["serviceType"]}).Str("id")
	v := int64(1)
	if submit {
		f := w.api.Do(&agent, "PUT", "/v1/cases/"+id+"/form", map[string]any{"version": 1, "answers": map[string]any{"model": "Nibe F1255"}, "submitted": true})
		if f.Status != http.StatusOK {
			w.failed = append(w.failed, "submit: "+string(f.Raw))
		}
		v = w.api.Do(&agent, "GET", "/v1/cases/"+id, nil).Version()
	}
	want := http.StatusConflict
	if submit {
		want = http.StatusOK
	}
	return w.cost(func() {
		w.do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": "status-closed"}, want, apitest.IfMatch(v)...)
	})
}

// trigger defines a daily case (of customer, when not empty), and
// answers what its next occurrence's trigger costs.
func (w *world) trigger(customer string) map[string]int {
	d := w.api.Do(&admin, "POST", "/v1/settings/recurring-cases", w.definition("Koll "+customer, customer))
	if d.Status != http.StatusCreated {
		w.failed = append(w.failed, "define: "+string(d.Raw))
		return nil
	}
	at := d.Obj("next")["at"].(string)
	when, _ := time.Parse(time.RFC3339, at)
	if w.clock.Now().Before(when) {
		w.clock.Advance(when.Sub(w.clock.Now()))
	}
	ev, _ := json.Marshal(map[string]any{"kind": "occurrence", "tenant": "acme", "definitionId": d.Str("id"), "scheduledFor": at})
	return w.cost(func() {
		if err := w.areas.Recurring.Handle(context.Background(), ev); err != nil {
			w.failed = append(w.failed, "trigger: "+err.Error())
		}
	})
}

// sla makes a case whose resolve target passes, and answers what its
// alert costs (cold: the settings not held).
func (w *world) sla(cold bool) map[string]int {
	c := w.api.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "SLA", "priorityId": "priority-urgent",
		"assignees": map[string]any{"users": []string{"agent1"}}})
	due := c.Str("resolveBy")
	when, _ := time.Parse(time.RFC3339, due)
	w.clock.Advance(when.Sub(w.clock.Now()) + time.Minute)
	ev, _ := json.Marshal(map[string]any{"kind": "sla", "tenant": "acme", "caseId": c.Str("id"), "target": "resolve", "due": due})
	return w.cost(func() {
		if cold {
			w.cold()
		}
		if err := w.areas.Recurring.Handle(context.Background(), ev); err != nil {
			w.failed = append(w.failed, "alert: "+err.Error())
		}
	})
}

// external answers what a website's case costs, from sender, with an
// Idempotency-Key when key is not empty.
func (w *world) external(sender, key string) map[string]int {
	headers := []string{"X-Api-Key", w.ids["apiKey"], "Origin", "https://www.example.se"}
	if key != "" {
		headers = append(headers, "Idempotency-Key", key)
	}
	body := map[string]any{"apiId": w.ids["apiId"], "title": "Läcka i köket", "description": "Det droppar.",
		"contact": map[string]any{"name": "Rita Rask", "email": sender}, "fields": map[string]any{w.ids["field"]: "Storgatan 1"}}
	return w.cost(func() { w.do(nil, "POST", "/v1/external/cases", body, http.StatusCreated, headers...) })
}

// readmeRows are the rows of the README's cost table, in its order:
// operation → what it says.
func readmeRows(t testing.TB) ([]string, map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "\n## What an operation costs")
	if !ok {
		t.Fatal("README.md has no section What an operation costs")
	}
	if end := strings.Index(rest, "\n## "); end >= 0 {
		rest = rest[:end]
	}
	var order []string
	says := map[string]string{}
	for _, line := range strings.Split(rest, "\n") {
		cells := strings.Split(strings.TrimSpace(line), " | ")
		if len(cells) != 2 || !strings.HasPrefix(cells[0], "| ") || strings.HasPrefix(cells[0], "| ---") || cells[0] == "| operation" {
			continue
		}
		op := strings.TrimPrefix(cells[0], "| ")
		order = append(order, op)
		says[op] = strings.TrimSuffix(cells[1], " |")
	}
	return order, says
}

// roundTripReport measures every operation and writes the table: each row
// of the README's cost table with what was measured of it, or that the
// bench does not measure it.
func roundTripReport(t *testing.T, out io.Writer) {
	order, says := readmeRows(t)
	byRow := map[string][]measure{}
	for _, m := range measures() {
		if _, ok := says[m.row]; !ok {
			t.Errorf("the bench measures %q, which the README's cost table does not have", m.row)
		}
		byRow[m.row] = append(byRow[m.row], m)
	}
	w := newWorld(t)
	fmt.Fprintf(out, "\nDynamoDB round trips per operation: every row of the README's cost table, measured through the real mux on the embedded\n"+
		"server by the SDK middleware the tests use (settings warm unless cold is said)\n\n")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "operation (README)\tmeasured\tcalls\tround trips\tas the README says")
	bad := 0
	for _, row := range order {
		ms := byRow[row]
		if len(ms) == 0 {
			fmt.Fprintf(tw, "%s\t—\t\t\tnot measured by the bench\n", short(row))
			continue
		}
		for i, m := range ms {
			label := ""
			if i == 0 {
				label = short(row)
			}
			w.failed = nil
			got := m.run(w)
			verdict := "yes"
			switch {
			case len(w.failed) > 0:
				verdict = "FAILED: " + strings.Join(w.failed, "; ")
				bad++
			case m.want == nil && total(got) != 1, m.want != nil && !maps.Equal(nonzero(got), nonzero(m.want)):
				verdict = "NO: the README says " + says[row]
				bad++
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", label, m.name, format(got), total(got), verdict)
		}
	}
	tw.Flush()
	if bad > 0 {
		t.Errorf("%d measured operations differ from the README or failed", bad)
	}
}

func short(s string) string {
	if r := []rune(s); len(r) > 58 {
		return string(r[:57]) + "…"
	}
	return s
}

func nonzero(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// format is calls as "Query 1, TransactWriteItems 1", the DynamoDB
// calls first.
func format(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(nonzero(m)))
	if len(keys) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }
