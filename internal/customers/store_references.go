package customers

import (
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// The writes below are for other areas' transactions (the cases package):
// they prove or change customers and orders inside the caller's own
// transaction, so that "the contact belongs to the customer" or "the
// linked order is completed" holds exactly when the case change commits,
// with no read beforehand. None of them calls DynamoDB. Each carries what
// its failure means; the caller may reword it (dynamo.Write.Meaning).
//
// The caller validates the IDs (identity.ValidID) before, as for any key.
// An invalid ID still yields a write, one whose condition cannot hold, so
// a forgotten check fails the transaction rather than reaching a key.

// never is a condition no item satisfies.
var never = dynamo.Cond{Expr: "attribute_exists(PK) AND attribute_not_exists(PK)"}

// ErrOrderNotOpen is what a failed CompleteOrder means: the order is
// completed or cancelled (or gone).
var ErrOrderNotOpen = errors.New("the linked order is not open")

// CheckContact holds when contactID is a contact of the tenant's customer
// customerID (its guard item exists), or, when contactID is "", when the
// customer exists.
func (s *Service) CheckContact(tenant, customerID, contactID string) dynamo.Write {
	fails := problem.FieldInvalid("customerId", "no customer has the ID %q", customerID)
	if contactID != "" {
		fails = problem.FieldInvalid("contactId", "no such contact of customer %q (or no such customer)", customerID)
	}
	cond := dynamo.Exists()
	if !identity.ValidID(customerID) || (contactID != "" && !identity.ValidID(contactID)) {
		customerID, contactID, cond = "", "", never
	}
	k := customerKey(tenant, customerID)
	if contactID != "" {
		k = contactKey(tenant, customerID, contactID)
	}
	return dynamo.Check(k, cond, fails)
}

// ErrCustomerChanged is what a failed CheckCustomer means: the customer is
// at another version (or gone).
var ErrCustomerChanged = errors.New("the customer changed since it was read")

// CheckCustomer holds while the tenant's customer customerID is at
// version: its name and contacts are those of that version. A case that
// took its customer's names (to be found by them) proves with it that
// they are still the names, and that the contact it names is still one of
// the customer's.
func (s *Service) CheckCustomer(tenant, customerID string, version int64) dynamo.Write {
	cond := dynamo.VersionIs(version)
	if !identity.ValidID(customerID) {
		customerID, cond = "", never
	}
	return dynamo.Check(customerKey(tenant, customerID), cond, ErrCustomerChanged)
}

// CheckOrder holds when the tenant's order orderID exists.
func (s *Service) CheckOrder(tenant, orderID string) dynamo.Write {
	fails := problem.FieldInvalid("linkedOrderId", "no order has the ID %q", orderID)
	cond := dynamo.Exists()
	if !identity.ValidID(orderID) {
		orderID, cond = "", never
	}
	return dynamo.Check(orderKey(tenant, orderID), cond, fails)
}

// CompleteOrder completes the tenant's open order orderID: status
// completed, version + 1, updatedAt now. These three are native attributes
// of the order item (its JSON data holds neither), so the Update needs no
// read and the order's answer shows it at once.
//
// Its condition is that the order exists and is open. DynamoDB cannot set
// an attribute conditionally within one Update, so a completed or
// cancelled order fails the condition (ErrOrderNotOpen) instead of staying
// as it is: the caller decides whether to retry its transaction without it
// or to refuse.
func (s *Service) CompleteOrder(tenant, orderID string, now time.Time) dynamo.Write {
	cond := dynamo.Exists()
	if !identity.ValidID(orderID) {
		orderID, cond = "", never
	}
	cond = cond.And(dynamo.Cond{Expr: "#s = :open", Names: map[string]string{"#s": attrStatus},
		Values: map[string]types.AttributeValue{":open": dynamo.S(OrderOpen)}})
	return dynamo.Change(dynamo.Update{
		Key:   orderKey(tenant, orderID),
		Set:   "SET #s = :completed, #v = #v + :one, #u = :now",
		Names: map[string]string{"#s": attrStatus, "#v": dynamo.AttrVer, "#u": attrUpdatedAt},
		Values: map[string]types.AttributeValue{
			":completed": dynamo.S(OrderCompleted),
			":one":       dynamo.N(1),
			":now":       updatedAt(timestamp.New(now)),
		},
	}, cond, ErrOrderNotOpen)
}
