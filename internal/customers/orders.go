package customers

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// The statuses of an order.
const (
	OrderOpen      = "open"
	OrderCompleted = "completed"
	OrderCancelled = "cancelled"
)

// Order is work ordered by a customer, which a case can be linked to (and
// complete when it closes).
type Order struct {
	ID        string         `json:"id"`
	Version   int64          `json:"version"`
	CreatedAt timestamp.Time `json:"createdAt"`
	UpdatedAt timestamp.Time `json:"updatedAt"`
	OrderFields
}

// OrderFields are the fields of an order that a client sets.
type OrderFields struct {
	Number     string `json:"number"`
	Title      string `json:"title"`
	CustomerID string `json:"customerId"`
	Status     string `json:"status"`
}

// CurrentVersion returns the version, for the ETag.
func (o *Order) CurrentVersion() int64 { return o.Version }

func (v *OrderFields) check(errs *problem.Fields) {
	checkLine(errs, "number", v.Number, 1, maxNumber)
	if strings.TrimFunc(v.Number, unicode.IsSpace) != v.Number {
		errs.Add("number", "may not start or end with spaces")
	}
	checkLine(errs, "title", v.Title, 1, maxTitle)
	switch {
	case v.CustomerID == "":
		errs.Add("customerId", "is required")
	case !identity.ValidID(v.CustomerID):
		errs.Add("customerId", "is not a valid ID")
	}
	if v.Status == "" {
		v.Status = OrderOpen
	}
	errs.OneOf("status", v.Status, OrderOpen, OrderCompleted, OrderCancelled)
}

func numberTaken(number string) error {
	return &problem.Error{Code: problem.Conflict, Detail: fmt.Sprintf("Another order already has the number %q.", number),
		Fields: []problem.FieldError{{Field: "number", Message: "is already used by another order (numbers are compared ignoring case)"}}}
}

func noSuchCustomer(id string) error {
	return problem.FieldInvalid("customerId", "no customer has the ID %q", id)
}

// newOrder plans a new order from what a client sent: checked, with a new
// ID.
func newOrder(in *OrderFields, now timestamp.Time) (*Order, error) {
	if err := checked(in, (*OrderFields).check); err != nil {
		return nil, err
	}
	return &Order{ID: dynamo.NewID(now.Time), Version: 1, CreatedAt: now, UpdatedAt: now, OrderFields: *in}, nil
}

// edited plans the order after e: the next version, checked.
func (o *Order) edited(e edit, now timestamp.Time) (*Order, error) {
	v, err := apply("order", o, o.OrderFields, e, (*OrderFields).check)
	if err != nil {
		return nil, err
	}
	return &Order{ID: o.ID, Version: o.Version + 1, CreatedAt: o.CreatedAt, UpdatedAt: now, OrderFields: *v}, nil
}

// Order returns the tenant's order with the ID (one GetItem), or NotFound.
func (s *Service) Order(ctx context.Context, tenant, id string) (*Order, error) {
	return s.store.order(ctx, tenant, id)
}

// listOrders answers one page of the tenant's orders, newest first, or of
// one customer's when customerID is given, and the cursor of the next
// page. An unknown customer has no orders: an empty page, not a 404, so
// the list costs one Query whatever is asked.
func (s *Service) listOrders(ctx context.Context, tenant, customerID string, limit int, cursor string) ([]*Order, string, error) {
	if customerID != "" && !identity.ValidID(customerID) {
		return nil, "", problem.FieldInvalid("customerId", "is not a valid ID")
	}
	return s.store.orders(ctx, tenant, customerID, limit, cursor)
}

// createOrder stores a new order of an existing customer, under a number
// no other order of the tenant has.
func (s *Service) createOrder(ctx context.Context, tenant string, in *OrderFields) (*Order, error) {
	o, err := newOrder(in, s.stamp())
	if err != nil {
		return nil, err
	}
	if err := s.store.createOrder(ctx, tenant, o); err != nil {
		return nil, err
	}
	return o, nil
}

// updateOrder merge-patches the order.
func (s *Service) updateOrder(ctx context.Context, tenant, id string, e edit) (*Order, error) {
	var o *Order
	err := retry("order", func() error {
		old, err := s.store.order(ctx, tenant, id)
		if err != nil {
			return err
		}
		if o, err = old.edited(e, s.stamp()); err != nil {
			return err
		}
		return s.store.updateOrder(ctx, tenant, o, old)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// deleteOrder removes the order. An order that cases are linked to is kept
// (409 naming one case).
func (s *Service) deleteOrder(ctx context.Context, tenant, id string, version int64) error {
	if err := s.deletable(ctx, tenant, "order", id, caselist.ByOrder(id),
		"The order is still linked to %s and maybe others; unlink it first."); err != nil {
		return err
	}
	return retry("order", func() error {
		old, err := s.store.order(ctx, tenant, id)
		if err != nil {
			return err
		}
		if err := httpapi.CheckVersion("order", old, version, nil); err != nil {
			return err
		}
		guards, err := s.definitionGuard(ctx, tenant, "order", func(_, _, or string) bool { return or == id })
		if err != nil {
			return err
		}
		return s.store.deleteOrder(ctx, tenant, old, guards...)
	})
}
