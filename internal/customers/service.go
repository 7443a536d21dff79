// Package customers is the customers area of the module: the tenant's
// customers (companies or persons, with their contacts) and orders, which
// cases refer to. Each customer and each order is its own partition of the
// single table; lists are GSI Queries, one per page.
//
// The cases package builds its own transactions against these objects
// with CheckContact, CheckOrder and CompleteOrder, which make no DynamoDB
// call themselves.
//
// The package is layered: routes.go reads requests and writes answers;
// customers.go and orders.go hold the rules, which plan a new or changed
// object from plain values, and the service methods, which read, plan and
// hand the plan to the store; store*.go is all there is of DynamoDB.
package customers

import (
	"context"
	"errors"
	"time"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Service reads and changes a tenant's customers and orders.
type Service struct {
	store       store
	now         func() time.Time
	renames     Renames
	definitions Definitions
}

// Definitions is what customers ask before a customer, a contact or an
// order goes: whether an active recurring-case definition still uses it
// (the settings area keeps them: settings.Service.RecurringUse). It names
// one that does, or hands over a check for the delete's transaction that
// holds only while no definition has come to use it meanwhile.
type Definitions interface {
	RecurringUse(ctx context.Context, tenant string, uses func(customerID, contactID, orderID string) bool) (string, dynamo.Write, error)
}

// UseDefinitions makes deletes ask d (wiring sets it; without it, no
// definition is asked about).
func (s *Service) UseDefinitions(d Definitions) { s.definitions = d }

// definitionGuard answers 409 naming the active definition that uses
// what uses matches (a noun), or the check that proves none does, for
// the delete's transaction: its failure (a definition saved meanwhile)
// reads again (errChanged).
func (s *Service) definitionGuard(ctx context.Context, tenant, noun string, uses func(customerID, contactID, orderID string) bool) ([]dynamo.Write, error) {
	if s.definitions == nil {
		return nil, nil
	}
	name, guard, err := s.definitions.RecurringUse(ctx, tenant, uses)
	if err != nil {
		return nil, err
	}
	if name != "" {
		return nil, problem.New(problem.Conflict, "The %s is still used by %s; pause that or change its case first.", noun, name)
	}
	return []dynamo.Write{guard.Meaning(errChanged)}, nil
}

// NewService returns the customers and orders service over the table; now
// is the clock.
func NewService(table dynamo.Table, now func() time.Time) *Service {
	return &Service{store: store{table: table}, now: now}
}

// stamp is the time written into createdAt/updatedAt: UTC, milliseconds,
// as every area writes it.
func (s *Service) stamp() timestamp.Time { return timestamp.New(s.now()) }

func notFound(noun, id string) error {
	return problem.New(problem.NotFound, "No %s has the ID %q.", noun, id)
}

// unused answers nil when the tenant's case list is empty, and otherwise
// the error refused makes of the name of one case in it: what still
// refers to a contact, customer or order that is to go.
func (s *Service) unused(ctx context.Context, tenant string, list caselist.List, refused func(ref string) error) error {
	ref, err := s.store.caseIn(ctx, tenant, list)
	if err != nil || ref == "" {
		return err
	}
	return refused(ref)
}

// deletable answers whether the object (a noun) with the ID may be
// deleted as far as cases go: 404 when the ID cannot be one, 409 when a
// case is still in list, its detail conflict with that case's name for %s.
func (s *Service) deletable(ctx context.Context, tenant, noun, id string, list caselist.List, conflict string) error {
	if !identity.ValidID(id) {
		return notFound(noun, id)
	}
	return s.unused(ctx, tenant, list, func(ref string) error {
		return problem.New(problem.Conflict, conflict, ref)
	})
}

// maxAttempts bounds how often a write is planned again after another
// write changed the object between its read and its commit.
const maxAttempts = 3

// retry runs attempt (read, plan, commit) until its commit is not refused
// with errChanged, at most maxAttempts times. A refused attempt's next
// read answers 404 or 412, or plans again on the new version for
// If-Match: *.
func retry(noun string, attempt func() error) error {
	for range maxAttempts {
		if err := attempt(); !errors.Is(err, errChanged) {
			return err
		}
	}
	return problem.New(problem.Unavailable, "The %s is being changed by someone else; try again.", noun)
}
