package customers

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
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
	ID        string    `json:"id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
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

// storedOrder is an order item's JSON data: the fields only an order PATCH
// changes. Status, version and updatedAt are native attributes only, so
// that CompleteOrder can change them with one Update and no read, and the
// data can never disagree with them.
type storedOrder struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"createdAt"`
	Number     string    `json:"number"`
	Title      string    `json:"title"`
	CustomerID string    `json:"customerId"`
}

func (v *OrderFields) check(errs *problem.Fields) {
	checkLine(errs, "number", v.Number, 1, maxNumber)
	if strings.TrimFunc(v.Number, unicode.IsSpace) != v.Number {
		errs.Add("number", "may not start or end with spaces")
	}
	checkLine(errs, "title", v.Title, 1, maxTitle)
	switch {
	case v.CustomerID == "":
		errs.Add("customerId", "is required")
	case !validID(v.CustomerID):
		errs.Add("customerId", "is not a valid ID")
	}
	if v.Status == "" {
		v.Status = OrderOpen
	}
	errs.OneOf("status", v.Status, OrderOpen, OrderCompleted, OrderCancelled)
}

func orderKey(tenant, id string) map[string]types.AttributeValue {
	return key(dynamo.OrderPK(tenant, id), dynamo.OrderSK)
}

func orderNumberKey(tenant, number string) map[string]types.AttributeValue {
	return key(dynamo.OrderNumberPK(tenant, number), dynamo.OrderNumberSK)
}

// decodeOrder reads an order item: its data with the native status,
// version and updatedAt merged in.
func decodeOrder(item map[string]types.AttributeValue) (*Order, error) {
	var d storedOrder
	if err := dynamo.DecodeData(item, &d); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode order: %w", err), "")
	}
	o := &Order{ID: d.ID, CreatedAt: d.CreatedAt, Version: dynamo.Int(item, dynamo.AttrVer),
		OrderFields: OrderFields{Number: d.Number, Title: d.Title, CustomerID: d.CustomerID}}
	if s, ok := item[attrStatus].(*types.AttributeValueMemberS); ok {
		o.Status = s.Value
	}
	if s, ok := item[attrUpdatedAt].(*types.AttributeValueMemberS); ok {
		t, err := time.Parse(time.RFC3339Nano, s.Value)
		if err != nil {
			return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode order %s updatedAt: %w", d.ID, err), "")
		}
		o.UpdatedAt = t
	}
	return o, nil
}

// orderItem is the whole order item, for a Put.
func orderItem(tenant string, o *Order) (map[string]types.AttributeValue, error) {
	data, err := dynamo.Data(storedOrder{ID: o.ID, CreatedAt: o.CreatedAt, Number: o.Number, Title: o.Title, CustomerID: o.CustomerID})
	if err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("marshal order: %w", err), "")
	}
	sk := dynamo.OrderTimeSK(o.CreatedAt, o.ID)
	item := orderKey(tenant, o.ID)
	item[dynamo.AttrKind] = dynamo.S(kindOrder)
	item[dynamo.AttrVer] = dynamo.N(o.Version)
	item[attrStatus] = dynamo.S(o.Status)
	item[attrUpdatedAt] = dynamo.S(o.UpdatedAt.UTC().Format(time.RFC3339Nano))
	item[dynamo.AttrGSI1PK] = dynamo.S(dynamo.OrdersGSI1PK(tenant))
	item[dynamo.AttrGSI1SK] = dynamo.S(sk)
	item[dynamo.AttrGSI2PK] = dynamo.S(dynamo.CustomerOrdersGSI2PK(tenant, o.CustomerID))
	item[dynamo.AttrGSI2SK] = dynamo.S(sk)
	item[dynamo.AttrData] = data
	return item, nil
}

// numberGuard is the item that keeps an order number unique in its tenant.
func (s *Service) numberGuard(tenant, number, orderID string) types.TransactWriteItem {
	item := orderNumberKey(tenant, number)
	item[dynamo.AttrKind] = dynamo.S(kindOrderNumber)
	item[attrOrderID] = dynamo.S(orderID)
	return s.put(item, mustNotExist())
}

func numberTaken(number string) error {
	return &problem.Error{Code: problem.Conflict, Detail: fmt.Sprintf("Another order already has the number %q.", number),
		Fields: []problem.FieldError{{Field: "number", Message: "is already used by another order (numbers are compared ignoring case)"}}}
}

func noSuchCustomer(id string) error {
	return problem.FieldInvalid("customerId", "no customer has the ID %q", id)
}

// Order returns the tenant's order with the ID (one GetItem), or NotFound.
func (s *Service) Order(ctx context.Context, tenant, id string) (*Order, error) {
	if !validID(id) {
		return nil, notFound("order", id)
	}
	item, err := s.getItem(ctx, "get order", orderKey(tenant, id))
	if err != nil {
		return nil, err
	}
	if item == nil {
		return nil, notFound("order", id)
	}
	return decodeOrder(item)
}

func ordersIndex(tenant string) listIndex {
	return listIndex{
		index: dynamo.IndexGSI1, pkAttr: dynamo.AttrGSI1PK, skAttr: dynamo.AttrGSI1SK,
		partition: dynamo.OrdersGSI1PK(tenant),
		itemPK:    dynamo.OrderPK(tenant, ""), itemSK: dynamo.OrderSK, newestFirst: true,
	}
}

func customerOrdersIndex(tenant, customerID string) listIndex {
	return listIndex{
		index: dynamo.IndexGSI2, pkAttr: dynamo.AttrGSI2PK, skAttr: dynamo.AttrGSI2SK,
		partition: dynamo.CustomerOrdersGSI2PK(tenant, customerID),
		itemPK:    dynamo.OrderPK(tenant, ""), itemSK: dynamo.OrderSK, newestFirst: true,
	}
}

// listOrders answers one page of the tenant's orders, newest first, or of
// one customer's when customerID is given. An unknown customer has no
// orders: an empty page, not a 404, so the list costs one Query whatever
// is asked.
func (s *Service) listOrders(ctx context.Context, tenant, customerID string, p httpapi.Page) (httpapi.List[*Order], error) {
	idx := ordersIndex(tenant)
	if customerID != "" {
		if !validID(customerID) {
			return httpapi.List[*Order]{}, problem.FieldInvalid("customerId", "is not a valid ID")
		}
		idx = customerOrdersIndex(tenant, customerID)
	}
	items, next, err := s.page(ctx, idx, p)
	if err != nil {
		return httpapi.List[*Order]{}, err
	}
	out := httpapi.List[*Order]{Items: make([]*Order, 0, len(items)), Next: next}
	for _, it := range items {
		o, err := decodeOrder(it)
		if err != nil {
			return httpapi.List[*Order]{}, err
		}
		out.Items = append(out.Items, o)
	}
	return out, nil
}

// createOrder stores the order, its number guard and its customer's order
// count in one transaction: the count's condition proves the customer
// exists, and the guard's that the number is free, with no read.
func (s *Service) createOrder(ctx context.Context, tenant string, in *OrderFields) (*Order, error) {
	var errs problem.Fields
	in.check(&errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	o := &Order{ID: dynamo.NewID(now), Version: 1, CreatedAt: now, UpdatedAt: now, OrderFields: *in}
	item, err := orderItem(tenant, o)
	if err != nil {
		return nil, err
	}
	failed, err := s.commit(ctx, "create order", []types.TransactWriteItem{
		s.put(item, mustNotExist()),
		s.numberGuard(tenant, o.Number, o.ID),
		s.countOrders(tenant, o.CustomerID, 1),
	})
	switch {
	case err != nil:
		return nil, err
	case len(failed) == 0:
		return o, nil
	case failed[0] == 1:
		return nil, numberTaken(o.Number)
	case failed[0] == 2:
		return nil, noSuchCustomer(o.CustomerID)
	}
	return nil, problem.New(problem.Internal, "create order: condition failed on %v", failed)
}

// updateOrder merge-patches the order, based on version. A new number
// moves its guard; a new customer moves the order count (the new
// customer's condition proves it exists).
func (s *Service) updateOrder(ctx context.Context, tenant, id string, version int64, in httpapi.ObjectRequest) (*Order, error) {
	for range maxAttempts {
		old, err := s.Order(ctx, tenant, id)
		if err != nil {
			return nil, err
		}
		if err := httpapi.CheckVersion("order", old, version, in.Echoed); err != nil {
			return nil, err
		}
		v := new(OrderFields)
		if err := httpapi.MergePatch(old.OrderFields, in.Body, v); err != nil {
			return nil, err
		}
		var errs problem.Fields
		v.check(&errs)
		if err := errs.Err(); err != nil {
			return nil, err
		}
		o := &Order{ID: old.ID, Version: old.Version + 1, CreatedAt: old.CreatedAt, UpdatedAt: s.stamp(), OrderFields: *v}
		item, err := orderItem(tenant, o)
		if err != nil {
			return nil, err
		}
		tx := []types.TransactWriteItem{s.put(item, versionIs(old.Version))}
		guardAt, customerAt := -1, -1
		if dynamo.OrderNumberPK(tenant, o.Number) != dynamo.OrderNumberPK(tenant, old.Number) {
			guardAt = len(tx)
			tx = append(tx, s.numberGuard(tenant, o.Number, o.ID), s.del(orderNumberKey(tenant, old.Number), cond{}))
		}
		if o.CustomerID != old.CustomerID {
			customerAt = len(tx)
			tx = append(tx, s.countOrders(tenant, o.CustomerID, 1), s.countOrders(tenant, old.CustomerID, -1))
		}
		failed, err := s.commit(ctx, "update order", tx)
		switch {
		case err != nil:
			return nil, err
		case len(failed) == 0:
			return o, nil
		case failed[0] == guardAt:
			return nil, numberTaken(o.Number)
		case failed[0] == customerAt:
			return nil, noSuchCustomer(o.CustomerID)
		case failed[0] != 0:
			return nil, problem.New(problem.Internal, "update order: condition failed on %v", failed)
		}
		// The order changed or went between the read and the commit: the
		// next read answers 404 or 412, or plans again for If-Match: *.
	}
	return nil, problem.New(problem.Unavailable, "The order is being changed by someone else; try again.")
}

// deleteOrder removes the order and its number guard, and counts it off
// its customer.
//
// An order that cases are linked to is kept (409 naming one case).
func (s *Service) deleteOrder(ctx context.Context, tenant, id string, version int64) error {
	if ref, err := dynamo.CaseIn(ctx, s.table, tenant, "order="+id); err != nil {
		return err
	} else if ref != "" {
		return problem.New(problem.Conflict, "The order is still linked to %s and maybe others; unlink it first.", ref)
	}
	for range maxAttempts {
		old, err := s.Order(ctx, tenant, id)
		if err != nil {
			return err
		}
		if err := httpapi.CheckVersion("order", old, version, nil); err != nil {
			return err
		}
		failed, err := s.commit(ctx, "delete order", []types.TransactWriteItem{
			s.del(orderKey(tenant, id), versionIs(old.Version)),
			s.del(orderNumberKey(tenant, old.Number), cond{}),
			s.countOrders(tenant, old.CustomerID, -1),
		})
		switch {
		case err != nil:
			return err
		case len(failed) == 0:
			return nil
		case failed[0] != 0:
			return problem.New(problem.Internal, "delete order: condition failed on %v", failed)
		}
	}
	return problem.New(problem.Unavailable, "The order is being changed by someone else; try again.")
}

// hasOrders answers why a customer with orders cannot be deleted, naming
// one of them: the customer's newest order, one Query on GSI2. The index
// lags the table a little, so the count on the customer item decides and
// the Query only names an example.
func (s *Service) hasOrders(ctx context.Context, tenant string, c *Customer, count int64) error {
	out, err := s.table.Client.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table.Name),
		IndexName:                 aws.String(dynamo.IndexGSI2),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": dynamo.AttrGSI2PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(dynamo.CustomerOrdersGSI2PK(tenant, c.ID))},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(1),
	})
	if err != nil {
		return dynamo.Unavailable("query customer orders", err)
	}
	example := ""
	if len(out.Items) > 0 {
		if o, err := decodeOrder(out.Items[0]); err == nil {
			example = fmt.Sprintf(", among them order %s", o.Number)
		}
	}
	return problem.New(problem.Conflict, "The customer %q has %d order(s)%s. Delete them or move them to another customer first.", c.Name, count, example)
}
