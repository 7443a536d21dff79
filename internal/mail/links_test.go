package mail_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// links is a mail.Links whose function answers.
type links struct {
	link func(tenant, caseID string, to outbox.Recipient, l outbox.Link, locale string) (string, error)
}

func (f links) ConversationLink(tenant, caseID string, to outbox.Recipient, l outbox.Link, locale string) (string, error) {
	return f.link(tenant, caseID, to, l, locale)
}

// withLinks makes the env's mailer one with l (nil: none) and settings
// through read.
func (e *env) withLinks(l mail.Links, read settings.Reader) {
	src := e.sources(read)
	src.Links = l
	clock := func() time.Time { return e.now }
	e.mailer = mail.NewMailer(e.db.Table, src, e.sender, mail.Config{From: "noreply@arende.example"}, clock,
		slog.New(slog.NewJSONHandler(io.Discard, nil)))
}

// withoutText is the settings with the text key gone: a tenant stored
// before the product had it.
type withoutText struct {
	settings.Reader
	key string
}

func (w withoutText) Snapshot(ctx context.Context, tenant string) (*settings.Snapshot, error) {
	snap, err := w.Reader.Snapshot(ctx, tenant)
	if err != nil {
		return nil, err
	}
	c := *snap
	c.Texts = maps.Clone(snap.Texts)
	for k := range c.Texts {
		if strings.HasPrefix(k, w.key+"#") {
			delete(c.Texts, k)
		}
	}
	return &c, nil
}

// TestConversationLinkIsMadeWhenComposed: a mail that asks for a link
// gets it from Links when it is composed, for its case, contact, epoch and
// expiry, in the contact's language; the writer's details the change gave
// stay the agent's.
func TestConversationLinkIsMadeWhenComposed(t *testing.T) {
	e := newEnv(t)
	st := settings.NewService(e.db.Table, func() time.Time { return e.now }, 0)
	expires := timestamp.New(e.now.Add(30 * 24 * time.Hour))
	var asked []string
	e.withLinks(links{link: func(tenant, caseID string, to outbox.Recipient, l outbox.Link, locale string) (string, error) {
		asked = append(asked, tenant, caseID, to.ContactID, locale)
		if l.Epoch != 3 || !l.Expires.Equal(expires.Time) {
			t.Errorf("link %+v", l)
		}
		return "https://api.example/c/v4.local.x", nil
	}}, withoutText{Reader: st, key: "conversation-message"})
	e.write(t, outbox.Mail{ID: "m1", Tenant: tenant, CreatedAt: timestamp.New(e.now), Text: "conversation-message", CaseID: "case1",
		To: outbox.Recipient{CustomerID: "cust1", ContactID: "k2"}, Link: &outbox.Link{Epoch: 3, Expires: expires},
		Values: map[string]string{"message.text": "We come on Thursday.", "agent.name": "Sara Svensson", "agent.email": "sara@acme.example", "agent.phone": ""}})
	m := e.deliverOne(t, "m1")
	if strings.Join(asked, " ") != "acme case1 k2 en" {
		t.Errorf("asked for a link of %v", asked)
	}
	// The tenant's settings lack the text: the default is sent.
	for _, want := range []string{"Read and reply here: https://api.example/c/v4.local.x", "We come on Thursday.", "Sara Svensson", "sara@acme.example"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("mail lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "Erik") {
		t.Errorf("the assigned user replaced the writer:\n%s", m.Text)
	}
}

// TestConversationLinkFailures: without link keys, or when a link cannot
// be made, the mail can never be sent: it is marked failed, not retried.
func TestConversationLinkFailures(t *testing.T) {
	for name, l := range map[string]mail.Links{
		"no keys": nil,
		"refused": links{link: func(string, string, outbox.Recipient, outbox.Link, string) (string, error) {
			return "", errors.New("no PORTAL_URL")
		}},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.withLinks(l, settings.NewService(e.db.Table, func() time.Time { return e.now }, 0))
			e.write(t, outbox.Mail{ID: "m1", Tenant: tenant, CreatedAt: timestamp.New(e.now), Text: "conversation-link", CaseID: "case1",
				To: outbox.Recipient{CustomerID: "cust1", ContactID: "k1"}, Link: &outbox.Link{Expires: timestamp.New(e.now)}})
			if err := e.mailer.Deliver(context.Background(), tenant, "m1"); err != nil {
				t.Fatal(err)
			}
			if got := e.status(t, "m1"); got != outbox.Failed || len(e.sender.Sent()) != 0 {
				t.Errorf("status %q, %d sent", got, len(e.sender.Sent()))
			}
		})
	}
}
