package directory

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// The items below are for other areas' transactions (the cases package):
// they prove or change directory objects inside the caller's own
// TransactWriteItems, so that "the contact belongs to the customer" or
// "the linked order is completed" holds exactly when the case change
// commits, with no read beforehand. None of them calls DynamoDB.
//
// The caller validates the IDs (identity.ValidID) before, as for any key.
// An invalid ID still yields an item, one whose condition cannot hold, so
// a forgotten check fails the transaction rather than reaching a key.

// never is a condition no item satisfies.
const never = "attribute_exists(PK) AND attribute_not_exists(PK)"

// CheckContact returns a ConditionCheck that holds when contactID is a
// contact of the tenant's customer customerID (its guard item exists), or,
// when contactID is "", when the customer exists. If the transaction is
// cancelled with ConditionalCheckFailed at this item, the contact is not
// the customer's (or the customer is gone).
func (s *Service) CheckContact(tenant, customerID, contactID string) types.TransactWriteItem {
	condition := "attribute_exists(PK)"
	if !validID(customerID) || (contactID != "" && !validID(contactID)) {
		customerID, contactID, condition = "", "", never
	}
	k := customerKey(tenant, customerID)
	if contactID != "" {
		k = contactKey(tenant, customerID, contactID)
	}
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:           aws.String(s.table.Name),
		Key:                 k,
		ConditionExpression: aws.String(condition),
	}}
}

// CheckOrder returns a ConditionCheck that holds when the tenant's order
// orderID exists.
func (s *Service) CheckOrder(tenant, orderID string) types.TransactWriteItem {
	condition := "attribute_exists(PK)"
	if !validID(orderID) {
		orderID, condition = "", never
	}
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:           aws.String(s.table.Name),
		Key:                 orderKey(tenant, orderID),
		ConditionExpression: aws.String(condition),
	}}
}

// CompleteOrder returns an Update that completes the tenant's open order
// orderID: status completed, version + 1, updatedAt now. These three are
// native attributes of the order item (its JSON data holds neither), so
// the Update needs no read and the order's answer shows it at once.
//
// Its condition is that the order exists and is open. DynamoDB cannot set
// an attribute conditionally within one Update, so a completed or
// cancelled order fails the condition instead of staying as it is: add
// the item only when the order is believed open (e.g. from the case's
// linked order as read), and treat ConditionalCheckFailed at this item as
// "the order was not open (any more)": the caller decides whether to
// retry its transaction without it or to refuse.
func (s *Service) CompleteOrder(tenant, orderID string, now time.Time) types.TransactWriteItem {
	condition := "attribute_exists(PK) AND #s = :open"
	if !validID(orderID) {
		orderID, condition = "", never+" AND #s = :open"
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName:           aws.String(s.table.Name),
		Key:                 orderKey(tenant, orderID),
		UpdateExpression:    aws.String("SET #s = :completed, #v = #v + :one, #u = :now"),
		ConditionExpression: aws.String(condition),
		ExpressionAttributeNames: map[string]string{
			"#s": attrStatus, "#v": dynamo.AttrVer, "#u": attrUpdatedAt,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":open":      dynamo.S(OrderOpen),
			":completed": dynamo.S(OrderCompleted),
			":one":       dynamo.N(1),
			":now":       dynamo.S(now.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano)),
		},
	}}
}
