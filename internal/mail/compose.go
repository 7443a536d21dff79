package mail

import (
	"context"
	"fmt"
	"maps"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// compose renders the tenant's text for the mail, in the tenant's locale
// (or the contact's), with what it says about the case, its customer and
// whoever handles it.
func (m *Mailer) compose(ctx context.Context, item outbox.Mail) (Message, error) {
	snap, err := m.src.Settings.Snapshot(ctx, item.Tenant)
	if err != nil {
		return Message{}, err
	}
	if item.Text == "review-request" && m.cfg.ReviewURL == "" {
		return Message{}, fmt.Errorf("%w: no review address is configured (REVIEW_URL)", errPermanent)
	}
	values := companyValues(snap, item.Values)
	if item.CaseID != "" {
		c, err := m.src.Cases.Case(ctx, item.Tenant, item.CaseID)
		if err != nil {
			return Message{}, gone(err)
		}
		m.caseValues(snap, c, values)
		if item.To.Requester && c.Requester != nil { // the sender of a form no contact matched
			values["customer.name"], values["contact.name"], values["contact.email"] = c.Requester.Name, c.Requester.Name, c.Requester.Email
		}
	}
	to, locale, err := m.recipient(ctx, snap, item, values)
	if err != nil {
		return Message{}, err
	}
	if err := m.link(item, locale, values); err != nil {
		return Message{}, err
	}
	return m.render(snap, item, to, locale, values)
}

// gone makes a record that is not found a reason never to send the mail;
// other errors are worth another try.
func gone(err error) error {
	if problem.CodeOf(err) == problem.NotFound {
		return fmt.Errorf("%w: %w", errPermanent, err)
	}
	return err
}

// companyValues are the placeholders every mail has: what the change put
// in the item, and the company's contact details.
func companyValues(snap *settings.Snapshot, given map[string]string) map[string]string {
	values := maps.Clone(given)
	if values == nil {
		values = map[string]string{}
	}
	c := snap.Conversations.CompanyContact
	values["company.name"], values["company.email"], values["company.phone"] = c.Name, c.Email, c.Phone
	if values["company.name"] == "" {
		values["company.name"] = snap.General.MailFromName
	}
	return values
}

// recipient is the address the mail goes to and the locale of its text: a
// user's (the tenant's locale), a customer contact's (theirs, if they
// have one), or the case's requester's (the tenant's). It fills the
// contact's placeholders.
func (m *Mailer) recipient(ctx context.Context, snap *settings.Snapshot, item outbox.Mail, values map[string]string) (to, locale string, err error) {
	locale = snap.General.Locale
	switch {
	case item.To.Requester:
		to = values["contact.email"] // the case's requester (see compose)
	case item.To.UserID != "":
		u, ok := snap.Users[item.To.UserID]
		if !ok {
			return "", "", fmt.Errorf("%w: no such user", errPermanent)
		}
		to = u.Email
	case item.To.CustomerID != "":
		k, err := m.src.Customers.Contact(ctx, item.Tenant, item.To.CustomerID, item.To.ContactID)
		if err != nil {
			return "", "", gone(err)
		}
		to = k.Email
		values["customer.name"], values["contact.name"], values["contact.email"] = k.CustomerName, k.Name, k.Email
		if k.Locale != "" {
			locale = k.Locale // the contact's language before the tenant's
		}
	}
	if to == "" {
		return "", "", fmt.Errorf("%w: the recipient has no e-mail address", errPermanent)
	}
	if _, err := mail.ParseAddress(to); err != nil || !HeaderSafe(to) {
		return "", "", fmt.Errorf("%w: %q is not an e-mail address", errPermanent, to)
	}
	return to, locale, nil
}

// render fills the tenant's text of the mail in locale and addresses it.
func (m *Mailer) render(snap *settings.Snapshot, item outbox.Mail, to, locale string, values map[string]string) (Message, error) {
	text, ok := snap.Texts[item.Text+"#"+locale]
	if !ok {
		text, ok = settings.DefaultText(item.Text, locale) // stored before the product had the text
	}
	if !ok {
		return Message{}, fmt.Errorf("%w: the tenant has no %s text %q", errPermanent, locale, item.Text)
	}
	subject, body := settings.Render(text.Subject, text.Body, values)
	msg := Message{From: m.from(snap), ReplyTo: replyTo(snap), To: []string{to}, Subject: subject, Text: body,
		ConfigurationSet: m.cfg.ConfigurationSet, Tenant: item.Tenant, OutboxID: item.ID}
	if !HeaderSafe(msg.Subject) || !HeaderSafe(msg.ReplyTo) || !HeaderSafe(msg.From) {
		return Message{}, fmt.Errorf("%w: a header value holds a line break", errPermanent)
	}
	return msg, nil
}

// from is the sender: the deployment's address, with the tenant's name.
func (m *Mailer) from(snap *settings.Snapshot) string {
	name := snap.General.MailFromName
	if name == "" {
		return m.cfg.From
	}
	return (&mail.Address{Name: name, Address: m.cfg.From}).String()
}

// replyTo is where replies go: the tenant's reply-to address, else the
// company's contact address, else nowhere but the sender.
func replyTo(snap *settings.Snapshot) string {
	if r := snap.General.MailReplyTo; r != "" {
		return r
	}
	return snap.Conversations.CompanyContact.Email
}

// caseValues fills the case's placeholders and the agent's.
func (m *Mailer) caseValues(snap *settings.Snapshot, c *cases.Case, values map[string]string) {
	values["case.number"] = strconv.FormatInt(c.Number, 10)
	values["case.title"] = c.Title
	if s, ok := snap.Statuses[c.StatusID]; ok {
		values["case.status"] = s.Name
	}
	if p, ok := snap.Priorities[c.PriorityID]; ok {
		values["case.priority"] = p.Name
	}
	if t, ok := snap.CaseTypes[c.TypeID]; ok {
		values["case.type"] = t.Name
	}
	if c.Deadline != nil {
		loc, err := time.LoadLocation(snap.General.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		values["case.deadline"] = c.Deadline.In(loc).Format("2006-01-02 15:04")
	}
	if m.cfg.AppURL != "" {
		values["case.link"] = strings.TrimRight(m.cfg.AppURL, "/") + "/cases/" + c.ID
	}
	if m.cfg.ReviewURL != "" {
		values["review.link"] = m.cfg.ReviewURL + "?case=" + c.ID
	}
	agentValues(snap, c.Assignees.Users, values)
}

// agentValues fills the agent's placeholders: the first assigned user, or
// the company's contact details when the conversation settings say to
// show those, unless the change gave them (a staff message names its
// writer).
func agentValues(snap *settings.Snapshot, assigned []string, values map[string]string) {
	if _, given := values["agent.name"]; given {
		return // the change named its agent: the staff member who wrote
	}
	conv := snap.Conversations
	if conv.ShowContact == "company" {
		values["agent.name"], values["agent.email"], values["agent.phone"] = conv.CompanyContact.Name, conv.CompanyContact.Email, conv.CompanyContact.Phone
		return
	}
	for _, id := range assigned {
		if u, ok := snap.Users[id]; ok {
			values["agent.name"], values["agent.email"], values["agent.phone"] = u.Name, u.Email, u.Phone
			return
		}
	}
}
