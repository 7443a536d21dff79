// Package notifications is the in-app inbox of staff: a notification when
// someone @mentions them, an unread count, and marking read. A user's
// notifications and their state (unread count, read-up-to mark) share one
// partition, so the inbox with its count is one Query.
package notifications

import (
	"context"
	"errors"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Notification tells a user of something that concerns them.
type Notification struct {
	ID         string         `json:"id"`
	At         timestamp.Time `json:"at"`
	Type       string         `json:"type"`
	By         string         `json:"by"`
	CaseID     string         `json:"caseId,omitempty"`
	CaseNumber int64          `json:"caseNumber,omitempty"`
	CaseTitle  string         `json:"caseTitle,omitempty"`
	CommentID  string         `json:"commentId,omitempty"`
	// RecurringID is the recurring-case definition whose occurrence made
	// no case (type recurring-failed; CaseTitle is then its name).
	RecurringID string `json:"recurringId,omitempty"`
	Excerpt     string `json:"excerpt,omitempty"`
	Read        bool   `json:"read"`
}

// Inbox is the answer of GET /v1/notifications.
type Inbox struct {
	Items []*Notification `json:"items"`
	Next  string          `json:"next,omitempty"`
	// Unread is on the first page only.
	Unread *int64 `json:"unread,omitempty"`
}

// Service serves the inbox of the user linked to a login (its subject).
type Service struct {
	store    store
	settings settings.Reader
	now      func() time.Time
}

// NewService returns the inbox service.
func NewService(table dynamo.Table, st settings.Reader, now func() time.Time) *Service {
	return &Service{store: store{table: table}, settings: st, now: now}
}

// user is the directory user linked to the login subject, or NotFound.
func (s *Service) user(ctx context.Context, tenant, subject string) (string, error) {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return "", err
	}
	u, err := snap.UserBySubject(subject)
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

// List answers a page of the newest notifications of the login's user,
// with the unread count on the first page (0 for a user never notified).
func (s *Service) List(ctx context.Context, tenant, subject string, limit int, cursor string) (*Inbox, error) {
	userID, err := s.user(ctx, tenant, subject)
	if err != nil {
		return nil, err
	}
	p, err := s.store.page(ctx, tenant, userID, limit, cursor)
	if err != nil {
		return nil, err
	}
	inbox := &Inbox{Items: p.items, Next: p.next}
	if cursor == "" {
		inbox.Unread = &p.state.unread // 0 when nobody has notified this user yet
	}
	for _, n := range inbox.Items {
		n.Read = n.Read || dynamo.KeyTime(n.At.Time) <= p.state.readUpTo
	}
	return inbox, nil
}

// errNoSuch answers a notification ID the user does not have.
func errNoSuch() error { return problem.New(problem.NotFound, "There is no such notification.") }

// Read marks one notification read. Marking a read one again is no
// change. The unread count goes down only for a notification that was
// unread: not read before, and newer than the read-up-to mark.
func (s *Service) Read(ctx context.Context, tenant, subject, id string) error {
	userID, err := s.user(ctx, tenant, subject)
	if err != nil {
		return err
	}
	at, ok := atOf(id)
	if !ok {
		return errNoSuch()
	}
	err = s.store.markRead(ctx, tenant, userID, at, id)
	switch {
	case errors.Is(err, errNotUnread):
		// Read already, or there is no such notification.
		found, err := s.store.exists(ctx, tenant, userID, at, id)
		if err == nil && !found {
			return errNoSuch()
		}
		return err
	case errors.Is(err, errNotCounted):
		// Read already by the read-up-to mark: mark the item alone.
		if err := s.store.markItemRead(ctx, tenant, userID, at, id); !errors.Is(err, errNotUnread) {
			return err
		}
		return nil
	}
	return err
}

// ReadAll marks everything read: the count drops to zero and the
// read-up-to mark moves to now, in one write, however many there are.
func (s *Service) ReadAll(ctx context.Context, tenant, subject string) error {
	userID, err := s.user(ctx, tenant, subject)
	if err != nil {
		return err
	}
	return s.store.markAllRead(ctx, tenant, userID, dynamo.KeyTime(s.now()))
}
