package apitest

import (
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Start is where the clock of an Env starts: 2026-11-26 09:00 UTC.
var Start = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// The principals the API tests act as: an admin and an agent of tenant
// acme, a portal login of acme's customer c1, and another tenant's admin.
var (
	Admin    = identity.Principal{Tenant: "acme", User: "boss", Roles: []identity.Role{identity.Admin}}
	Agent    = identity.Principal{Tenant: "acme", User: "agent1", Roles: []identity.Role{identity.Agent}}
	Customer = identity.Principal{Tenant: "acme", User: "cust1", Roles: []identity.Role{identity.Customer}, Customer: "c1"}
	Intruder = identity.Principal{Tenant: "other", User: "boss2", Roles: []identity.Role{identity.Admin}}
)

// Env is what the API tests of every area run against: the embedded
// DynamoDB server, and a clock the test moves by hand, standing at Start.
// A harness builds the areas it tests on the two and serves their routes
// with Client.
type Env struct {
	DB    *dynamotest.Env
	Clock *Clock
}

// NewEnv starts an Env for t.
func NewEnv(t testing.TB) Env {
	t.Helper()
	return Env{DB: dynamotest.New(t), Clock: NewClock(Start)}
}

// Client is a client of routes on the real mux (see NewClient), its
// tokens on the Env's clock.
func (e Env) Client(t testing.TB, routes ...[]httpapi.Route) *Client {
	t.Helper()
	return NewClient(t, e.Clock, routes...)
}
