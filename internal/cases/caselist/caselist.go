// Package caselist names the lists of a tenant's cases (all of them, the
// active ones, those of a status, a customer, an order ...) and answers
// which case a list holds. Every case has a small entry in each list it
// belongs to (package cases writes them), so that each filter is one
// Query, and so that "is this status, customer or order still used by a
// case?" is a Query of one entry.
//
// It is a package of its own, apart from package cases, so that the areas
// cases depends on (settings) can ask that question before they delete
// what cases refer to.
package caselist

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// List names one list of a tenant's cases. Make one with the constructors
// below; its string is part of the list's partition key.
type List string

// All holds every case; Active those not closed (in a new-, open- or
// waiting-category status).
const (
	All    List = "all"
	Active List = "active"
)

// ByNumber holds the case with the number (numbers never change): a
// lookup by number is one Query of one entry.
func ByNumber(n int64) List { return List(fmt.Sprintf("number=%d", n)) }

// InCategory is the part of list l in a status of the category (new,
// open, waiting, closed): "user=u&category=open". Lists of a user, a
// group and a customer have one, so that each such filter combined with a
// category is one Query that reads only what it answers.
func (l List) InCategory(category string) List { return l + "&category=" + List(category) }

// Active is the part of list l not closed: "user=u&active".
func (l List) Active() List { return l + "&active" }

// ByStatus holds the cases in the status with the ID.
func ByStatus(id string) List { return "status=" + List(id) }

// ByCategory holds the cases in a status of the category (new, open,
// waiting, closed).
func ByCategory(category string) List { return "category=" + List(category) }

// ByPriority holds the cases of the priority with the ID.
func ByPriority(id string) List { return "priority=" + List(id) }

// ByType holds the cases of the case type with the ID.
func ByType(id string) List { return "type=" + List(id) }

// ByUser holds the cases assigned to the user with the ID.
func ByUser(id string) List { return "user=" + List(id) }

// ByGroup holds the cases assigned to the group with the ID.
func ByGroup(id string) List { return "group=" + List(id) }

// ByCustomer holds the cases of the customer with the ID.
func ByCustomer(id string) List { return "customer=" + List(id) }

// ByContact holds the cases of the customer's contact with the ID. It is
// no filter of the API: it guards the contact's removal.
func ByContact(id string) List { return "contact=" + List(id) }

// ByOrder holds the cases linked to the order with the ID. It is no filter
// of the API: it guards the order's delete.
func ByOrder(id string) List { return "order=" + List(id) }

// formPrefix starts OpenWithForm's lists.
const formPrefix = "open&form="

// OpenWithForm holds the open cases (neither closed nor deleted) that were
// given the form template with the ID. It has no entries of its own: the
// case items themselves are in it, on GSI3 (dynamo.FormUsePK, their sort
// key marked open); it is no filter of the API: it guards the form's
// delete.
func OpenWithForm(id string) List { return formPrefix + List(id) }

// Usage answers, for an area about to delete something cases refer to,
// whether a case still uses it.
type Usage struct {
	Table dynamo.Table
}

// UsedBy names one case of the tenant's list ("case #12 (Läckande kran)"),
// or "" when the list is empty: one strongly consistent Query of one
// entry. (A case made at the same moment may still come to refer to what
// is then deleted; cases show such a reference as unknown and ask for a
// new choice on their next change.)
func (u Usage) UsedBy(ctx context.Context, tenant string, list List) (string, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(u.Table.Name),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(dynamo.CaseViewPK(tenant, string(list)))},
		Limit:                     aws.Int32(1),
		ConsistentRead:            aws.Bool(true),
	}
	if formID, ok := strings.CutPrefix(string(list), formPrefix); ok {
		// The open cases' own items, on GSI3: eventually consistent (an
		// index cannot be read otherwise), so a case closed a moment ago
		// may still count.
		in.IndexName, in.ConsistentRead = aws.String(dynamo.IndexGSI3), nil
		in.KeyConditionExpression = aws.String(dynamo.AttrGSI3PK + " = :pk AND begins_with(" + dynamo.AttrGSI3SK + ", :open)")
		in.ExpressionAttributeValues[":pk"] = dynamo.S(dynamo.FormUsePK(tenant, formID))
		in.ExpressionAttributeValues[":open"] = dynamo.S(dynamo.FormOpenPrefix)
	}
	out, err := u.Table.Client.Query(ctx, in)
	if err != nil {
		return "", dynamo.Unavailable("find cases in "+string(list), err)
	}
	if len(out.Items) == 0 {
		return "", nil
	}
	// An entry, like the case item, holds the case as stored (package
	// cases): its JSON has the number and the title.
	var c struct {
		Number int64  `json:"number"`
		Title  string `json:"title"`
	}
	if err := dynamo.DecodeData(out.Items[0], &c); err != nil || c.Number == 0 {
		return "a case", nil
	}
	return fmt.Sprintf("case #%d (%s)", c.Number, c.Title), nil
}
