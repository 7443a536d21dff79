package conversations

import (
	"context"
	"errors"
	"strings"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// replyBody is a customer's reply, trimmed and checked.
func replyBody(body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	var errs problem.Fields
	errs.Text("body", body, 1, maxReply)
	return body, errs.Err()
}

// excerptLen is how much of a reply a notification quotes.
const excerptLen = 200

func excerpt(body string) string {
	if r := []rune(body); len(r) > excerptLen {
		return string(r[:excerptLen]) + "…"
	}
	return body
}

// notice is what one worker gets of a reply: a notification, and a mail
// when their profile asks for one.
type notice struct {
	userID       string
	notification *notifications.Notification
	mail         *outbox.Mail
}

// incoming is a planned reply from the customer: the message, its event,
// the notifications and mails of whoever works the case.
type incoming struct {
	message *Message
	event   *cases.Event
	notices []notice
	// by is who the event and a reopening name: customer:<contact or login>.
	by string
}

// planReply is the reply body from the customer author to case c at now,
// with the notice of each of the case's workers (cases.Workers).
func planReply(snap *settings.Snapshot, tenant string, c *cases.Case, author Author, body string, now timestamp.Time) *incoming {
	m := &Message{ID: dynamo.NewID(now.Time), CreatedAt: now, Direction: In, Body: body, Author: author}
	by := "customer:" + author.ID
	in := &incoming{message: m, by: by,
		event: &cases.Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: "customer-replied", Subject: m.ID}}
	for _, id := range cases.Workers(snap, c) {
		n := notice{userID: id, notification: &notifications.Notification{ID: notifications.NewID(now.Time, dynamo.NewID(now.Time)),
			At: now, Type: "customer-reply", By: by, CaseID: c.ID, CaseNumber: c.Number, CaseTitle: c.Title, Excerpt: excerpt(body)}}
		if snap.Users[id].Notifications.CustomerReplyByMail {
			n.mail = &outbox.Mail{ID: dynamo.NewID(now.Time), Tenant: tenant, CreatedAt: now,
				Text: "conversation-reply", CaseID: c.ID, To: outbox.Recipient{UserID: id},
				Values: map[string]string{"message.text": body, "contact.name": author.Name, "customer.name": c.CustomerName()}}
		}
		in.notices = append(in.notices, n)
	}
	return in
}

// reply stores a customer's reply to the case caseID, read with the
// check that it is the customer's (ok): the message, its event, the
// case's activity (or its reopening, when it is closed), the
// notifications and mails of whoever works it, and one more of the case's
// replies this hour, in one transaction. A case that changed meanwhile is
// read again.
func (s *Service) reply(ctx context.Context, tenant, caseID string, ok func(*cases.Case) (Author, error), body string) (*Message, error) {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return nil, err
	}
	const attempts = 3
	for range attempts {
		c, err := s.cases.Case(ctx, tenant, caseID)
		if err != nil {
			return nil, err
		}
		author, err := ok(c)
		if err != nil {
			return nil, err
		}
		in := planReply(snap, tenant, c, author, body, s.stamp())
		writes, err := s.replyWrites(ctx, tenant, c, in)
		if err != nil {
			return nil, err
		}
		err = s.table.Commit(ctx, "reply", writes...)
		if !errors.Is(err, cases.ErrCaseChanged) {
			return in.message, err
		}
	}
	return nil, problem.New(problem.Unavailable, "The case is being changed by someone else; try again.")
}

// replyWrites are the writes of a planned reply. The workers' notices
// (two or three writes each) go in while the transaction has room; the
// rest are left out (a case with more workers than that notifies the
// first ones).
func (s *Service) replyWrites(ctx context.Context, tenant string, c *cases.Case, in *incoming) ([]dynamo.Write, error) {
	mw, err := messageWrite(tenant, c.ID, in.message)
	if err != nil {
		return nil, err
	}
	ew, err := cases.EventWrite(tenant, c.ID, in.event)
	if err != nil {
		return nil, err
	}
	_, reopen, err := s.cases.Reopen(ctx, tenant, c, in.by, in.message.CreatedAt.Time)
	if err != nil {
		return nil, err
	}
	if reopen == nil {
		reopen = cases.Touch(tenant, c, in.message.CreatedAt.Time)
	}
	writes := append([]dynamo.Write{mw, ew, replyLimit.counted(tenant, c.ID, in.message.CreatedAt.Time)}, reopen...)
	for _, n := range in.notices {
		nw, err := noticeWrites(tenant, n)
		if err != nil {
			return nil, err
		}
		if len(writes)+len(nw) > dynamo.MaxTxWrites {
			break // the first workers hear of it; a transaction holds no more
		}
		writes = append(writes, nw...)
	}
	return writes, nil
}

// noticeWrites are the writes of one worker's notice: the notification,
// one more unread, and the mail.
func noticeWrites(tenant string, n notice) ([]dynamo.Write, error) {
	writes, err := notifications.Write(tenant, n.userID, n.notification)
	if err != nil || n.mail == nil {
		return writes, err
	}
	ow, err := outbox.Write(*n.mail)
	if err != nil {
		return nil, err
	}
	return append(writes, ow), nil
}
