package customers_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
)

// harness is the customers and orders routes on the real mux, behind real token
// verification, against the embedded DynamoDB server. Every answer is
// checked against infra/openapi.yaml (see apitest).
type harness struct {
	*apitest.Client
	db    *dynamotest.Env
	clock *apitest.Clock
	svc   *customers.Service
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	env := apitest.NewEnv(t)
	svc := customers.NewService(env.DB.Table, env.Clock.Now)
	return &harness{Client: env.Client(t, customers.Routes(svc)), db: env.DB, clock: env.Clock, svc: svc}
}

// handlerFor returns the routes of another service instance (another warm
// function) behind the harness's token verification.
func (h *harness) handlerFor(svc *customers.Service) http.Handler {
	return h.Mount(customers.Routes(svc))
}

// The principals the tests act as (see apitest).
var admin, agent, customer, intruder = apitest.Admin, apitest.Agent, apitest.Customer, apitest.Intruder

// response is a decoded answer.
type response = apitest.Response

// ifMatch is the If-Match header pair for version v.
var ifMatch = apitest.IfMatch

// noSuchID is a well-formed ID that no object has.
const noSuchID = apitest.NoSuchID

// read GETs path as admin and insists on 200.
func (h *harness) read(t testing.TB, path string) response {
	t.Helper()
	return h.Do(&admin, "GET", path, nil).Must(t, http.StatusOK)
}

// unchanged re-reads each path and fails unless the answer is byte for
// byte the one read before a refused write.
func (h *harness) unchanged(t testing.TB, before map[string]response) {
	t.Helper()
	for path, b := range before {
		after := h.read(t, path)
		if !bytes.Equal(b.Raw, after.Raw) {
			t.Errorf("%s changed although the write was refused:\nbefore: %s\nafter:  %s", path, b.Raw, after.Raw)
		}
	}
}

// snapshot reads each path now, for unchanged.
func (h *harness) snapshot(t testing.TB, paths ...string) map[string]response {
	t.Helper()
	out := map[string]response{}
	for _, p := range paths {
		out[p] = h.read(t, p)
	}
	return out
}

// newCustomer creates a customer as admin and returns the answer.
func (h *harness) newCustomer(t testing.TB, body map[string]any) response {
	t.Helper()
	if _, ok := body["kind"]; !ok {
		body["kind"] = "company"
	}
	return h.Do(&admin, "POST", "/v1/customers", body).Must(t, http.StatusCreated)
}

// newOrder creates an order as admin and returns the answer.
func (h *harness) newOrder(t testing.TB, customerID, number string) response {
	t.Helper()
	return h.Do(&admin, "POST", "/v1/orders", map[string]any{"number": number, "title": "Order " + number, "customerId": customerID}).Must(t, http.StatusCreated)
}

// changed is body with change applied: a nil value removes the field.
func changed(body, change map[string]any) map[string]any {
	for k, v := range change {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

// refusedPatch is a PATCH that must be refused: its body and headers, the
// status it answers, and the field the problem names ("" for none).
type refusedPatch struct {
	name    string
	body    any
	headers []string
	status  int
	field   string
}

// refusedPatches sends each patch to path as an agent and insists on its
// refusal, with a 412 that explains the version, and on none of the
// paths watched changing.
func (h *harness) refusedPatches(t *testing.T, path string, watched []string, patches []refusedPatch) {
	t.Helper()
	for _, tc := range patches {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t, watched...)
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			r := h.Do(&agent, "PATCH", path, tc.body, tc.headers...).MustProblem(t, tc.status, fields...)
			if tc.status == http.StatusPreconditionFailed && !strings.Contains(r.Detail(), "version") {
				t.Errorf("412 detail does not explain the version: %s", r.Detail())
			}
			h.unchanged(t, before)
		})
	}
}
