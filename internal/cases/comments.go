package cases

import (
	"context"
	"regexp"
	"slices"
	"sync"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Comment is an internal note on a case, by staff, for staff. Comments
// appear on no customer-facing route.
type Comment struct {
	ID       string         `json:"id"`
	At       timestamp.Time `json:"at"`
	By       string         `json:"by"`
	Body     string         `json:"body"`
	Mentions []string       `json:"mentions"`
}

// CurrentVersion is 1: comments are not edited.
func (c *Comment) CurrentVersion() int64 { return 1 }

// commentInput is the body of POST /v1/cases/{id}/comments: a body, or a
// canned response to use as the body.
type commentInput struct {
	Body             string `json:"body,omitempty"`
	CannedResponseID string `json:"cannedResponseId,omitempty"`
}

// maxComment bounds a comment; maxMentions the people one notifies.
const (
	maxComment  = 10000
	maxMentions = 20
	excerptLen  = 200
)

// mention is how a comment names a user: @[Display name](user:<userId>).
var mention = sync.OnceValue(func() *regexp.Regexp { // compiled when a comment needs it, not at every cold start
	return regexp.MustCompile(`@\[([^\[\]]{1,100})\]\(user:([^)\s]{1,64})\)`)
})

// mentions returns the users a comment body mentions, each once, checking
// that they are users of the tenant.
func mentions(snap *settings.Snapshot, body string, errs *problem.Fields) []string {
	var ids []string
	for _, m := range mention().FindAllStringSubmatch(body, -1) {
		id := m[2]
		if _, ok := snap.Users[id]; !ok || !validID(id) {
			errs.Add("body", "mentions %q, who is not a user of this tenant", id)
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) > maxMentions {
		errs.Add("body", "may mention at most %d people", maxMentions)
	}
	return ids
}

// excerpt is the start of a comment as plain text, mentions as their names.
// A mention's name taken out of the text can close one around it
// ("@[a @[b](user:x) c](user:y)"), so it is done until none is left: each
// round makes the text shorter.
func excerpt(body string) string {
	text := body
	for mention().MatchString(text) {
		text = mention().ReplaceAllString(text, "@$1")
	}
	if r := []rune(text); len(r) > excerptLen {
		return string(r[:excerptLen]) + "…"
	}
	return text
}

// commentBody is the body a comment input gives: its own, or the canned
// response's, trimmed and checked, and the users it mentions.
func commentBody(snap *settings.Snapshot, in commentInput) (body string, mentioned []string, err error) {
	var errs problem.Fields
	body = snap.WrittenBody(in.Body, in.CannedResponseID, maxComment, &errs)
	mentioned = mentions(snap, body, &errs)
	return body, mentioned, errs.Err()
}

// notice is a notification for one user.
type notice struct {
	userID       string
	notification *notifications.Notification
}

// newComment is a planned comment: the comment, its event, the
// notification of every mentioned user but the author, and a mail for
// those who want one.
type newComment struct {
	comment *Comment
	event   *Event
	notices []notice
	mails   []outbox.Mail
}

// planComment is the comment by author on case c, and what is written
// with it.
func planComment(snap *settings.Snapshot, tenant string, c *Case, author, body string, mentioned []string, now timestamp.Time) *newComment {
	com := &Comment{ID: dynamo.NewID(now.Time), At: now, By: author, Body: body, Mentions: mentioned}
	if com.Mentions == nil {
		com.Mentions = []string{}
	}
	n := &newComment{comment: com, event: &Event{ID: dynamo.NewID(now.Time), At: now, By: author, Type: "commented", Subject: com.ID}}
	authorName := author
	if u, ok := snap.Users[author]; ok {
		authorName = u.Name
	}
	for _, id := range mentioned {
		if id == author {
			continue // nobody is notified of their own comment
		}
		n.notices = append(n.notices, notice{userID: id, notification: &notifications.Notification{
			ID: notifications.NewID(now.Time, dynamo.NewID(now.Time)), At: now, Type: "mention", By: author,
			CaseID: c.ID, CaseNumber: c.Number, CaseTitle: c.Title, CommentID: com.ID, Excerpt: excerpt(body)}})
		if snap.Users[id].Notifications.MentionByMail {
			n.mails = append(n.mails, outbox.Mail{ID: dynamo.NewID(now.Time), Tenant: tenant, CreatedAt: now, Text: "mention",
				CaseID: c.ID, To: outbox.Recipient{UserID: id},
				Values: map[string]string{"mention.author": authorName, "comment.text": excerpt(body)}})
		}
	}
	return n
}

// AddComment writes a comment with its event, a notification for every
// mentioned user but the author, and a mail for those who want one: one
// transaction, after one read of the case.
func (s *Service) AddComment(ctx context.Context, p identity.Principal, caseID string, in commentInput) (*Comment, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	body, mentioned, err := commentBody(snap, in)
	if err != nil {
		return nil, err
	}
	c, err := s.getCase(ctx, p.Tenant, caseID)
	if err != nil {
		return nil, err
	}
	n := planComment(snap, p.Tenant, c, reporter(snap, p), body, mentioned, s.stamp())
	if err := s.storeComment(ctx, p.Tenant, c, n); err != nil {
		return nil, err
	}
	return n.comment, nil
}

// Comments answers a page of a case's comments, oldest first.
func (s *Service) Comments(ctx context.Context, tenant, caseID string, limit int, cursor string) (httpapi.List[*Comment], error) {
	if _, err := s.getCase(ctx, tenant, caseID); err != nil {
		return httpapi.List[*Comment]{}, err
	}
	return logPage[Comment](ctx, s, tenant, caseID, dynamo.CommentSKPrefix, limit, cursor)
}
