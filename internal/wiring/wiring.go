// Package wiring builds the areas once, from the table and the clock, and
// says which function serves which routes. The Lambdas, the local stack
// and the tests all wire through it, so an area joins every one of them in
// one place.
package wiring

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/workcloud/arendehantering/internal/apikeys"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/intake"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/portal"
	"github.com/workcloud/arendehantering/internal/recurring"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/settings"
)

// SettingsCacheTTL is how long a warm instance keeps a tenant's settings
// before it reads them again (its own writes refresh them at once).
const SettingsCacheTTL = 10 * time.Second

// Areas are the services of every area, built on one table and clock.
type Areas struct {
	Settings      *settings.Service
	Customers     *customers.Service
	Cases         *cases.Service
	Notifications *notifications.Service
	APIKeys       *apikeys.Service
	Intake        *intake.Service
	Portal        *portal.Service
	Conversations *conversations.Service
	Recurring     *recurring.Service

	table     dynamo.Table
	now       func() time.Time
	links     conversations.Links
	schedules scheduler.Scheduler
	log       *slog.Logger
}

// Option is a choice New takes besides the table and the clock.
type Option func(*Areas)

// WithLinks gives the conversations area its link keys and where links
// point. Without it, New makes a key ring of its own (links work only in
// this process) and links point at http://localhost: what the tests need.
func WithLinks(l conversations.Links) Option { return func(a *Areas) { a.links = l } }

// WithScheduler gives the recurring area the scheduler it makes its
// schedules with (the recurring function's: AWS; the local stack's:
// in process), and the log of its stream and triggers. Without it, the
// area only reads (previews and runs: the settings function).
func WithScheduler(s scheduler.Scheduler, log *slog.Logger) Option {
	return func(a *Areas) { a.schedules, a.log = s, log }
}

// NewSettings is the settings service alone: all the settings function
// needs. (The function still imports the other areas' packages through
// this one; the linker drops what it does not call.)
func NewSettings(table dynamo.Table, now func() time.Time) *settings.Service {
	return settings.NewService(table, now, SettingsCacheTTL)
}

// New builds every area on table, with the clock now.
func New(table dynamo.Table, now func() time.Time, opts ...Option) *Areas {
	st := NewSettings(table, now)
	cu := customers.NewService(table, now)
	cs := cases.NewService(table, st, cu, now)
	cu.OnRename(cs) // a case is found by its customer's names
	// A recurring case's data is checked by the rules of a case, and what
	// an active definition uses is kept from being deleted.
	st.CheckRecurringWith(cs.CheckRecurring)
	cu.UseDefinitions(st)
	keys := apikeys.NewService(table, st, now)
	a := &Areas{
		Settings:      st,
		Customers:     cu,
		Cases:         cs,
		Notifications: notifications.NewService(table, st, now),
		APIKeys:       keys,
		Intake:        intake.NewService(table, st, keys, cs, cu, now),
		Portal:        portal.NewService(st, cs, now),
		table:         table,
		now:           now,
		links:         conversations.Links{Ring: linktoken.Generate("local"), BaseURL: "http://localhost"},
	}
	for _, o := range opts {
		o(a)
	}
	a.Conversations = conversations.NewService(table, st, cs, cu, a.links, now)
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.Recurring = recurring.NewService(table, st, cs, a.schedules, now, a.log)
	return a
}

// Mailer is the mailer of the outbox items in the areas' table: it reads
// settings, cases and contacts through the areas' own services, makes
// conversation links with the areas' link keys, and sends with sender.
func (a *Areas) Mailer(sender mail.Sender, cfg mail.Config, log *slog.Logger) *mail.Mailer {
	src := mail.Sources{Settings: a.Settings, Cases: a.Cases, Customers: a.Customers, Links: a.links}
	return mail.NewMailer(a.table, src, sender, cfg, a.now, log)
}

// PublicAPIPrefix starts the paths of the routes on the public API
// (template.yaml PublicApi): website intake, which takes an API key
// instead of a token and answers CORS per key, so its API has neither an
// authorizer nor a CORS configuration of API Gateway's.
const PublicAPIPrefix = "/v1/external/"

// Function names, as template.yaml calls the HTTP functions.
const (
	SettingsFunction      = "SettingsFunction"
	CasesFunction         = "CasesFunction"
	IntakeFunction        = "IntakeFunction"
	ConversationsFunction = "ConversationsFunction"
)

// Functions maps each HTTP function to the routes it serves. With nil
// Areas it still lists the routes (the handlers then are not callable):
// what the route agreement test needs.
func (a *Areas) Functions() map[string][]httpapi.Route {
	var x Areas
	if a != nil {
		x = *a
	}
	return map[string][]httpapi.Route{
		SettingsFunction:      x.SettingsRoutes(),
		CasesFunction:         x.CasesRoutes(),
		IntakeFunction:        x.IntakeRoutes(),
		ConversationsFunction: x.ConversationsRoutes(),
	}
}

// A function's main asks for its own routes by name of method, not by a
// string: the linker then keeps only the handlers that function serves
// (and what they call), where a lookup by a string it cannot follow kept
// every area's in every bootstrap (18 MB each instead of 13; see the
// README's bench report).

// SettingsRoutes are the settings function's routes: the settings, with
// the previews and the runs of recurring cases (it never schedules).
func (a *Areas) SettingsRoutes() []httpapi.Route {
	return slices.Concat(settings.Routes(a.Settings), recurring.Routes(a.Recurring))
}

// CasesRoutes are the cases function's routes: cases and their work,
// customers and orders, notifications.
func (a *Areas) CasesRoutes() []httpapi.Route {
	return slices.Concat(cases.Routes(a.Cases), customers.Routes(a.Customers), notifications.Routes(a.Notifications))
}

// IntakeRoutes are the intake function's routes: website intake (on the
// public API), the customer portal and the API keys.
func (a *Areas) IntakeRoutes() []httpapi.Route {
	return slices.Concat(apikeys.Routes(a.APIKeys), intake.Routes(a.Intake), portal.Routes(a.Portal))
}

// ConversationsRoutes are the conversations function's routes.
func (a *Areas) ConversationsRoutes() []httpapi.Route {
	return conversations.Routes(a.Conversations)
}

// AllRoutes are the routes of every function: the local stack serves them
// on one port.
func (a *Areas) AllRoutes() []httpapi.Route {
	fns := a.Functions()
	return slices.Concat(fns[SettingsFunction], fns[CasesFunction], fns[IntakeFunction], fns[ConversationsFunction])
}

// LambdaHandler is a function's whole HTTP stack in AWS: request logging,
// identity from API Gateway's JWT authorizer context (never a header),
// then the routes on the real mux (public routes without identity: see
// identity.Handler).
func LambdaHandler(routes []httpapi.Route, log *slog.Logger) http.Handler {
	return httpapi.Observe(log, identity.RequestIDFromAPIGateway, identity.Handler(identity.FromAPIGateway, routes))
}
