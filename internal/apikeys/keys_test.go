package apikeys_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/wiring"
)

var (
	admin    = identity.Principal{Tenant: "acme", User: "boss", Roles: []identity.Role{identity.Admin}}
	agent    = identity.Principal{Tenant: "acme", User: "agent1", Roles: []identity.Role{identity.Agent}}
	intruder = identity.Principal{Tenant: "other", User: "boss2", Roles: []identity.Role{identity.Admin}}
)

type harness struct {
	*apitest.Client
	db *dynamotest.Env
}

func newHarness(t testing.TB) *harness {
	db := dynamotest.New(t)
	clk := apitest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	return &harness{Client: apitest.NewClient(t, clk, wiring.New(db.Table, clk.Now).AllRoutes()), db: db}
}

// scan reads the whole table (tests only).
func (h *harness) scan(t testing.TB) []map[string]types.AttributeValue {
	t.Helper()
	out, err := h.db.Client.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(h.db.Table.Name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Items
}

// TestKeyShownOnce: a key's secret is in its create's answer and nowhere
// else: not in a read, a list, nor the table, which holds its SHA-256.
func TestKeyShownOnce(t *testing.T) {
	h := newHarness(t)
	created := h.Do(&admin, "POST", "/v1/settings/api-keys", map[string]any{"name": "Webb", "origins": []string{"https://www.example.se"}}).
		Must(t, http.StatusCreated)
	secret, id := created.Str("key"), created.Str("id")
	if !strings.HasPrefix(secret, "ak.acme."+id+".") || len(secret) < 70 || !strings.HasPrefix(secret, created.Str("prefix")) ||
		created.Num("rateLimitPerMinute") != 60 || created.Header.Get("Location") != "/v1/settings/api-keys/"+id {
		t.Fatalf("created: %s", created.Raw)
	}
	for _, r := range []apitest.Response{
		h.Do(&admin, "GET", "/v1/settings/api-keys/"+id, nil).Must(t, http.StatusOK),
		h.Do(&admin, "GET", "/v1/settings/api-keys", nil).Must(t, http.StatusOK),
	} {
		if strings.Contains(string(r.Raw), secret[len(secret)-30:]) || strings.Contains(string(r.Raw), `"key"`) {
			t.Errorf("a read shows the secret: %s", r.Raw)
		}
	}
	sum := sha256.Sum256([]byte(secret))
	hash, found := hex.EncodeToString(sum[:]), false
	for _, it := range h.scan(t) {
		for name, v := range it {
			s, _ := v.(*types.AttributeValueMemberS)
			if s == nil {
				continue
			}
			if strings.Contains(s.Value, secret[len(secret)-30:]) {
				t.Errorf("the table holds the secret in %s: %s", name, s.Value)
			}
			found = found || (name == "hash" && s.Value == hash)
		}
	}
	if !found {
		t.Error("no item holds the key's SHA-256")
	}
}

// TestKeyRules: administrators only; every field checked; another
// tenant's key is not found; a delete needs the version; a tenant has at
// most 50 keys.
func TestKeyRules(t *testing.T) {
	h := newHarness(t)
	h.Do(&agent, "GET", "/v1/settings/api-keys", nil).MustProblem(t, http.StatusForbidden)
	h.Do(&agent, "POST", "/v1/settings/api-keys", map[string]any{"name": "x"}).MustProblem(t, http.StatusForbidden)
	for _, tc := range []struct {
		name, field string
		body        map[string]any
	}{
		{"no name", "name", map[string]any{"name": ""}},
		{"long name", "name", map[string]any{"name": strings.Repeat("x", 101)}},
		{"line break in name", "name", map[string]any{"name": "a\nb"}},
		{"origin with a path", "origins[0]", map[string]any{"name": "x", "origins": []string{"https://example.se/form"}}},
		{"origin not http", "origins[0]", map[string]any{"name": "x", "origins": []string{"ftp://example.se"}}},
		{"origin twice", "origins[1]", map[string]any{"name": "x", "origins": []string{"https://a.se", "https://A.se:443"}}},
		{"too many origins", "origins", map[string]any{"name": "x", "origins": make([]string, 21)}},
		{"unknown API-ID", "caseTypes[0]", map[string]any{"name": "x", "caseTypes": []string{"nosuch"}}},
		{"limit 0", "rateLimitPerMinute", map[string]any{"name": "x", "rateLimitPerMinute": 0}},
		{"limit too high", "rateLimitPerMinute", map[string]any{"name": "x", "rateLimitPerMinute": 1001}},
		{"the secret sent", "key", map[string]any{"name": "x", "key": "ak.acme.x.y"}},
		{"unknown field", "revoked", map[string]any{"name": "x", "revoked": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.Do(&admin, "POST", "/v1/settings/api-keys", tc.body).MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	if n := len(h.Do(&admin, "GET", "/v1/settings/api-keys", nil).Must(t, http.StatusOK).Items()); n != 0 {
		t.Errorf("%d keys after refused creates", n)
	}

	id := h.Do(&admin, "POST", "/v1/settings/api-keys", map[string]any{"name": "Webb"}).Must(t, http.StatusCreated).Str("id")
	h.Do(&intruder, "GET", "/v1/settings/api-keys/"+id, nil).MustProblem(t, http.StatusNotFound)
	h.Do(&intruder, "DELETE", "/v1/settings/api-keys/"+id, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	if n := len(h.Do(&intruder, "GET", "/v1/settings/api-keys", nil).Must(t, http.StatusOK).Items()); n != 0 {
		t.Errorf("another tenant lists %d keys", n)
	}
	h.Do(&admin, "DELETE", "/v1/settings/api-keys/"+id, nil).MustProblem(t, http.StatusPreconditionRequired)
	h.Do(&admin, "DELETE", "/v1/settings/api-keys/"+id, nil, apitest.IfMatch(2)...).MustProblem(t, http.StatusPreconditionFailed)
	h.Do(&admin, "DELETE", "/v1/settings/api-keys/"+id, nil, apitest.IfMatch(1)...).Must(t, http.StatusNoContent)
	h.Do(&admin, "GET", "/v1/settings/api-keys/"+id, nil).MustProblem(t, http.StatusNotFound)

	for i := range 50 {
		h.Do(&admin, "POST", "/v1/settings/api-keys", map[string]any{"name": fmt.Sprint("Nyckel ", i)}).Must(t, http.StatusCreated)
	}
	h.Do(&admin, "POST", "/v1/settings/api-keys", map[string]any{"name": "En för mycket"}).MustProblem(t, http.StatusConflict)
}

// TestKeyRoundTrips: what the keys' routes cost, the settings warm.
func TestKeyRoundTrips(t *testing.T) {
	h := newHarness(t)
	h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK) // settings warm
	var id string
	for _, tc := range []struct {
		name string
		want map[string]int
		call func()
	}{
		{"create", map[string]int{"Query": 1, "TransactWriteItems": 1}, func() {
			id = h.Do(&admin, "POST", "/v1/settings/api-keys", map[string]any{"name": "Webb", "origins": []string{"https://a.se", "https://b.se"}}).
				Must(t, http.StatusCreated).Str("id")
		}},
		{"list", map[string]int{"Query": 1}, func() { h.Do(&admin, "GET", "/v1/settings/api-keys", nil).Must(t, http.StatusOK) }},
		{"get", map[string]int{"GetItem": 1}, func() { h.Do(&admin, "GET", "/v1/settings/api-keys/"+id, nil).Must(t, http.StatusOK) }},
		{"delete", map[string]int{"GetItem": 1, "TransactWriteItems": 1}, func() {
			h.Do(&admin, "DELETE", "/v1/settings/api-keys/"+id, nil, apitest.IfMatch(1)...).Must(t, http.StatusNoContent)
		}},
	} {
		h.db.Counter.Expect(t.Errorf, tc.name, tc.want, tc.call)
	}
}
