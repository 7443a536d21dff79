package settings_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
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
	env := apitest.NewEnv(t)
	svc := settings.NewService(env.DB.Table, env.Clock.Now, 10*time.Second)
	c := env.Client(t, settings.Routes(svc))
	return &harness{Client: c, db: env.DB, clock: env.Clock, svc: svc, tokens: c.Issuer()}
}

// handlerFor returns another "warm function instance" on the same table,
// with its own cache.
func (h *harness) handlerFor(svc *settings.Service) http.Handler {
	return h.Mount(settings.Routes(svc))
}

// The principals the tests act as (see apitest).
var admin, agent, customer, intruder = apitest.Admin, apitest.Agent, apitest.Customer, apitest.Intruder

// response is a decoded answer.
type response = apitest.Response

// ifMatch is the If-Match header pair for version v.
var ifMatch = apitest.IfMatch
