package cases

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// The writes of a change and of a delete of a case, and what a create and
// a change both write beside the case item.

// effects are what a create or a change writes beside the case item: its
// event, its mail, whether it completes the linked order, and the version
// of the customer whose names the case took (0: none taken by it).
type effects struct {
	event         *Event
	texts         []string // mailed to the case's contact
	completeOrder bool
	customerAt    int64
	// formSubmitted, when set, is a close of a case whose form must be
	// submitted first: the transaction checks that it is.
	formSubmitted bool
	// customerCheck, when set, proves the customer, the contact and the
	// names the case took of them instead of the check of customerAt: a
	// create that found them elsewhere than by reading the customer (the
	// index of contacts by e-mail, see CreateFrom).
	customerCheck *dynamo.Write
}

// fits answers writes when one transaction holds them, else 413 with the
// hint of what to change.
func fits(writes []dynamo.Write, hint string) ([]dynamo.Write, error) {
	if len(writes) > dynamo.MaxTxWrites {
		return nil, problem.New(problem.TooLarge, "This would write %d items in one transaction; at most %d are possible. %s", len(writes), dynamo.MaxTxWrites, hint)
	}
	return writes, nil
}

// caseWrites are what a create (before nil) or a change from before to
// after writes beside the case item: its event, its list and search
// entries, its mail, the checks of what it newly refers to and, when it
// closes, the completion of its linked order with an event of its own.
func (s *Service) caseWrites(tenant string, before, after *Case, e *effects) ([]dynamo.Write, error) {
	now := after.UpdatedAt
	ev, err := eventWrite(tenant, after.ID, e.event)
	if err != nil {
		return nil, err
	}
	vw, err := viewWrites(tenant, before, after)
	if err != nil {
		return nil, err
	}
	mails, err := mailWrites(tenant, after, e.texts, now)
	if err != nil {
		return nil, err
	}
	sw, err := slaWrites(tenant, before, after)
	if err != nil {
		return nil, err
	}
	writes := append(append(append(append([]dynamo.Write{ev}, vw...), searchWrites(tenant, before, after)...), mails...), sw...)
	writes = append(writes, s.referenceChecks(tenant, before, after, e)...)
	if e.formSubmitted {
		writes = append(writes, formSubmitted(tenant, after.ID))
	}
	if !e.completeOrder {
		return writes, nil
	}
	oe, err := eventWrite(tenant, after.ID, &Event{ID: e.event.ID + "o", At: now, By: e.event.By, Type: "order-completed", Subject: after.LinkedOrderID})
	if err != nil {
		return nil, err
	}
	return append(writes, s.customers.CompleteOrder(tenant, after.LinkedOrderID, now.Time).Meaning(errOrderNotOpen), oe), nil
}

// referenceChecks are the checks of every customer, contact and order the
// case newly refers to; each says what its failure means. The customer is
// checked at the version whose names the case took, which proves the
// contact too. The completion of an order proves that it exists (its
// condition is that it exists and is open), and a transaction may not
// hold two operations on one item: an order completed gets no check. (If
// the completion fails, the retry without it checks the order.)
func (s *Service) referenceChecks(tenant string, before, after *Case, e *effects) []dynamo.Write {
	var out []dynamo.Write
	switch {
	case after.CustomerID == "" || (before != nil && before.CustomerID == after.CustomerID && before.ContactID == after.ContactID):
	case e.customerCheck != nil:
		out = append(out, *e.customerCheck)
	default:
		out = append(out, s.customerAt(tenant, after.CustomerID, e.customerAt))
	}
	if after.LinkedOrderID != "" && (before == nil || before.LinkedOrderID != after.LinkedOrderID) && !e.completeOrder {
		out = append(out, s.customers.CheckOrder(tenant, after.LinkedOrderID))
	}
	return out
}

// storeChange writes a planned change of a case: the case, its event, its
// list and search entries, the checks of what it newly refers to, its mail
// and, when it closes, the completion of its linked order. An order that
// is not open (any more) is left as it is: the case closes without it. A
// case whose customer was renamed since it was read, and a customer
// changed since its names were read (a switch), are read again.
func (s *Service) storeChange(ctx context.Context, tenant string, ch *caseChange) error {
	for range 3 {
		writes, err := s.changeWrites(tenant, ch)
		if err != nil {
			return err
		}
		err = s.table.Commit(ctx, "update case", writes...)
		switch {
		case errors.Is(err, errOrderNotOpen):
			ch.completeOrder = false
		case errors.Is(err, errCaseChanged):
			if err := s.renamedMeanwhile(ctx, tenant, ch.old, ch.c); err != nil {
				return err
			}
		case errors.Is(err, errCustomerChanged):
			if ch.c.names, ch.customerAt, err = s.customerNames(ctx, tenant, ch.c.CustomerID, ch.c.ContactID); err != nil {
				return err
			}
		case errors.Is(err, errFormNotSubmitted):
			return s.notSubmitted(ctx, tenant, ch.c.ID)
		default:
			return err
		}
	}
	return problem.New(problem.Unavailable, "The case could not be saved; try again.")
}

// renamedMeanwhile answers a write whose case is no longer as old was
// read: 404 when it was deleted meanwhile, 412 when it is at another
// version. When only its names changed (its customer was renamed), old
// and c (unless c took another customer's) get the new ones, and the
// write may be made again: nil.
func (s *Service) renamedMeanwhile(ctx context.Context, tenant string, old, c *Case) error {
	now, err := s.getCase(ctx, tenant, old.ID)
	if err != nil {
		return err
	}
	if now.Version != old.Version {
		return httpapi.Stale("case", now.Version, old.Version)
	}
	if c.CustomerID == old.CustomerID && c.ContactID == old.ContactID {
		c.names = now.names
	}
	old.names, old.namesRead = now.names, now.namesRead
	return nil
}

// changeWrites are the writes of a change.
func (s *Service) changeWrites(tenant string, ch *caseChange) ([]dynamo.Write, error) {
	up, err := caseUpdate(tenant, ch.c, ch.old, "", nil)
	if err != nil {
		return nil, err
	}
	rest, err := s.caseWrites(tenant, ch.old, ch.c, &ch.effects)
	if err != nil {
		return nil, err
	}
	return fits(append([]dynamo.Write{up}, rest...), "Change fewer things at once: the assignees first, then the title or the status.")
}

// storeDelete marks the case deleted (version c.Version, based on old),
// writes its event and removes it from every list and from search.
func (s *Service) storeDelete(ctx context.Context, tenant string, old, c *Case, e *Event) error {
	for range 3 {
		c.gone = true // out of every list, and of its form's open cases
		up, err := caseUpdate(tenant, c, old, ", "+attrDeletedAt+" = :at",
			map[string]types.AttributeValue{":at": dynamo.S(dynamo.KeyTime(c.UpdatedAt.Time))})
		if err != nil {
			return err
		}
		ev, err := eventWrite(tenant, c.ID, e)
		if err != nil {
			return err
		}
		vw, err := viewWrites(tenant, old, nil)
		if err != nil {
			return err
		}
		err = s.table.Commit(ctx, "delete case", append(append([]dynamo.Write{up, ev}, vw...), searchWrites(tenant, old, nil)...)...)
		if !errors.Is(err, errCaseChanged) {
			return err
		}
		if err := s.renamedMeanwhile(ctx, tenant, old, c); err != nil {
			return err
		}
	}
	return problem.New(problem.Unavailable, "The case could not be deleted; try again.")
}
