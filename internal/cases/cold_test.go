package cases_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// TestColdGetReadsAtOnce: a case read by an instance that holds no
// settings reads the settings and the case's partition at the same time
// (one round trip's wait, not two).
func TestColdGetReadsAtOnce(t *testing.T) {
	env := apitest.NewEnv(t)
	m := &dynamotest.Meeting{Client: env.DB.Client}
	areas := wiring.New(dynamo.Table{Client: m, Name: env.DB.Table.Name}, env.Clock.Now)
	if err := areas.Settings.ImportDirectory(context.Background(), "acme", []settings.User{
		{Meta: settings.Meta{ID: "agent1"}, Name: "Agnes Agent", Email: "agnes@acme.example", Roles: []string{"agent"}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	api := env.Client(t, areas.AllRoutes())
	id := api.Do(&apitest.Agent, "POST", "/v1/cases", map[string]any{"title": "Kall läsning"}).Must(t, http.StatusCreated).Str("id")
	env.Clock.Advance(wiring.SettingsCacheTTL + time.Second) // the settings are no longer held
	m.Arm()
	api.Do(&apitest.Agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK)
}
