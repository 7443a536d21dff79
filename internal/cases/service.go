package cases

import (
	"context"
	"time"

	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Customers builds the checks and changes of customers and orders that a
// case's transaction includes, so that no extra read is needed. Each write
// carries what its failure means.
type Customers interface {
	// Customer reads the tenant's customer (NotFound when there is none):
	// a case takes its name and its contact's, to be found by them.
	Customer(ctx context.Context, tenant, id string) (*customers.Customer, error)
	// CheckCustomer holds while the customer is at the version read: its
	// names, and the contact a case names, are still those read.
	CheckCustomer(tenant, customerID string, version int64) dynamo.Write
	// CheckContact holds when the contact is one of the customer's (or,
	// without a contact, when the customer exists).
	CheckContact(tenant, customerID, contactID string) dynamo.Write
	// CheckOrder holds when the order exists.
	CheckOrder(tenant, orderID string) dynamo.Write
	// CompleteOrder completes the order; it fails unless the order is open.
	CompleteOrder(tenant, orderID string, now time.Time) dynamo.Write
}

// Service works the cases of tenants. Its methods take a context and plain
// values and answer the objects of the API; the routes (routes.go) read
// requests and write answers, the store*.go files hold every read and
// write of the table, and the rules are functions of their inputs.
type Service struct {
	table     dynamo.Table
	settings  settings.Reader
	customers Customers
	now       func() time.Time
}

// NewService returns the cases service over the table.
func NewService(table dynamo.Table, st settings.Reader, cu Customers, now func() time.Time) *Service {
	return &Service{table: table, settings: st, customers: cu, now: now}
}

// stamp is the time written into objects: UTC, milliseconds.
func (s *Service) stamp() timestamp.Time { return timestamp.New(s.now()) }

// Bounds of what a case holds.
const (
	maxTitle       = 200
	maxDescription = 20000
	maxFieldText   = 1000
	maxObjectBytes = 64 << 10
	maxTaskTitle   = 200
	maxNote        = 2000
)

func validID(id string) bool { return identity.ValidID(id) }

// reporter is the directory user a principal acts as, for "by" and
// "createdBy": the user linked to its login, else the login's own ID.
func reporter(snap *settings.Snapshot, p identity.Principal) string {
	if u, err := snap.UserBySubject(p.User); err == nil {
		return u.ID
	}
	return p.User
}

// who is reporter for a change that needs no other settings: the settings
// are read only for it. A failure to read them fails the change (it is
// tried again), so that no event names a login where a user belongs.
func (s *Service) who(ctx context.Context, p identity.Principal) (string, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return "", err
	}
	return reporter(snap, p), nil
}

// decorate adds what is computed when answering: the SLA against the clock.
func (s *Service) decorate(snap *settings.Snapshot, c *Case) {
	if p, ok := snap.Priorities[c.PriorityID]; ok {
		c.SLA = sla(c, p, s.stamp())
	}
}
