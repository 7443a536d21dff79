package intake_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/mail/mailtest"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// t0 is where every harness clock starts: early in a minute, so that a
// test's requests count in one minute of its keys.
var t0 = time.Date(2026, 11, 26, 9, 0, 5, 0, time.UTC)

// harness is every area's routes on one real mux, as the local stack
// mounts them (website intake's public, the others behind token
// verification), against the embedded DynamoDB server. Every answer is
// checked against infra/openapi.yaml (see apitest).
type harness struct {
	*apitest.Client
	db    *dynamotest.Env
	clock *apitest.Clock
	areas *wiring.Areas
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	db := dynamotest.New(t)
	clk := apitest.NewClock(t0)
	areas := wiring.New(db.Table, clk.Now)
	return &harness{Client: apitest.NewClient(t, clk, areas.AllRoutes()), db: db, clock: clk, areas: areas}
}

var (
	admin    = identity.Principal{Tenant: "acme", User: "boss", Roles: []identity.Role{identity.Admin}}
	agent    = identity.Principal{Tenant: "acme", User: "agent1", Roles: []identity.Role{identity.Agent}}
	intruder = identity.Principal{Tenant: "other", User: "boss2", Roles: []identity.Role{identity.Admin}}
)

type response = apitest.Response

// typeOf makes a case type as p with a text field customers fill
// (required), a dropdown customers fill and a number staff fill, and
// answers its ID, its API-ID and the three field IDs.
func (h *harness) typeOf(t testing.TB, p identity.Principal, name string) (id, apiID, text, choice, staff string) {
	t.Helper()
	post := func(path string, body any) response {
		t.Helper()
		return h.Do(&p, "POST", path, body).Must(t, http.StatusCreated)
	}
	text = post("/v1/settings/case-type-fields", map[string]any{"name": "Adress " + name, "kind": "text"}).Str("id")
	choice = post("/v1/settings/case-type-fields", map[string]any{"name": "Rum " + name, "kind": "dropdown", "options": []string{"Kök", "Bad"}}).Str("id")
	staff = post("/v1/settings/case-type-fields", map[string]any{"name": "Timmar " + name, "kind": "number"}).Str("id")
	t2 := post("/v1/settings/case-types", map[string]any{"name": name, "visibleInPortal": true, "selectableInPortal": true,
		"fields": []map[string]any{{"fieldId": text, "required": true, "filledBy": "customer"}, {"fieldId": choice, "filledBy": "customer"},
			{"fieldId": staff, "required": true, "filledBy": "staff"}}})
	return t2.Str("id"), t2.Str("apiId"), text, choice, staff
}

// newKey makes an API key as p and answers its secret and ID.
func (h *harness) newKey(t testing.TB, p identity.Principal, body map[string]any) (secret, id string) {
	t.Helper()
	r := h.Do(&p, "POST", "/v1/settings/api-keys", body).Must(t, http.StatusCreated)
	return r.Str("key"), r.Str("id")
}

// customerWith makes a customer as admin with one contact and answers the
// customer's and the contact's IDs.
func (h *harness) customerWith(t testing.TB, name, contact, email string) (customerID, contactID string) {
	t.Helper()
	r := h.Do(&admin, "POST", "/v1/customers", map[string]any{"name": name, "kind": "company",
		"contacts": []map[string]any{{"name": contact, "email": email}}}).Must(t, http.StatusCreated)
	return r.Str("id"), r.List("contacts")[0]["id"].(string)
}

// submit posts a form with the key (and headers: name, value, ...).
func (h *harness) submit(key string, body any, headers ...string) response {
	return h.Do(nil, "POST", "/v1/external/cases", body, append([]string{"X-Api-Key", key}, headers...)...)
}

// caseCount is how many cases the tenant has (as its staff lists them).
func (h *harness) caseCount(t testing.TB, p identity.Principal) int {
	t.Helper()
	staff := identity.Principal{Tenant: p.Tenant, User: "agent", Roles: []identity.Role{identity.Agent}}
	return len(h.Do(&staff, "GET", "/v1/cases?limit=100", nil).Must(t, http.StatusOK).Items())
}

// sentMail delivers the outbox with a recording sender and answers what
// it sent.
func (h *harness) sentMail(t testing.TB) []mail.Message {
	t.Helper()
	var rec mailtest.Sender
	m := h.areas.Mailer(&rec, mail.Config{From: "noreply@example.se", AppURL: "https://app.example.se"}, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if _, err := m.Sweep(context.Background(), 0, 50); err != nil {
		t.Fatal(err)
	}
	return rec.Sent()
}
