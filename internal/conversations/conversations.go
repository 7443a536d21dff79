// Package conversations is Kundkonversationer: the messages between staff
// and a case's customer. Staff write to the case's contact (the message,
// its event and the mail go in one transaction); the contact reads and
// replies on the page of the encrypted link in that mail (/c/<token>,
// server-rendered HTML, no account), or, when the tenant's customers use
// the portal, through the portal's API. A reply notifies whoever works
// the case and reopens a closed one.
//
// Messages live in the case's partition (dynamo.MessageSK), beside the
// case; the link tokens are package linktoken's, and a link works only
// while the case is in the link epoch it was made in (see
// cases.Case.LinkEpoch). No token is ever stored: the mailer makes the
// link when it composes the mail (Links.ConversationLink).
package conversations

import (
	"context"
	"html/template"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Message is one message of a case's conversation with its customer.
type Message struct {
	ID        string         `json:"id"`
	CreatedAt timestamp.Time `json:"createdAt"`
	// Direction is out (from staff) or in (from the customer).
	Direction string `json:"direction"`
	Body      string `json:"body"`
	Author    Author `json:"author"`
}

// The directions of a message.
const (
	Out = "out"
	In  = "in"
)

// CurrentVersion is 1: messages are not edited.
func (m *Message) CurrentVersion() int64 { return 1 }

// Author is who wrote a message: a member of staff (ID their user) or the
// customer (ID the contact, or the portal login). Customers see the name
// only.
type Author struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	ID   string `json:"id,omitempty"`
}

// The kinds of author.
const (
	Staff    = "staff"
	Customer = "customer"
)

// Cases is what the conversations area reads and hands over of cases;
// package cases serves it.
type Cases interface {
	cases.Reader
	// Reopen is the reopening of a closed case by a customer's reply, as
	// writes (none for a case that is not closed).
	Reopen(ctx context.Context, tenant string, c *cases.Case, by string, at time.Time) (*cases.Case, []dynamo.Write, error)
	// RevokeLinks moves the case's link epoch on.
	RevokeLinks(ctx context.Context, p identity.Principal, id string) (*cases.Case, error)
	// CaseAndForm reads a case and its form (nil when it has none) at once.
	CaseAndForm(ctx context.Context, tenant, caseID string) (*cases.Case, *cases.CaseForm, error)
	// SaveForm saves answers to a case's form.
	SaveForm(ctx context.Context, tenant, caseID string, save cases.FormSave) (*cases.CaseForm, error)
}

var _ Cases = (*cases.Service)(nil)

// Links is what the links of the area need: the keys, where a link points
// and where the portal is.
type Links struct {
	// Ring seals and opens the link tokens.
	Ring *linktoken.Ring
	// BaseURL is the public base URL of the API (https://api.example.se):
	// a link is <BaseURL>/c/<token>.
	BaseURL string
	// PortalURL is the customer portal: in portal mode a mail links
	// <PortalURL>/cases/<case ID>, and the link page sends customers there.
	PortalURL string
}

// Service is the conversations of every tenant. Its methods take a context
// and plain values; the routes (routes.go, pages.go) read requests and
// write answers, store.go holds every read and write of the table.
type Service struct {
	table     dynamo.Table
	settings  settings.Reader
	cases     Cases
	customers customers.Reader
	links     Links
	now       func() time.Time
	// pageTemplate is the customer's page's, parsed by Routes.
	pageTemplate *template.Template
}

// NewService returns the conversations service over the table.
func NewService(table dynamo.Table, st settings.Reader, cs Cases, cu customers.Reader, links Links, now func() time.Time) *Service {
	links.BaseURL = strings.TrimRight(links.BaseURL, "/")
	links.PortalURL = strings.TrimRight(links.PortalURL, "/")
	return &Service{table: table, settings: st, cases: cs, customers: cu, links: links, now: now}
}

// stamp is the time written into objects: UTC, milliseconds.
func (s *Service) stamp() timestamp.Time { return timestamp.New(s.now()) }

// Bounds of what the area takes.
const (
	maxMessage = 10000 // a staff message, in characters
	maxReply   = 5000  // a customer's reply
	pageSize   = 50    // a page of messages when none is asked for
	// shownOnPage is how many of the latest messages the customer's page
	// shows.
	shownOnPage = 100
	// linkValidFor is a link's life when the settings do not say.
	linkValidFor = 30 * 24 * time.Hour
)

// Rate limits per case, counted in fixed windows.
var (
	replyLimit = limit{name: "reply", max: 20, window: time.Hour}
	formLimit  = limit{name: "form", max: 20, window: time.Hour}
	linkLimit  = limit{name: "link", max: 3, window: 24 * time.Hour}
)

// validFor is how long the tenant's links work (linkValidFor).
func validFor(snap *settings.Snapshot) time.Duration {
	if d, err := settings.ParseDuration(snap.Conversations.LinkValidFor); err == nil && d > 0 {
		return d
	}
	return linkValidFor
}

// portalMode reports whether the tenant's customers reach conversations
// through the portal rather than by link.
func portalMode(snap *settings.Snapshot) bool { return snap.Conversations.Access == "portal" }
