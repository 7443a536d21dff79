package cases_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// meeting is a DynamoDB client whose next two Queries, once armed, wait
// for each other: two reads made one after the other never meet, and
// the first fails.
type meeting struct {
	dynamo.Client
	mu      sync.Mutex
	armed   bool
	waiting chan struct{} // closed when the second Query comes
}

func (m *meeting) arm() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.armed = true
}

func (m *meeting) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	m.mu.Lock()
	switch {
	case !m.armed:
		m.mu.Unlock()
	case m.waiting == nil: // the first: wait for the second
		w := make(chan struct{})
		m.waiting = w
		m.mu.Unlock()
		select {
		case <-w:
		case <-time.After(2 * time.Second):
			return nil, errors.New("no other read was made at the same time")
		}
	default: // the second
		close(m.waiting)
		m.armed, m.waiting = false, nil
		m.mu.Unlock()
	}
	return m.Client.Query(ctx, in, opts...)
}

// TestColdGetReadsAtOnce: a case read by an instance that holds no
// settings reads the settings and the case's partition at the same time
// (one round trip's wait, not two).
func TestColdGetReadsAtOnce(t *testing.T) {
	env := apitest.NewEnv(t)
	m := &meeting{Client: env.DB.Client}
	areas := wiring.New(dynamo.Table{Client: m, Name: env.DB.Table.Name}, env.Clock.Now)
	if err := areas.Settings.ImportDirectory(context.Background(), "acme", []settings.User{
		{Meta: settings.Meta{ID: "agent1"}, Name: "Agnes Agent", Email: "agnes@acme.example", Roles: []string{"agent"}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	api := env.Client(t, areas.AllRoutes())
	id := api.Do(&apitest.Agent, "POST", "/v1/cases", map[string]any{"title": "Kall läsning"}).Must(t, http.StatusCreated).Str("id")
	env.Clock.Advance(wiring.SettingsCacheTTL + time.Second) // the settings are no longer held
	m.arm()
	api.Do(&apitest.Agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK)
}
