// Package mail sends what the product mails: texts rendered from the
// tenant's settings (settings.Render), written as outbox items in the same transaction as the
// change that causes them, and sent by the mailer from the table's stream.
// A mail is never sent for a change that did not commit, and never lost
// because the mail service was down.
package mail

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Mail is an outbox item: what to send to whom, about which case. What
// can be looked up when sending (names, addresses, the text itself) is
// looked up then; what only the change knows travels in Values.
type Mail struct {
	ID        string            `json:"id"`
	Tenant    string            `json:"tenant"`
	CreatedAt time.Time         `json:"createdAt"`
	Text      string            `json:"text"`
	CaseID    string            `json:"caseId,omitempty"`
	To        Recipient         `json:"to"`
	Values    map[string]string `json:"values,omitempty"`
}

// Recipient is who a mail goes to: a customer's contact or a user.
type Recipient struct {
	CustomerID string `json:"customerId,omitempty"`
	ContactID  string `json:"contactId,omitempty"`
	UserID     string `json:"userId,omitempty"`
}

// Outbox item states.
const (
	statusPending = "pending"
	statusSending = "sending"
	statusSent    = "sent"
	statusFailed  = "failed"
)

// Native attributes of an outbox item.
const (
	attrStatus    = "status"
	attrClaimedAt = "claimedAt"
	attrAttempts  = "attempts"
	attrSentAt    = "sentAt"
	attrMessageID = "messageId"
	attrReason    = "reason"
	kindOutbox    = "OUTBOX"
)

// Write is the put of an outbox item, for the transaction of the change
// that causes the mail.
func Write(table string, m Mail) (types.TransactWriteItem, error) {
	data, err := dynamo.Data(m)
	if err != nil {
		return types.TransactWriteItem{}, problem.Wrap(problem.Internal, err, "")
	}
	created := dynamo.KeyTime(m.CreatedAt)
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			dynamo.AttrPK: dynamo.S(dynamo.OutboxPK(m.Tenant, m.ID)), dynamo.AttrSK: dynamo.S(dynamo.OutboxSK),
			dynamo.AttrKind: dynamo.S(kindOutbox), dynamo.AttrData: data, attrStatus: dynamo.S(statusPending),
			dynamo.AttrGSI3PK: dynamo.S(dynamo.OutboxPendingPK), dynamo.AttrGSI3SK: dynamo.S(created + "#" + m.Tenant + "#" + m.ID),
		},
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}, nil
}

// HeaderSafe reports whether a value may go into a mail header: no line
// breaks or other control characters, which would let it add headers.
func HeaderSafe(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
