package cases

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Comment is an internal note on a case, by staff, for staff. Comments
// appear on no customer-facing route.
type Comment struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	Body     string    `json:"body"`
	Mentions []string  `json:"mentions"`
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
var mention = regexp.MustCompile(`@\[([^\[\]]{1,100})\]\(user:([^)\s]{1,64})\)`)

// mentions returns the users a comment body mentions, each once, checking
// that they are users of the tenant.
func mentions(snap *settings.Snapshot, body string, errs *problem.Fields) []string {
	var ids []string
	for _, m := range mention.FindAllStringSubmatch(body, -1) {
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
func excerpt(body string) string {
	text := mention.ReplaceAllString(body, "@$1")
	if r := []rune(text); len(r) > excerptLen {
		return string(r[:excerptLen]) + "…"
	}
	return text
}

// AddComment writes a comment with its event, a notification for every
// mentioned user but the author, and a mail for those who want one: one
// transaction, after one read of the case.
func (s *Service) AddComment(ctx context.Context, p identity.Principal, caseID string, in commentInput) (*Comment, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	var errs problem.Fields
	body := in.Body
	if in.CannedResponseID != "" {
		cr, ok := snap.Canned[in.CannedResponseID]
		switch {
		case !ok:
			errs.Add("cannedResponseId", "no canned response has the ID %q", in.CannedResponseID)
		case body != "":
			errs.Add("body", "send a body or a canned response, not both")
		default:
			body = cr.Body
		}
	}
	body = strings.TrimSpace(body)
	errs.Text("body", body, 1, maxComment)
	ids := mentions(snap, body, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	c, err := s.getCase(ctx, p.Tenant, caseID)
	if err != nil {
		return nil, err
	}
	now := s.stamp()
	author := reporter(snap, p)
	com := &Comment{ID: dynamo.NewID(now), At: now, By: author, Body: body, Mentions: ids}
	if com.Mentions == nil {
		com.Mentions = []string{}
	}
	it, err := item(dynamo.CasePK(p.Tenant, c.ID), dynamo.CommentSK(dynamo.KeyTime(now), com.ID), "COMMENT", "comment", 1, com)
	if err != nil {
		return nil, err
	}
	ev, err := eventWrite(p.Tenant, c.ID, &Event{ID: dynamo.NewID(now), At: now, By: author, Type: "commented", Subject: com.ID})
	if err != nil {
		return nil, err
	}
	items := []dynamo.Write{dynamo.Check(caseKey(p.Tenant, c.ID), caseLive(), errCaseNotFound), dynamo.Put(it, dynamo.NotExists(), errIDTaken), ev}
	authorName := author
	if u, ok := snap.Users[author]; ok {
		authorName = u.Name
	}
	for _, id := range ids {
		if id == author {
			continue // nobody is notified of their own comment
		}
		n := &notifications.Notification{ID: notifications.NewID(now, dynamo.NewID(now)), At: now, Type: "mention", By: author,
			CaseID: c.ID, CaseNumber: c.Number, CaseTitle: c.Title, CommentID: com.ID, Excerpt: excerpt(body)}
		writes, err := notifications.Write(p.Tenant, id, n)
		if err != nil {
			return nil, err
		}
		items = append(items, writes...)
		if snap.Users[id].Notifications.MentionByMail {
			m, err := mail.Write(mail.Mail{ID: dynamo.NewID(now), Tenant: p.Tenant, CreatedAt: now, Text: "mention",
				CaseID: c.ID, To: mail.Recipient{UserID: id},
				Values: map[string]string{"mention.author": authorName, "comment.text": excerpt(body)}})
			if err != nil {
				return nil, err
			}
			items = append(items, m)
		}
	}
	if err := s.table.Commit(ctx, "add comment", items...); err != nil {
		return nil, err
	}
	return com, nil
}

func (s *Service) handleAddComment(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	var in commentInput
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	com, err := s.AddComment(r.Context(), p, caseID, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/cases/"+caseID+"/comments", com)
	return nil
}

// handleComments answers a case's comments, oldest first.
func (s *Service) handleComments(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	caseID := r.PathValue("id")
	if _, err := s.getCase(r.Context(), p.Tenant, caseID); err != nil {
		return err
	}
	page, err := readItems[Comment](r, s, p.Tenant, caseID, dynamo.CommentSKPrefix, httpapi.MaxPage)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, page)
	return nil
}
