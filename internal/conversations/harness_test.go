package conversations_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/mail/mailtest"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// t0 is where every harness clock starts.
var t0 = apitest.Start

const (
	baseURL   = "https://api.example"
	portalURL = "https://portal.example"
)

// recorder wraps the client the services use and keeps every
// transaction sent, to see what one operation wrote together.
type recorder struct {
	*dynamodb.Client
	mu  sync.Mutex
	txs []*dynamodb.TransactWriteItemsInput
	// before, when set, runs once just before the next transaction: what
	// another request does meanwhile.
	before func()
}

func (r *recorder) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	r.mu.Lock()
	hook := r.before
	r.before = nil
	r.mu.Unlock()
	if hook != nil {
		hook()
	}
	out, err := r.Client.TransactWriteItems(ctx, in, opts...)
	if err == nil {
		r.mu.Lock()
		r.txs = append(r.txs, in)
		r.mu.Unlock()
	}
	return out, err
}

// lastKinds are the kinds of what the last committed transaction put,
// and how many items it changed in place, by kind of key.
func (r *recorder) last(t testing.TB) (puts []string, updates []string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.txs) == 0 {
		t.Fatal("no transaction")
	}
	for _, it := range r.txs[len(r.txs)-1].TransactItems {
		switch {
		case it.Put != nil:
			puts = append(puts, str(it.Put.Item[dynamo.AttrKind]))
		case it.Update != nil:
			updates = append(updates, str(it.Update.Key[dynamo.AttrPK])+" "+str(it.Update.Key[dynamo.AttrSK]))
		}
	}
	return puts, updates
}

func str(v types.AttributeValue) string {
	s, _ := v.(*types.AttributeValueMemberS)
	if s == nil {
		return ""
	}
	return s.Value
}

type harness struct {
	*apitest.Client
	db     *dynamotest.Env
	clock  *apitest.Clock
	areas  *wiring.Areas
	rec    *recorder
	mail   *mailtest.Sender
	mailer *mail.Mailer
	ring   *linktoken.Ring
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	env := apitest.NewEnv(t)
	rec := &recorder{Client: env.DB.Client}
	ring := linktoken.Generate("test")
	areas := wiring.New(dynamo.Table{Client: rec, Name: env.DB.Table.Name}, env.Clock.Now,
		wiring.WithLinks(conversations.Links{Ring: ring, BaseURL: baseURL + "/", PortalURL: portalURL}))
	h := &harness{Client: env.Client(t, areas.AllRoutes()), db: env.DB, clock: env.Clock, areas: areas, rec: rec,
		mail: &mailtest.Sender{}, ring: ring}
	h.mailer = areas.Mailer(h.mail, mail.Config{From: "noreply@arende.example", AppURL: "https://app.example"},
		slog.New(slog.NewJSONHandler(io.Discard, nil)))
	return h
}

// The principals of the tests. agent1 and agent2 are in group support;
// the intruder is another tenant's admin; the customers are portal logins.
var (
	admin    = apitest.Admin
	agent    = apitest.Agent
	intruder = identity.Principal{Tenant: "other", User: "boss", Roles: []identity.Role{identity.Admin}}
)

func portalUser(customerID string) *identity.Principal {
	return &identity.Principal{Tenant: "acme", User: "login-" + customerID, Roles: []identity.Role{identity.Customer}, Customer: customerID}
}

// world is what seed stores.
type world struct {
	custA, anna, bo, nomail string
	custB, cecilia          string
}

// seed gives tenant acme its staff (agent2 wants reply mails), and two
// customers with contacts (nomail has no address); tenant other gets its
// staff too.
func (h *harness) seed(t testing.TB) world {
	t.Helper()
	ctx := context.Background()
	err := h.areas.Settings.ImportDirectory(ctx, "acme", []settings.User{
		{Meta: settings.Meta{ID: "boss"}, Subject: "boss", Name: "Berit Boss", Email: "boss@acme.example", Roles: []string{"admin"}},
		{Meta: settings.Meta{ID: "agent1"}, Subject: "agent1", Name: "Agnes Agent", Email: "agnes@acme.example", Phone: "+46 8 111", Roles: []string{"agent"}},
		{Meta: settings.Meta{ID: "agent2"}, Subject: "agent2", Name: "Arvid Agent", Email: "arvid@acme.example", Roles: []string{"agent"},
			Notifications: settings.Notifications{CustomerReplyByMail: true}},
	}, []settings.Group{{Meta: settings.Meta{ID: "support"}, Name: "Support", Members: []string{"agent1", "agent2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.areas.Settings.ImportDirectory(ctx, "other", []settings.User{
		{Meta: settings.Meta{ID: "boss"}, Subject: "boss", Name: "Other Boss", Email: "boss@other.example", Roles: []string{"admin"}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	var w world
	a := h.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Byggbolaget AB", "kind": "company",
		"contacts": []map[string]any{{"name": "Anna Andersson", "email": "anna@bygg.example", "locale": "en"},
			{"name": "Bo Berg", "email": "bo@bygg.example"}, {"name": "Utan Adress"}}}).Must(t, http.StatusCreated)
	w.custA = a.Str("id")
	contacts := a.List("contacts")
	w.anna, w.bo, w.nomail = contacts[0]["id"].(string), contacts[1]["id"].(string), contacts[2]["id"].(string)
	b := h.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Cafét HB", "kind": "company",
		"contacts": []map[string]any{{"name": "Cecilia Ek", "email": "cecilia@cafe.example"}}}).Must(t, http.StatusCreated)
	w.custB, w.cecilia = b.Str("id"), b.List("contacts")[0]["id"].(string)
	return w
}

// newCase creates a case of customer with contact, given to assignees.
func (h *harness) newCase(t testing.TB, customer, contact string, assignees map[string]any) string {
	t.Helper()
	body := map[string]any{"title": "Läckande kran", "customerId": customer, "contactId": contact}
	if assignees != nil {
		body["assignees"] = assignees
	}
	return h.Do(&agent, "POST", "/v1/cases", body).Must(t, http.StatusCreated).Str("id")
}

// send writes a staff message to the case as agent.
func (h *harness) send(t testing.TB, caseID, body string) apitest.Response {
	t.Helper()
	return h.Do(&agent, "POST", "/v1/cases/"+caseID+"/messages", map[string]any{"body": body}).Must(t, http.StatusCreated)
}

// deliver sends the pending mail and answers what was sent by it.
func (h *harness) deliver(t testing.TB) []mail.Message {
	t.Helper()
	before := len(h.mail.Sent())
	if _, err := h.mailer.Sweep(context.Background(), 0, 100); err != nil {
		t.Fatal(err)
	}
	return h.mail.Sent()[before:]
}

var linkPattern = regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/c/(\S+)`)

// linkOf sends the pending mail and answers the token of the one
// conversation link mailed to addr.
func (h *harness) linkOf(t testing.TB, addr string) string {
	t.Helper()
	var tokens []string
	for _, m := range h.deliver(t) {
		if m.To[0] != addr {
			continue
		}
		for _, g := range linkPattern.FindAllStringSubmatch(m.Text, -1) {
			tokens = append(tokens, g[1])
		}
	}
	if len(tokens) != 1 {
		t.Fatalf("%d links mailed to %s, want 1", len(tokens), addr)
	}
	return tokens[0]
}

// page reads the customer's page of a link.
func (h *harness) page(token string, query ...string) apitest.Response {
	path := "/c/" + token
	if len(query) > 0 {
		path += "?" + query[0]
	}
	return h.Do(nil, "GET", path, nil)
}

// form posts a form to a page path as a browser would.
func (h *harness) form(path string, values url.Values, headers ...string) apitest.Response {
	hs := append([]string{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin"}, headers...)
	return h.Do(nil, "POST", path, values.Encode(), hs...)
}

// reply posts the reply form of a link, with its binding.
func (h *harness) reply(t testing.TB, token, body string) apitest.Response {
	t.Helper()
	binding, err := h.ring.Binding(token)
	if err != nil {
		t.Fatal(err)
	}
	return h.form("/c/"+token, url.Values{"binding": {binding}, "body": {body}})
}

// text is the body of an answer.
func text(r apitest.Response) string { return string(r.Raw) }

// mustContain fails unless the answer holds every s.
func mustContain(t testing.TB, r apitest.Response, ss ...string) {
	t.Helper()
	for _, s := range ss {
		if !strings.Contains(text(r), s) {
			t.Errorf("the page lacks %q:\n%s", s, r.Raw)
		}
	}
}

// mustLack fails if the answer holds any s.
func mustLack(t testing.TB, r apitest.Response, ss ...string) {
	t.Helper()
	for _, s := range ss {
		if strings.Contains(text(r), s) {
			t.Errorf("the page holds %q:\n%s", s, r.Raw)
		}
	}
}

// putConversations changes the conversation settings as admin: the
// fields given, the rest as they are.
func (h *harness) putConversations(t testing.TB, fields map[string]any) {
	t.Helper()
	cur := h.Do(&admin, "GET", "/v1/settings/conversations", nil).Must(t, http.StatusOK)
	body := cur.Editable()
	for k, v := range fields {
		body[k] = v
	}
	h.Do(&admin, "PUT", "/v1/settings/conversations", body, apitest.IfMatch(cur.Version())...).Must(t, http.StatusOK)
}

// version is the case's version now.
func (h *harness) version(t testing.TB, id string) int64 {
	t.Helper()
	return h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK).Version()
}

// state is everything the case's partition holds, and how many outbox
// items are pending: what no read may change.
func (h *harness) state(t testing.TB, id string) string {
	t.Helper()
	out, err := h.db.Client.Query(context.Background(), &dynamodb.QueryInput{TableName: &h.db.Table.Name,
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(dynamo.CasePK("acme", id))}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, it := range out.Items {
		fmt.Fprintf(&b, "%s %s %s %d\n", str(it[dynamo.AttrSK]), str(it[dynamo.AttrData]), str(it["activityAt"]), dynamo.Int(it, dynamo.AttrVer))
	}
	pending, err := h.db.Client.Query(context.Background(), &dynamodb.QueryInput{TableName: &h.db.Table.Name, IndexName: aws.String(dynamo.IndexGSI3),
		KeyConditionExpression:    aws.String("GSI3PK = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": dynamo.S(dynamo.OutboxPendingPK)}})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "pending mail: %d\n", len(pending.Items))
	return b.String()
}
