package customers

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// An order is its own partition, listed on GSI1 (the tenant's orders) and
// GSI2 (its customer's orders), newest first. Its number is kept unique
// by a guard item of its own, and its customer's order count (a native
// attribute of the customer item) moves with every order write, whose
// condition proves the customer exists.

func orderKey(tenant, id string) dynamo.Item {
	return dynamo.Key(dynamo.OrderPK(tenant, id), dynamo.OrderSK)
}

func orderNumberKey(tenant, number string) dynamo.Item {
	return dynamo.Key(dynamo.OrderNumberPK(tenant, number), dynamo.OrderNumberSK)
}

// storedOrder is an order item's JSON data: the fields only an order PATCH
// changes. Status, version and updatedAt are native attributes only, so
// that CompleteOrder can change them with one Update and no read, and the
// data can never disagree with them.
type storedOrder struct {
	ID         string         `json:"id"`
	CreatedAt  timestamp.Time `json:"createdAt"`
	Number     string         `json:"number"`
	Title      string         `json:"title"`
	CustomerID string         `json:"customerId"`
}

// updatedAt is an order's native updatedAt attribute for time t, written
// as the JSON of objects writes times.
func updatedAt(t timestamp.Time) types.AttributeValue { return dynamo.S(t.String()) }

// decodeOrder reads an order item: its data with the native status,
// version and updatedAt merged in.
func decodeOrder(item dynamo.Item) (*Order, error) {
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
		o.UpdatedAt = timestamp.Time{Time: t}
	}
	return o, nil
}

// orderItem is the whole order item, for a Put.
func orderItem(tenant string, o *Order) (dynamo.Item, error) {
	data := storedOrder{ID: o.ID, CreatedAt: o.CreatedAt, Number: o.Number, Title: o.Title, CustomerID: o.CustomerID}
	item, err := dynamo.NewItem(dynamo.OrderPK(tenant, o.ID), dynamo.OrderSK, kindOrder, o.Version, data, maxItemBytes, "order")
	if err != nil {
		return nil, err
	}
	sk := dynamo.S(dynamo.OrderTimeSK(o.CreatedAt.Time, o.ID))
	item[attrStatus] = dynamo.S(o.Status)
	item[attrUpdatedAt] = updatedAt(o.UpdatedAt)
	item[dynamo.AttrGSI1PK] = dynamo.S(dynamo.OrdersGSI1PK(tenant))
	item[dynamo.AttrGSI1SK] = sk
	item[dynamo.AttrGSI2PK] = dynamo.S(dynamo.CustomerOrdersGSI2PK(tenant, o.CustomerID))
	item[dynamo.AttrGSI2SK] = sk
	return item, nil
}

// numberGuard writes the item that keeps an order number unique in its
// tenant: it fails (numberTaken) when another order has the number.
func numberGuard(tenant, number, orderID string) dynamo.Write {
	item := orderNumberKey(tenant, number)
	item[dynamo.AttrKind] = dynamo.S(kindOrderNumber)
	item[attrOrderID] = dynamo.S(orderID)
	return dynamo.Put(item, dynamo.NotExists(), numberTaken(number))
}

// dropNumberGuard frees an order number.
func dropNumberGuard(tenant, number string) dynamo.Write {
	return dynamo.Delete(orderNumberKey(tenant, number), dynamo.Cond{}, nil)
}

// countOrders moves a customer's order count by delta. It is conditioned
// on the customer existing: for an order's new customer that is the proof
// the reference is valid, and it never creates a stray customer item.
// fails is what a missing customer means to the write it is part of.
func countOrders(tenant, customerID string, delta int64, fails error) dynamo.Write {
	return dynamo.Change(dynamo.Update{
		Key:    customerKey(tenant, customerID),
		Set:    "ADD #o :d",
		Names:  map[string]string{"#o": attrOrders},
		Values: map[string]types.AttributeValue{":d": dynamo.N(delta)},
	}, dynamo.Exists(), fails)
}

// customerGone is what it means when the customer an order had is gone: a
// customer with orders cannot be deleted, so it is a bug.
func customerGone(o *Order) error {
	return problem.Wrap(problem.Internal, fmt.Errorf("order %s: its customer %s is gone", o.ID, o.CustomerID), "")
}

// order reads the tenant's order with the ID (one GetItem), or answers
// NotFound.
func (st store) order(ctx context.Context, tenant, id string) (*Order, error) {
	if !identity.ValidID(id) {
		return nil, notFound("order", id)
	}
	item, err := st.get(ctx, "get order", orderKey(tenant, id))
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

// orders reads one page of the tenant's orders, newest first, or of one
// customer's when customerID (a valid ID) is given.
func (st store) orders(ctx context.Context, tenant, customerID string, limit int, cursor string) ([]*Order, string, error) {
	idx := ordersIndex(tenant)
	if customerID != "" {
		idx = customerOrdersIndex(tenant, customerID)
	}
	return page(ctx, st, idx, limit, cursor, decodeOrder)
}

// newestOrder is the customer's newest order as GSI2 shows it (one Query),
// nil when it shows none or one that cannot be read: it only serves as an
// example.
func (st store) newestOrder(ctx context.Context, tenant, customerID string) (*Order, error) {
	orders, _, err := page(ctx, st, customerOrdersIndex(tenant, customerID), 1, "", func(it dynamo.Item) (*Order, error) {
		o, err := decodeOrder(it)
		if err != nil {
			return nil, nil // an example that cannot be read names none
		}
		return o, nil
	})
	if err != nil || len(orders) == 0 {
		return nil, err
	}
	return orders[0], nil
}

// createOrder stores the order, its number guard and its customer's order
// count in one transaction: the count's condition proves the customer
// exists, and the guard's that the number is free, with no read.
func (st store) createOrder(ctx context.Context, tenant string, o *Order) error {
	item, err := orderItem(tenant, o)
	if err != nil {
		return err
	}
	return st.table.Commit(ctx, "create order",
		dynamo.Put(item, dynamo.NotExists(), idTaken("order", o.ID)),
		numberGuard(tenant, o.Number, o.ID),
		countOrders(tenant, o.CustomerID, 1, noSuchCustomer(o.CustomerID)))
}

// updateOrder stores o over old, the version it was planned on
// (errChanged when that is no longer the stored one). A new number moves
// its guard; a new customer moves the order count (the new customer's
// condition proves it exists).
func (st store) updateOrder(ctx context.Context, tenant string, o, old *Order) error {
	item, err := orderItem(tenant, o)
	if err != nil {
		return err
	}
	writes := []dynamo.Write{dynamo.Put(item, dynamo.VersionIs(old.Version), errChanged)}
	if dynamo.OrderNumberPK(tenant, o.Number) != dynamo.OrderNumberPK(tenant, old.Number) {
		writes = append(writes, numberGuard(tenant, o.Number, o.ID), dropNumberGuard(tenant, old.Number))
	}
	if o.CustomerID != old.CustomerID {
		writes = append(writes, countOrders(tenant, o.CustomerID, 1, noSuchCustomer(o.CustomerID)),
			countOrders(tenant, old.CustomerID, -1, customerGone(old)))
	}
	return st.table.Commit(ctx, "update order", writes...)
}

// deleteOrder removes the order o as it was read (errChanged when that is
// no longer the stored version) and its number guard, and counts it off
// its customer.
func (st store) deleteOrder(ctx context.Context, tenant string, o *Order, guards ...dynamo.Write) error {
	return st.table.Commit(ctx, "delete order", append([]dynamo.Write{
		dynamo.Delete(orderKey(tenant, o.ID), dynamo.VersionIs(o.Version), errChanged),
		dropNumberGuard(tenant, o.Number),
		countOrders(tenant, o.CustomerID, -1, customerGone(o))}, guards...)...)
}
