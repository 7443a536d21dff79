package recurring_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/recurring"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// env is every area on the embedded DynamoDB, with the in-process
// scheduler standing in for EventBridge Scheduler, the clock in the
// test's hand, and the table's stream played by hand (stream).
type env struct {
	*apitest.Client
	t     *testing.T
	db    *dynamotest.Env
	clock *apitest.Clock
	areas *wiring.Areas
	sched *scheduler.Local
}

var (
	admin = identity.Principal{Tenant: "acme", User: "anna", Roles: []identity.Role{identity.Admin}}
	agent = identity.Principal{Tenant: "acme", User: "erik", Roles: []identity.Role{identity.Agent}}
	erikP = agent
)

func newEnv(t *testing.T, start time.Time) *env {
	t.Helper()
	db := dynamotest.New(t)
	clk := apitest.NewClock(start)
	log := slog.New(slog.DiscardHandler)
	sched := scheduler.NewLocal(clk.Now, log)
	a := wiring.New(db.Table, clk.Now, wiring.WithScheduler(sched, log))
	sched.Target(a.Recurring.Handle)
	e := &env{Client: apitest.NewClient(t, clk, a.AllRoutes()), t: t, db: db, clock: clk, areas: a, sched: sched}
	e.Do(&admin, "POST", "/v1/users", map[string]any{"name": "Anna Admin", "email": "anna@acme.example", "roles": []string{"admin"}, "subject": "anna"}).Must(t, http.StatusCreated)
	return e
}

// post creates an object and answers its ID.
func (e *env) post(path string, body any) string {
	e.t.Helper()
	return e.Do(&admin, "POST", path, body).Must(e.t, http.StatusCreated).Str("id")
}

// stream plays the table's stream record of the item at pk, sk (as the
// recurring function's event source would deliver it).
func (e *env) stream(pk, sk string) {
	e.t.Helper()
	key := dynamo.Key(pk, sk)
	out, err := e.db.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(e.db.Table.Name), Key: key})
	if err != nil {
		e.t.Fatal(err)
	}
	c := recurring.Change{Keys: key}
	if len(out.Item) > 0 {
		c.New = out.Item
	}
	if err := e.areas.Recurring.HandleChange(context.Background(), c); err != nil {
		e.t.Fatalf("stream record %s %s: %v", pk, sk, err)
	}
}

// definitionChanged plays the stream record of a definition.
func (e *env) definitionChanged(id string) { e.stream(dynamo.SettingsPK("acme"), "RECURRING#"+id) }

// schedules are the in-process scheduler's schedules of a purpose (rc,
// sla).
func (e *env) schedules(purpose string) []scheduler.Schedule {
	var out []scheduler.Schedule
	for _, s := range e.sched.List() {
		if strings.HasPrefix(s.Name, purpose+"-") {
			out = append(out, s)
		}
	}
	return out
}

// occurrence is the trigger of the definition's occurrence at.
func occurrence(id string, at time.Time) []byte {
	raw, _ := json.Marshal(map[string]any{"kind": "occurrence", "tenant": "acme", "definitionId": id, "scheduledFor": at.UTC().Format(time.RFC3339)})
	return raw
}

// fire delivers a trigger as Scheduler would.
func (e *env) fire(input []byte) {
	e.t.Helper()
	if err := e.areas.Recurring.Handle(context.Background(), input); err != nil {
		e.t.Fatalf("trigger %s: %v", input, err)
	}
}

// runs are the definition's runs, newest first.
func (e *env) runs(id string) []map[string]any {
	e.t.Helper()
	return e.Do(&agent, "GET", "/v1/settings/recurring-cases/"+id+"/runs", nil).Must(e.t, http.StatusOK).Items()
}

// recurringCases are the tenant's cases made by definitions.
func (e *env) recurringCases() []map[string]any {
	e.t.Helper()
	var out []map[string]any
	for _, c := range e.Do(&admin, "GET", "/v1/cases?limit=100", nil).Must(e.t, http.StatusOK).Items() {
		if c["source"] == "recurring" {
			out = append(out, c)
		}
	}
	return out
}

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

func local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, stockholm)
}
