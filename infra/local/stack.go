package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/infra"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/identity/devtoken"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/recurring"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

//go:embed docs
var docsFiles embed.FS

// DemoTenant is the tenant the local stack seeds.
const DemoTenant = "demo"

// stack is the whole product in one process: every area's routes on one
// mux, behind the development token verifier.
type stack struct {
	handler  http.Handler
	settings *settings.Service
	tokens   *devtoken.Issuer
	mailer   *mail.Mailer
	mail     *mailFiles
	// The recurring function, its in-process scheduler and the changes
	// its stream would bring (see schedules.go).
	recurring *recurring.Service
	schedules *scheduler.Local
	changes   chan recurring.Change
}

// stackConfig is what main reads from the environment.
type stackConfig struct {
	Client      *dynamodb.Client
	TableName   string
	TokenSecret []byte
	Log         *slog.Logger
	Now         func() time.Time
	// MailDir is where mail is written, as .eml files.
	MailDir string
	// BaseURL is where the stack answers (http://localhost:<PORT>): the
	// links in its mail point there.
	BaseURL string
	// Links are the conversation links' keys (BaseURL is where they
	// point) and the portal.
	Links conversations.Links
	// Clock, when set, is the clock POST /dev/clock moves (Now is its).
	Clock *devClock
}

// newStack creates the table if needed, seeds the demo tenant and builds
// the handler. The handler and domain code are the Lambdas' own; only the
// authenticator differs.
func newStack(ctx context.Context, cfg stackConfig) (*stack, error) {
	if _, err := cfg.Client.CreateTable(ctx, dynamo.Definition(cfg.TableName)); err != nil {
		if _, exists := errors.AsType[*types.ResourceInUseException](err); !exists {
			return nil, fmt.Errorf("create table: %w", err)
		}
	}
	changes := make(chan recurring.Change, 1000)
	table := dynamo.Table{Client: streamClient{Client: cfg.Client, changes: changes}, Name: cfg.TableName}
	issuer, err := devtoken.NewIssuer(cfg.TokenSecret, cfg.Now)
	if err != nil {
		return nil, err
	}
	links := cfg.Links
	if links.Ring == nil {
		links.Ring = linktoken.Generate("local")
	}
	links.BaseURL = cfg.BaseURL
	schedules := scheduler.NewLocal(cfg.Now, cfg.Log)
	areas := wiring.New(table, cfg.Now, wiring.WithLinks(links), wiring.WithScheduler(schedules, cfg.Log))
	schedules.Target(areas.Recurring.Handle)
	st := &stack{settings: areas.Settings, tokens: issuer,
		mail:      &mailFiles{dir: cfg.MailDir, now: cfg.Now},
		recurring: areas.Recurring, schedules: schedules, changes: changes}
	st.mailer = areas.Mailer(st.mail, mail.Config{
		From: "noreply@arende.localhost", ConfigurationSet: "local", AppURL: cfg.BaseURL,
		ReviewURL: cfg.BaseURL + "/review"}, cfg.Log)
	if err := st.seed(ctx); err != nil {
		return nil, fmt.Errorf("seed demo tenant: %w", err)
	}

	api := identity.Handler(issuer.Authenticate, areas.AllRoutes())
	mux := http.NewServeMux()
	mux.Handle("/v1/", api)
	mux.Handle("/c/", api) // the customer's page of a mail link: public routes
	if cfg.Clock != nil {
		mux.Handle("POST /dev/clock", httpapi.HandlerFunc(cfg.Clock.advance))
	}
	mux.HandleFunc("GET /healthz", st.healthz)
	mux.Handle("POST /dev/tokens", httpapi.HandlerFunc(st.mintToken))
	mux.Handle("GET /dev/mail", httpapi.HandlerFunc(st.mail.list))
	mux.Handle("GET /dev/schedules", httpapi.HandlerFunc(st.listSchedules))
	mux.Handle("POST /dev/schedules/{name}/fire", httpapi.HandlerFunc(st.fireSchedule))
	docs, _ := fs.Sub(docsFiles, "docs")
	mux.Handle("GET /docs/", http.StripPrefix("/docs/", http.FileServerFS(docs)))
	mux.HandleFunc("GET /docs", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/docs/", http.StatusFound)
	})
	mux.HandleFunc("GET /docs/problems", serveProblems)
	mux.HandleFunc("GET /docs/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(infra.OpenAPI)
	})
	mux.HandleFunc("/", httpapi.NotFound)
	st.handler = httpapi.Observe(cfg.Log, nil, mux)
	if err := st.seedCustomers(); err != nil {
		return nil, fmt.Errorf("seed demo customers: %w", err)
	}
	return st, nil
}

// seedCustomers gives the demo tenant its company name for mail and two
// customers with contacts, through the API itself, unless it has customers
// already.
func (st *stack) seedCustomers() error {
	tok, err := st.tokens.Mint(identity.Principal{Tenant: DemoTenant, User: "anna", Roles: []identity.Role{identity.Admin}})
	if err != nil {
		return err
	}
	call := func(method, path, body string) (int, string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		st.handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	if code, body := call("GET", "/v1/customers?limit=1", ""); code != http.StatusOK || !strings.Contains(body, `"items":[]`) {
		return nil // already seeded (or the answer says why on the first request)
	}
	if code, body := call("PUT", "/v1/settings/general", `{"customerAccess":"link","timeZone":"Europe/Stockholm","locale":"sv",
		"sendMailOnCreate":true,"mailFromName":"Demo Fastighetsservice AB","mailReplyTo":"kundtjanst@demo.example","version":1}`); code != http.StatusOK {
		return fmt.Errorf("general settings: %d %s", code, body)
	}
	for _, c := range []string{
		`{"name":"Bostadsbolaget Norr AB","kind":"company","orgNumber":"556677-8899","email":"info@bostadnorr.example","phone":"+46 90 12 34 56",
		  "contacts":[{"name":"Karin Lund","email":"karin.lund@bostadnorr.example","phone":"+46 70 111 22 33"},{"name":"Olle Berg","email":"olle.berg@bostadnorr.example"}]}`,
		`{"name":"Maja Persson","kind":"person","email":"maja.persson@example.se","phone":"+46 73 444 55 66",
		  "contacts":[{"name":"Maja Persson","email":"maja.persson@example.se","phone":"+46 73 444 55 66"}]}`,
	} {
		if code, body := call("POST", "/v1/customers", c); code != http.StatusCreated {
			return fmt.Errorf("create customer: %d %s", code, body)
		}
	}
	return nil
}

// seed gives the demo tenant its default settings and a small staff: an
// admin and two agents in a support group, under readable IDs that
// POST /dev/tokens can name.
func (st *stack) seed(ctx context.Context) error {
	users := []settings.User{
		{Meta: settings.Meta{ID: "anna"}, Subject: "anna", Name: "Anna Andersson", Email: "anna@demo.example", Phone: "+46 8 123 45 60", Roles: []string{"admin", "agent"}},
		{Meta: settings.Meta{ID: "erik"}, Subject: "erik", Name: "Erik Eriksson", Email: "erik@demo.example", Phone: "+46 8 123 45 61", Roles: []string{"agent"}},
		{Meta: settings.Meta{ID: "sara"}, Subject: "sara", Name: "Sara Svensson", Email: "sara@demo.example", Phone: "+46 8 123 45 62", Roles: []string{"agent"}},
	}
	groups := []settings.Group{
		{Meta: settings.Meta{ID: "support"}, Name: "Support", Members: []string{"erik", "sara"}},
	}
	return st.settings.ImportDirectory(ctx, DemoTenant, users, groups)
}

func (st *stack) healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := st.settings.Snapshot(r.Context(), DemoTenant); err != nil {
		httpapi.Fail(w, r, err)
		return
	}
	httpapi.Write(w, http.StatusOK, map[string]string{"status": "ok"})
}

// tokenRequest is the body of POST /dev/tokens.
type tokenRequest struct {
	Tenant   string          `json:"tenant"`
	User     string          `json:"user"`
	Roles    []identity.Role `json:"roles"`
	Customer string          `json:"customer"`
}

// tokenAnswer is the answer of POST /dev/tokens.
type tokenAnswer struct {
	Token     string `json:"token"`
	TokenType string `json:"tokenType"`
	ExpiresIn int    `json:"expiresIn"`
}

func (st *stack) mintToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenRequest
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	if in.Tenant == "" {
		in.Tenant = DemoTenant
	}
	var errs problem.Fields
	if !identity.ValidID(in.Tenant) {
		errs.Add("tenant", "must be 1-64 letters, digits, - or _")
	}
	if !identity.ValidID(in.User) {
		errs.Add("user", "is required: 1-64 letters, digits, - or _ (the demo tenant has anna, erik, sara)")
	}
	if len(in.Roles) == 0 {
		errs.Add("roles", "is required: admin, agent and/or customer")
	}
	for i, r := range in.Roles {
		if r != identity.Admin && r != identity.Agent && r != identity.Customer {
			errs.Add(fmt.Sprintf("roles[%d]", i), "must be admin, agent or customer")
		}
	}
	if slices.Contains(in.Roles, identity.Customer) && in.Customer == "" {
		errs.Add("customer", "is required with the customer role")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	tok, err := st.tokens.Mint(identity.Principal{Tenant: in.Tenant, User: in.User, Roles: in.Roles, Customer: in.Customer})
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, tokenAnswer{Token: tok, TokenType: "Bearer", ExpiresIn: 12 * 3600})
	return nil
}

// deliverMail runs the mailer's sweep every half second until ctx ends:
// the local stand-in for the table's stream.
func (st *stack) deliverMail(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := st.mailer.Sweep(ctx, 0, 50); err != nil {
				log.Warn("deliver mail", "err", err.Error())
			}
		}
	}
}
