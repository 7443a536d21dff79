// Package outbox is the outbox item: what a change that must mail someone
// puts into its own transaction (Write), so that the mail is sent if and
// only if the change commits. It is all another area needs to cause a
// mail; the mailer (package mail) reads the items, claims and sends them.
// The package does no I/O.
package outbox

import (
	"fmt"
	"strings"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Mail is an outbox item: what to send to whom, about which case. What
// can be looked up when sending (names, addresses, the text itself) is
// looked up then; what only the change knows travels in Values.
type Mail struct {
	ID        string            `json:"id"`
	Tenant    string            `json:"tenant"`
	CreatedAt timestamp.Time    `json:"createdAt"`
	Text      string            `json:"text"`
	CaseID    string            `json:"caseId,omitempty"`
	To        Recipient         `json:"to"`
	Values    map[string]string `json:"values,omitempty"`
	// Link, when set, asks for the link to the case's conversation that
	// the text shows as {{conversation.link}}: the mailer makes it when it
	// composes the mail, so that no link rests in the table.
	Link *Link `json:"link,omitempty"`
}

// Link is what a conversation link to the recipient contact names besides
// the case: the case's link epoch when the change was made (a switch or a
// revocation after it makes the link useless), when it stops working, and
// whether the tenant's customers reach conversations through the portal
// (then the link is the portal's, and carries no token).
type Link struct {
	Epoch   int64          `json:"epoch"`
	Expires timestamp.Time `json:"expires"`
	Portal  bool           `json:"portal,omitempty"`
}

// Recipient is who a mail goes to: a customer's contact, a user, or the
// requester of the mail's case (a case from outside with no contact).
type Recipient struct {
	CustomerID string `json:"customerId,omitempty"`
	ContactID  string `json:"contactId,omitempty"`
	UserID     string `json:"userId,omitempty"`
	Requester  bool   `json:"requester,omitempty"`
}

// Kind is the kind attribute (dynamo.AttrKind) of an outbox item: the
// stream's event filter and the mailer pick outbox items by it.
const Kind = "OUTBOX"

// AttrStatus is the native attribute holding an item's state: Pending
// when written, then Sending, Sent or Failed as the mailer moves it.
const AttrStatus = "status"

// The states of an outbox item.
const (
	Pending = "pending"
	Sending = "sending"
	Sent    = "sent"
	Failed  = "failed"
)

// Key is the key of the outbox item id of tenant.
func Key(tenant, id string) dynamo.Item {
	return dynamo.Key(dynamo.OutboxPK(tenant, id), dynamo.OutboxSK)
}

// Write is the put of an outbox item, for the transaction of the change
// that causes the mail (dynamo.Table.Commit fills in the table). The ID
// is new (dynamo.NewID), so an item that exists already is a bug. A
// pending item is listed in GSI3 (dynamo.OutboxPendingPK, see PendingOf)
// until the mailer finishes it.
func Write(m Mail) (dynamo.Write, error) {
	data, err := dynamo.Data(m)
	if err != nil {
		return dynamo.Write{}, problem.Wrap(problem.Internal, fmt.Errorf("marshal outbox item: %w", err), "")
	}
	item := Key(m.Tenant, m.ID)
	item[dynamo.AttrKind], item[dynamo.AttrData], item[AttrStatus] = dynamo.S(Kind), data, dynamo.S(Pending)
	item[dynamo.AttrGSI3PK] = dynamo.S(dynamo.OutboxPendingPK)
	item[dynamo.AttrGSI3SK] = dynamo.S(dynamo.KeyTime(m.CreatedAt.Time) + "#" + m.Tenant + "#" + m.ID)
	exists := problem.Wrap(problem.Internal, fmt.Errorf("outbox item %s exists already", m.ID), "")
	return dynamo.Put(item, dynamo.NotExists(), exists), nil
}

// PendingOf reads the tenant and ID of an item from its GSI3 sort key
// (the time it was written, the tenant and the ID), as Write makes it.
func PendingOf(gsi3sk string) (tenant, id string, ok bool) {
	parts := strings.Split(gsi3sk, "#")
	if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		return "", "", false
	}
	return parts[1], parts[2], true
}
