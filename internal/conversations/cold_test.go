package conversations_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// TestColdPageReadsAtOnce: the customer's page of a link, opened on an
// instance that holds no settings, reads them at the same time as the
// case and its messages (one round trip's wait, not two).
func TestColdPageReadsAtOnce(t *testing.T) {
	env := apitest.NewEnv(t)
	m := &dynamotest.Meeting{Client: env.DB.Client}
	ring := linktoken.Generate("test")
	areas := wiring.New(dynamo.Table{Client: m, Name: env.DB.Table.Name}, env.Clock.Now,
		wiring.WithLinks(conversations.Links{Ring: ring, BaseURL: baseURL}))
	if err := areas.Settings.ImportDirectory(context.Background(), "acme", []settings.User{
		{Meta: settings.Meta{ID: "agent1"}, Name: "Agnes Agent", Email: "agnes@acme.example", Roles: []string{"agent"}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	api := env.Client(t, areas.AllRoutes())
	cu := api.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Byggbolaget AB", "kind": "company",
		"contacts": []map[string]any{{"name": "Anna Andersson", "email": "anna@bygg.example"}}}).Must(t, http.StatusCreated)
	contact := cu.List("contacts")[0]["id"].(string)
	c := api.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Kall sida", "customerId": cu.Str("id"), "contactId": contact}).
		Must(t, http.StatusCreated)
	tok, err := ring.Seal(linktoken.Claims{Tenant: "acme", Case: c.Str("id"), Contact: contact, Epoch: c.Num("linkEpoch"),
		Expires: env.Clock.Now().Add(time.Hour), Locale: "sv"})
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(wiring.SettingsCacheTTL + time.Second) // the settings are no longer held
	m.Arm()
	if r := api.Do(nil, "GET", "/c/"+tok, nil); r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Raw)
	}
}
