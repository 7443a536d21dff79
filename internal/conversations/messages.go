package conversations

import (
	"context"
	"errors"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// messageInput is the body of POST /v1/cases/{id}/messages: a body, or a
// canned response to use as the body.
type messageInput struct {
	Body             string `json:"body,omitempty"`
	CannedResponseID string `json:"cannedResponseId,omitempty"`
}

// messageBody is the body an input gives: its own or the canned
// response's, trimmed and checked.
func messageBody(snap *settings.Snapshot, in messageInput) (string, error) {
	var errs problem.Fields
	body := snap.WrittenBody(in.Body, in.CannedResponseID, maxMessage, &errs)
	return body, errs.Err()
}

// staffUser is the directory user a login acts as: the user linked to
// it, else one of that ID, else none (the login's ID stands for it).
func staffUser(snap *settings.Snapshot, p identity.Principal) (id string, u *settings.User) {
	if u, err := snap.UserBySubject(p.User); err == nil {
		return u.ID, u
	}
	if u, ok := snap.Users[p.User]; ok {
		return u.ID, u
	}
	return p.User, nil
}

// outgoing is a planned staff message: the message, its event and the
// mail that carries it to the contact.
type outgoing struct {
	message *Message
	event   *cases.Event
	mail    outbox.Mail
}

// planMessage is the message body by the staff member p to case c at now.
func planMessage(snap *settings.Snapshot, tenant string, p identity.Principal, c *cases.Case, body string, now timestamp.Time) *outgoing {
	userID, u := staffUser(snap, p)
	name := userID
	if u != nil {
		name = u.Name
	}
	m := &Message{ID: dynamo.NewID(now.Time), CreatedAt: now, Direction: Out, Body: body, Author: Author{Kind: Staff, Name: name, ID: userID}}
	values := map[string]string{"message.text": body}
	if snap.Conversations.ShowContact != "company" && u != nil {
		values["agent.name"], values["agent.email"], values["agent.phone"] = u.Name, u.Email, u.Phone
	}
	return &outgoing{
		message: m,
		event:   &cases.Event{ID: dynamo.NewID(now.Time), At: now, By: userID, Type: "message-sent", Subject: m.ID},
		mail: outbox.Mail{ID: dynamo.NewID(now.Time), Tenant: tenant, CreatedAt: now, Text: "conversation-message", CaseID: c.ID,
			To: outbox.Recipient{CustomerID: c.CustomerID, ContactID: c.ContactID}, Values: values,
			Link: &outbox.Link{Epoch: c.LinkEpoch, Expires: timestamp.New(now.Add(validFor(snap))), Portal: portalMode(snap)}},
	}
}

// errNoRecipient answers a message to a case nobody can be written to at.
func errNoRecipient(why string) error {
	return problem.New(problem.Conflict, "This case has no one to write to: %s. Set its customer and contact (POST /v1/cases/{id}/customer) first.", why)
}

// Send writes a message from staff to the case's contact: the message,
// its event (message-sent), the case's activity and the mail that
// carries it with a fresh link, in one transaction. A case without a
// contact with an e-mail address answers 409.
func (s *Service) Send(ctx context.Context, p identity.Principal, caseID string, in messageInput) (*Message, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	body, err := messageBody(snap, in)
	if err != nil {
		return nil, err
	}
	const attempts = 3
	for range attempts {
		c, err := s.recipientCase(ctx, p.Tenant, caseID)
		if err != nil {
			return nil, err
		}
		out := planMessage(snap, p.Tenant, p, c, body, s.stamp())
		err = s.commitMessage(ctx, p.Tenant, c, out)
		if !errors.Is(err, cases.ErrCaseChanged) {
			return out.message, err
		}
	}
	return nil, problem.New(problem.Unavailable, "The case is being changed by someone else; try again.")
}

// recipientCase reads the case and makes sure its contact can be written
// to: the case names one, and it has an address.
func (s *Service) recipientCase(ctx context.Context, tenant, caseID string) (*cases.Case, error) {
	c, err := s.cases.Case(ctx, tenant, caseID)
	if err != nil {
		return nil, err
	}
	if c.CustomerID == "" || c.ContactID == "" {
		return nil, errNoRecipient("it has no contact")
	}
	k, err := s.customers.Contact(ctx, tenant, c.CustomerID, c.ContactID)
	switch {
	case problem.CodeOf(err) == problem.NotFound:
		return nil, errNoRecipient("its contact no longer exists")
	case err != nil:
		return nil, err
	case k.Email == "":
		return nil, errNoRecipient("its contact has no e-mail address")
	}
	return c, nil
}

// commitMessage stores a planned staff message in one transaction.
func (s *Service) commitMessage(ctx context.Context, tenant string, c *cases.Case, out *outgoing) error {
	mw, err := messageWrite(tenant, c.ID, out.message)
	if err != nil {
		return err
	}
	ew, err := cases.EventWrite(tenant, c.ID, out.event)
	if err != nil {
		return err
	}
	ow, err := outbox.Write(out.mail)
	if err != nil {
		return err
	}
	writes := append([]dynamo.Write{mw, ew, ow}, cases.Touch(tenant, c, out.message.CreatedAt.Time)...)
	return s.table.Commit(ctx, "send message", writes...)
}

// Messages answers a page of a case's conversation, oldest first: staff
// messages and customer replies (never comments). The case is read beside
// the page: one that does not exist answers 404.
func (s *Service) Messages(ctx context.Context, tenant, caseID string, limit int, cursor string) (httpapi.List[*Message], error) {
	_, page, err := s.caseAndPage(ctx, tenant, caseID, limit, cursor)
	return page, err
}

// caseAndPage reads the case and a page of its conversation at once (two
// round trips in the time of one).
func (s *Service) caseAndPage(ctx context.Context, tenant, caseID string, limit int, cursor string) (*cases.Case, httpapi.List[*Message], error) {
	type read struct {
		page httpapi.List[*Message]
		err  error
	}
	var page httpapi.List[*Message]
	if !identity.ValidID(caseID) {
		_, err := s.cases.Case(ctx, tenant, caseID) // answers the case's own 404
		return nil, page, err
	}
	ch := make(chan read, 1)
	go func() {
		p, err := s.page(ctx, tenant, caseID, limit, cursor)
		ch <- read{p, err}
	}()
	c, err := s.cases.Case(ctx, tenant, caseID)
	r := <-ch
	if err != nil {
		return nil, page, err
	}
	return c, r.page, r.err
}
