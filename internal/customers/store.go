package customers

import (
	"context"
	"errors"
	"fmt"
	"github.com/workcloud/arendehantering/internal/collation"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// The store is the one place that knows how customers and orders lie in
// the table: keys, items, expressions and every DynamoDB call of the
// package (store_customers.go, store_orders.go, and store_references.go
// for the writes handed to the cases package). The rest of the package
// works with Customer and Order values only.

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

// maxItemBytes bounds the JSON of one customer or order, below DynamoDB's
// 400 KB item limit. The field bounds keep valid input far below it (a
// customer with 50 contacts of the longest fields is under 80 KB); the
// check is the net for a bound added without thought to the item.
const maxItemBytes = 128 << 10

// errChanged is what a write based on a version means when its condition
// fails: the object changed, went, or (a customer) got an order between
// the read and the commit. The service reads again (retry); it never
// reaches a client.
var errChanged = errors.New("changed since it was read")

// idTaken is what the create of an object means when its item exists
// already: a new ID is never taken, so it is a bug, not the client's.
func idTaken(noun, id string) error {
	return problem.Wrap(problem.Internal, fmt.Errorf("create %s: the new ID %s is taken", noun, id), "")
}

// store reads and writes customers and orders in the table.
type store struct {
	table dynamo.Table
}

// get reads one item strongly consistently: a write's precondition is
// checked against what is stored now, not a replica's older copy. A
// missing item is nil without error; the caller names what is missing.
func (st store) get(ctx context.Context, op string, key dynamo.Item) (dynamo.Item, error) {
	out, err := st.table.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(st.table.Name),
		Key:            key,
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

// caseIn names a case in the tenant's case list (caselist.ByContact ...),
// or answers "" when the list is empty: what still refers to a contact,
// customer or order that is to go.
func (st store) caseIn(ctx context.Context, tenant string, list caselist.List) (string, error) {
	return caselist.Usage{Table: st.table}.UsedBy(ctx, tenant, list)
}

// listIndex is one GSI partition a list pages through, and what a cursor
// of that list must look like.
type listIndex struct {
	index     string // GSI1 or GSI2
	pkAttr    string // the index's key attributes
	skAttr    string
	partition string // the index partition of this list (tenant-prefixed)
	// itemPK is the prefix of the table PK of every item of the list
	// (e.g. dynamo.CustomerPK(tenant, "")); itemSK their table SK.
	itemPK string
	itemSK string
	// newestFirst reads the index backwards.
	newestFirst bool
}

// keys are the key attributes of a position in the list.
func (l listIndex) keys() []string {
	return []string{dynamo.AttrPK, dynamo.AttrSK, l.pkAttr, l.skAttr}
}

// validCursor accepts only a key of this very list: the list's own index
// partition (so another tenant's or another customer's cursor is refused),
// a table key of the list's kind for this tenant, and a sort key ending in
// the same ID.
func (l listIndex) validCursor(k map[string]string) bool {
	id, ok := strings.CutPrefix(k[dynamo.AttrPK], l.itemPK)
	return ok && identity.ValidID(id) && k[dynamo.AttrSK] == l.itemSK && k[l.pkAttr] == l.partition &&
		strings.HasSuffix(k[l.skAttr], "#"+id) && len(k[l.skAttr]) <= collation.MaxKeyLen+len(id)+1 // a name key is the longest
}

// page reads one page of the list (see dynamo.Table.Page) and decodes its
// items.
func page[T any](ctx context.Context, st store, l listIndex, limit int, cursor string, decode func(dynamo.Item) (T, error)) ([]T, string, error) {
	items, next, err := st.table.Page(ctx, "query "+l.index, dynamo.PageQuery{
		Input: &dynamodb.QueryInput{
			IndexName:                 aws.String(l.index),
			KeyConditionExpression:    aws.String("#pk = :pk"),
			ExpressionAttributeNames:  map[string]string{"#pk": l.pkAttr},
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(l.partition)},
			ScanIndexForward:          aws.Bool(!l.newestFirst),
		},
		Limit: limit, Cursor: cursor, KeyNames: l.keys(), Valid: l.validCursor,
	})
	if err != nil {
		return nil, "", err
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		v, err := decode(it)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	return out, next, nil
}
