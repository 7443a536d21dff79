package mail

import (
	"fmt"

	"github.com/workcloud/arendehantering/internal/outbox"
)

// Links makes the links to a case's conversation that mails carry: the
// conversations area does, with the keys it holds.
type Links interface {
	// ConversationLink is the link for the recipient contact of a mail
	// about caseID, as link asks, for a reader of locale.
	ConversationLink(tenant, caseID string, to outbox.Recipient, link outbox.Link, locale string) (string, error)
}

// link fills {{conversation.link}} of a mail that asks for one. A mail
// that asks for a link without a contact to give it, or a mailer without
// link keys, can never be sent.
func (m *Mailer) link(item outbox.Mail, locale string, values map[string]string) error {
	if item.Link == nil {
		return nil
	}
	if m.src.Links == nil {
		return fmt.Errorf("%w: this mailer has no link keys for {{conversation.link}}", errPermanent)
	}
	if item.To.ContactID == "" || item.CaseID == "" {
		return fmt.Errorf("%w: a conversation link needs a case and a contact", errPermanent)
	}
	l, err := m.src.Links.ConversationLink(item.Tenant, item.CaseID, item.To, *item.Link, locale)
	if err != nil {
		return fmt.Errorf("%w: %w", errPermanent, err)
	}
	values["conversation.link"] = l
	return nil
}
