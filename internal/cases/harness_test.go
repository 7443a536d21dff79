package cases_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// t0 is where every harness clock starts.
var t0 = apitest.Start

// queryRecord is what the probe saw of one Query of the cases service.
type queryRecord struct {
	Index    string
	PK       string
	Limit    int32
	Filtered bool
	Count    int32
	Scanned  int32
	Items    int
}

// probe wraps the DynamoDB client the cases service uses: it records what
// each Query read, and can run a hook just before a transaction is sent
// (to switch the embedded server's failure emulation on in the middle of
// an operation). The round-trip Counter sits below it, on the SDK client.
// Every other call goes straight to the embedded client.
type probe struct {
	*dynamodb.Client
	inner *dynamodb.Client

	mu             sync.Mutex
	queries        []queryRecord
	beforeTransact func()
	largest        int // the most writes a transaction held
}

func (p *probe) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := p.inner.Query(ctx, in, opts...)
	if err == nil {
		rec := queryRecord{Index: aws.ToString(in.IndexName), Limit: aws.ToInt32(in.Limit), Filtered: in.FilterExpression != nil,
			Count: out.Count, Scanned: out.ScannedCount, Items: len(out.Items)}
		if pk, ok := in.ExpressionAttributeValues[":pk"].(*types.AttributeValueMemberS); ok {
			rec.PK = pk.Value
		}
		p.mu.Lock()
		p.queries = append(p.queries, rec)
		p.mu.Unlock()
	}
	return out, err
}

func (p *probe) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	p.mu.Lock()
	hook := p.beforeTransact
	p.beforeTransact = nil // once
	p.largest = max(p.largest, len(in.TransactItems))
	p.mu.Unlock()
	if hook != nil {
		hook()
	}
	return p.inner.TransactWriteItems(ctx, in, opts...)
}

// takeQueries returns the Queries recorded since the last call.
func (p *probe) takeQueries() []queryRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.queries
	p.queries = nil
	return out
}

// onNextTransact runs f just before the next transaction is sent.
func (p *probe) onNextTransact(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.beforeTransact = f
}

// hookPending reports whether the hook of onNextTransact has not run yet.
func (p *probe) hookPending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.beforeTransact != nil
}

var _ dynamo.Client = (*probe)(nil)

// harness is the settings, cases and directory routes on one real mux,
// behind real token verification, against the embedded DynamoDB server,
// as the cases function and the local stack mount them. Every answer is
// checked against infra/openapi.yaml (see apitest).
type harness struct {
	*apitest.Client
	db       *dynamotest.Env
	clock    *apitest.Clock
	settings *settings.Service
	dir      *customers.Service
	svc      *cases.Service
	probe    *probe
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	env := apitest.NewEnv(t)
	pr := &probe{Client: env.DB.Client, inner: env.DB.Client}
	areas := wiring.New(dynamo.Table{Client: pr, Name: env.DB.Table.Name}, env.Clock.Now)
	st, dir, svc := areas.Settings, areas.Customers, areas.Cases
	return &harness{Client: env.Client(t, areas.AllRoutes()), db: env.DB, clock: env.Clock, settings: st, dir: dir, svc: svc, probe: pr}
}

// The principals the tests act as (see apitest).
var admin, agent, customer, intruder = apitest.Admin, apitest.Agent, apitest.Customer, apitest.Intruder

// response is a decoded answer.
type response = apitest.Response

// parseTime reads an RFC 3339 time out of a decoded JSON value.
var parseTime = apitest.ParseTime

// ifMatch is the If-Match header pair for version v.
var ifMatch = apitest.IfMatch

// noSuchID is a well-formed ID that no object has.
const noSuchID = apitest.NoSuchID

// create posts a case as agent and insists on 201.
func (h *harness) create(t testing.TB, body map[string]any) response {
	t.Helper()
	return h.Do(&agent, "POST", "/v1/cases", body).Must(t, http.StatusCreated)
}

// get reads a case as agent and insists on 200.
func (h *harness) get(t testing.TB, id string) response {
	t.Helper()
	return h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK)
}

// patch merge-patches a case as agent with the version read now.
func (h *harness) patch(t testing.TB, id string, body any) response {
	t.Helper()
	v := h.get(t, id).Version()
	return h.Do(&agent, "PATCH", "/v1/cases/"+id, body, ifMatch(v)...)
}

// events reads a case's whole event log as agent, oldest first.
func (h *harness) events(t testing.TB, id string) []map[string]any {
	t.Helper()
	return h.Do(&agent, "GET", "/v1/cases/"+id+"/events?limit=100", nil).Must(t, http.StatusOK).Items()
}

// eventTypes lists the types of events, in order.
func eventTypes(events []map[string]any) []string {
	var out []string
	for _, e := range events {
		out = append(out, e["type"].(string))
	}
	return out
}

// listIDs reads one page of a case list as agent and returns its IDs.
func (h *harness) listIDs(t testing.TB, query string) []string {
	t.Helper()
	return h.Do(&agent, "GET", "/v1/cases"+query, nil).Must(t, http.StatusOK).IDs()
}

// change returns the change of field in event e, if it has one.
func change(e map[string]any, field string) (before, after any, ok bool) {
	changes, _ := e["changes"].([]any)
	for _, c := range changes {
		m := c.(map[string]any)
		if m["field"] == field {
			return m["before"], m["after"], true
		}
	}
	return nil, nil, false
}

// cost runs call with the round-trip counter reset and returns the
// DynamoDB requests it made, by operation.
func (h *harness) cost(call func()) map[string]int {
	h.db.Counter.Reset()
	call()
	return h.db.Counter.Snapshot()
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// putSettings replaces a singleton setting (general, case-fields,
// case-menu) as admin: GET, change, PUT with the version.
func (h *harness) putSettings(t testing.TB, path string, edit func(body map[string]any)) response {
	t.Helper()
	cur := h.Do(&admin, "GET", path, nil).Must(t, http.StatusOK)
	body := cur.Editable()
	edit(body)
	return h.Do(&admin, "PUT", path, body, ifMatch(cur.Version())...).Must(t, http.StatusOK)
}
