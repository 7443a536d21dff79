// Package mail sends what the product mails: texts rendered from the
// tenant's settings (settings.Render), written as outbox items in the same transaction as the
// change that causes them, and sent by the mailer from the table's stream.
// A mail is never sent for a change that did not commit, and never lost
// because the mail service was down.
package mail

import (
	"fmt"
	"strings"
	"time"

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
// that causes the mail (dynamo.Table.Commit fills in the table). The ID
// is new (dynamo.NewID), so an item that exists already is a bug.
func Write(m Mail) (dynamo.Write, error) {
	data, err := dynamo.Data(m)
	if err != nil {
		return dynamo.Write{}, problem.Wrap(problem.Internal, fmt.Errorf("marshal outbox item: %w", err), "")
	}
	item := dynamo.Key(dynamo.OutboxPK(m.Tenant, m.ID), dynamo.OutboxSK)
	item[dynamo.AttrKind], item[dynamo.AttrData], item[attrStatus] = dynamo.S(kindOutbox), data, dynamo.S(statusPending)
	item[dynamo.AttrGSI3PK] = dynamo.S(dynamo.OutboxPendingPK)
	item[dynamo.AttrGSI3SK] = dynamo.S(dynamo.KeyTime(m.CreatedAt) + "#" + m.Tenant + "#" + m.ID)
	exists := problem.Wrap(problem.Internal, fmt.Errorf("outbox item %s exists already", m.ID), "")
	return dynamo.Put(item, dynamo.NotExists(), exists), nil
}

// HeaderSafe reports whether a value may go into a mail header: no line
// breaks or other control characters, which would let it add headers.
func HeaderSafe(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
