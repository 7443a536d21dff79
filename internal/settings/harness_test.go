package settings_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/identity/devtoken"
	"github.com/workcloud/arendehantering/internal/settings"
)

// harness is the settings routes on the real mux, behind real token
// verification, against the embedded DynamoDB server. Every answer is
// checked against infra/openapi.yaml (see apitest).
type harness struct {
	*apitest.Client
	db     *dynamotest.Env
	clock  *apitest.Clock
	svc    *settings.Service
	tokens *devtoken.Issuer
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	db := dynamotest.New(t)
	clk := apitest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	svc := settings.NewService(db.Table, clk.Now, 10*time.Second)
	c := apitest.NewClient(t, clk, settings.Routes(svc))
	return &harness{Client: c, db: db, clock: clk, svc: svc, tokens: c.Issuer()}
}

// handlerFor returns another "warm function instance" on the same table,
// with its own cache.
func (h *harness) handlerFor(svc *settings.Service) http.Handler {
	return h.Mount(settings.Routes(svc))
}

var (
	admin    = identity.Principal{Tenant: "acme", User: "boss", Roles: []identity.Role{identity.Admin}}
	agent    = identity.Principal{Tenant: "acme", User: "agent1", Roles: []identity.Role{identity.Agent}}
	customer = identity.Principal{Tenant: "acme", User: "cust1", Roles: []identity.Role{identity.Customer}, Customer: "c1"}
	intruder = identity.Principal{Tenant: "other", User: "boss2", Roles: []identity.Role{identity.Admin}}
)

// response is a decoded answer.
type response = apitest.Response

// ifMatch is the If-Match header pair for version v.
var ifMatch = apitest.IfMatch
