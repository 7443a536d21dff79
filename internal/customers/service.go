// Package customers is the customers area of the module: the tenant's
// customers (companies or persons, with their contacts) and orders, which
// cases refer to. Each customer and each order is its own partition of the
// single table; lists are GSI Queries, one per page.
//
// The cases package builds its own transactions against these objects
// with CheckContact, CheckOrder and CompleteOrder, which make no DynamoDB
// call themselves.
package customers

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Item kinds, in the table's kind attribute.
const (
	kindCustomer    = "customer"
	kindContact     = "contact"
	kindOrder       = "order"
	kindOrderNumber = "order-number"
)

// Native attributes besides the generic ones of package dynamo. An order's
// status and updatedAt are native (not in its JSON data) so that a case
// close can complete it with one Update and no read; a customer's order
// count is native so that an order write can move it with ADD.
const (
	attrStatus    = "status"
	attrUpdatedAt = "updatedAt"
	attrOrders    = "orders"
	attrOrderID   = "orderId"
)

// maxTransactItems is DynamoDB's limit of items in one TransactWriteItems.
const maxTransactItems = 100

// Service reads and changes a tenant's customers and orders.
type Service struct {
	table dynamo.Table
	now   func() time.Time
}

// NewService returns the customers and orders service over the table; now is the clock.
func NewService(table dynamo.Table, now func() time.Time) *Service {
	return &Service{table: table, now: now}
}

// stamp is the time written into createdAt/updatedAt: UTC, milliseconds,
// as every area writes it.
func (s *Service) stamp() time.Time { return dynamo.Stamp(s.now()) }

// validID reports whether a path or body ID can be an ID at all, before it
// reaches a key.
func validID(id string) bool { return identity.ValidID(id) }

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{dynamo.AttrPK: dynamo.S(pk), dynamo.AttrSK: dynamo.S(sk)}
}

// getItem reads one item strongly consistently: a write's precondition is
// checked against what is stored now, not a replica's older copy. A
// missing item is nil without error; the caller names what is missing.
func (s *Service) getItem(ctx context.Context, op string, k map[string]types.AttributeValue) (map[string]types.AttributeValue, error) {
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table.Name),
		Key:            k,
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, dynamo.Unavailable(op, err)
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// commit runs one transaction. A cancelled one answers which of its items'
// conditions failed (failed non-empty, err nil), so the caller can say
// which rule the request broke; every other failure is an error.
func (s *Service) commit(ctx context.Context, op string, items []types.TransactWriteItem) (failed []int, err error) {
	if len(items) > maxTransactItems {
		return nil, problem.New(problem.Internal, "%s: %d transaction items", op, len(items))
	}
	_, err = s.table.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil, nil
	}
	if failed, ok := dynamo.ConditionFailed(err); ok {
		return failed, nil
	}
	return nil, dynamo.Unavailable(op, err)
}

// cond is a condition expression with its names and values.
type cond struct {
	expr   string
	names  map[string]string
	values map[string]types.AttributeValue
}

// mustNotExist is the condition of a Put that creates an item.
func mustNotExist() cond { return cond{expr: "attribute_not_exists(PK)"} }

// versionIs is the condition of a write based on version v.
func versionIs(v int64) cond {
	return cond{expr: "#v = :v", names: map[string]string{"#v": dynamo.AttrVer},
		values: map[string]types.AttributeValue{":v": dynamo.N(v)}}
}

// put is a transaction Put of item, conditioned by c (may be zero).
func (s *Service) put(item map[string]types.AttributeValue, c cond) types.TransactWriteItem {
	p := &types.Put{TableName: aws.String(s.table.Name), Item: item}
	if c.expr != "" {
		p.ConditionExpression = aws.String(c.expr)
		p.ExpressionAttributeNames, p.ExpressionAttributeValues = c.names, c.values
	}
	return types.TransactWriteItem{Put: p}
}

// del is a transaction Delete of the item at k, conditioned by c (may be
// zero).
func (s *Service) del(k map[string]types.AttributeValue, c cond) types.TransactWriteItem {
	d := &types.Delete{TableName: aws.String(s.table.Name), Key: k}
	if c.expr != "" {
		d.ConditionExpression = aws.String(c.expr)
		d.ExpressionAttributeNames, d.ExpressionAttributeValues = c.names, c.values
	}
	return types.TransactWriteItem{Delete: d}
}

// countOrders is the transaction Update that moves a customer's order
// count by delta. It is conditioned on the customer existing: for an
// order's new customer that is the proof the reference is valid, and it
// never creates a stray customer item.
func (s *Service) countOrders(tenant, customerID string, delta int64) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{
		TableName:                 aws.String(s.table.Name),
		Key:                       key(dynamo.CustomerPK(tenant, customerID), dynamo.CustomerSK),
		UpdateExpression:          aws.String("ADD #o :d"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeNames:  map[string]string{"#o": attrOrders},
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": dynamo.N(delta)},
	}}
}

func notFound(noun, id string) error {
	return problem.New(problem.NotFound, "No %s has the ID %q.", noun, id)
}

// maxAttempts bounds how often a write with If-Match: * is planned again
// after another write changed the object between its read and its commit.
const maxAttempts = 3
