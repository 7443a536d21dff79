package cases

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// What a case is found by of its customer: the customer's name and the
// contact's (caseNames), kept on the case item as a native attribute, so
// that a change of the case's title rewrites its search entries without
// reading the customer. They are read from the customer when a case gets
// its customer (a create, a switch), with the customer's version, and the
// transaction holds only while the customer is at that version; after a
// rename, CustomerRenamed rewrites them on every case of the customer.

// attrNames holds a case's caseNames (JSON) on the case item.
const attrNames = "names"

// errCustomerChanged: the customer whose names a case took was changed
// (or deleted) before the case's transaction.
var errCustomerChanged = errors.New("the customer changed since it was read")

// namesAttr is the attribute that holds n, "" when n is empty.
func namesAttr(n caseNames) string {
	if n == (caseNames{}) {
		return ""
	}
	b, _ := json.Marshal(n) // two strings: cannot fail
	return string(b)
}

// readNames sets the names an item of a case holds on c.
func readNames(it dynamo.Item, c *Case) error {
	c.names, c.namesRead = caseNames{}, str(it, attrNames)
	if c.namesRead == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(c.namesRead), &c.names); err != nil {
		return problem.Wrap(problem.Internal, fmt.Errorf("decode case names: %w", err), "")
	}
	return nil
}

// namesAsRead is the condition that the case's names are as c was read.
func namesAsRead(c *Case) dynamo.Cond {
	if c.namesRead == "" {
		return dynamo.Cond{Expr: "attribute_not_exists(#names0)", Names: map[string]string{"#names0": attrNames}}
	}
	return dynamo.Cond{Expr: "#names0 = :names0", Names: map[string]string{"#names0": attrNames},
		Values: map[string]types.AttributeValue{":names0": dynamo.S(c.namesRead)}}
}

// customerNames reads what a case of the customer with the contact takes
// of them (one GetItem), and the customer's version: a customer or
// contact that is not there is the client's mistake, named by field.
func (s *Service) customerNames(ctx context.Context, tenant, customerID, contactID string) (caseNames, int64, error) {
	cu, err := s.customers.Customer(ctx, tenant, customerID)
	if problem.CodeOf(err) == problem.NotFound {
		return caseNames{}, 0, problem.FieldInvalid("customerId", "no customer has the ID %q", customerID)
	}
	if err != nil {
		return caseNames{}, 0, err
	}
	n := caseNames{Customer: cu.Name}
	if contactID != "" {
		k, ok := cu.Contact(contactID)
		if !ok {
			return caseNames{}, 0, problem.FieldInvalid("contactId", "no such contact of customer %q", customerID)
		}
		n.Contact = k.Name
	}
	return n, cu.Version, nil
}

// customerAt is the check, in a case's transaction, that its customer is
// still at the version whose names it took (which proves the contact, as
// that version has it).
func (s *Service) customerAt(tenant, customerID string, version int64) dynamo.Write {
	return s.customers.CheckCustomer(tenant, customerID, version).Meaning(errCustomerChanged)
}
