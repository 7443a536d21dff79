package conversations

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// What a link leads to, besides the conversation. The pages tell them
// apart; none of them reveals anything of a case.
var (
	// errLinkInvalid: not an authentic token, or one of a case that is
	// gone, in another link epoch (switched, revoked) or with another
	// contact now. The page says the link does not work, and nothing else.
	errLinkInvalid = problem.New(problem.NotFound, "This link does not work.")
	// errLinkExpired: an authentic, current link past its expiry. The page
	// offers a fresh link to the contact's address on file.
	errLinkExpired = problem.New(problem.NotFound, "This link has expired.")
	// errPortal: the tenant's customers reach their cases through the
	// portal. The page asks them to log in there.
	errPortal = problem.New(problem.NotFound, "Log in to the customer portal to read and reply.")
)

// link is an authentic link and what its tenant says of links: the
// claims, the tenant's settings, and whether it has expired.
type link struct {
	claims  linktoken.Claims
	snap    *settings.Snapshot
	expired bool
}

// openLink checks a token without reading the case: errLinkInvalid for
// one that is not authentic, errPortal when the tenant uses the portal.
// An expired link is answered (expired): what may be done with it depends
// on the case.
func (s *Service) openLink(ctx context.Context, token string) (link, error) {
	l, err := s.claimsOf(token)
	if err != nil {
		return link{}, err
	}
	return s.withSettings(ctx, l)
}

// claimsOf is openLink's first half, which reads nothing: the link's
// claims, errLinkInvalid for a token that is not authentic.
func (s *Service) claimsOf(token string) (link, error) {
	cl, err := s.links.Ring.Open(token, s.now())
	expired := errors.Is(err, linktoken.ErrExpired)
	if err != nil && !expired {
		return link{}, errLinkInvalid
	}
	return link{claims: cl, expired: expired}, nil
}

// withSettings is openLink's second half: l with its tenant's settings,
// errPortal when the tenant uses the portal.
func (s *Service) withSettings(ctx context.Context, l link) (link, error) {
	return l.settled(s.settings.Snapshot(ctx, l.claims.Tenant))
}

// settled is l with its tenant's settings as they were read: errPortal
// when the tenant uses the portal.
func (l link) settled(snap *settings.Snapshot, err error) (link, error) {
	if err != nil {
		return link{}, err
	}
	if portalMode(snap) {
		return link{}, errPortal
	}
	l.snap = snap
	return l, nil
}

// current reports whether case c is still what link l was made for: the
// same contact, in the same link epoch.
func (l link) current(c *cases.Case) bool {
	return c.ContactID == l.claims.Contact && c.LinkEpoch == l.claims.Epoch
}

// caseOf reads the case of a link, errLinkInvalid when it is gone or the
// link is not current.
func (s *Service) caseOf(ctx context.Context, l link) (*cases.Case, error) {
	c, err := s.cases.Case(ctx, l.claims.Tenant, l.claims.Case)
	if problem.CodeOf(err) == problem.NotFound || (err == nil && !l.current(c)) {
		return nil, errLinkInvalid
	}
	return c, err
}

// caseAndFormOf reads the case of a link and its form, as caseOf: the
// form nil unless the case has one the customer fills (customers never
// see one staff fill).
func (s *Service) caseAndFormOf(ctx context.Context, l link) (*cases.Case, *cases.CaseForm, error) {
	c, f, err := s.cases.CaseAndForm(ctx, l.claims.Tenant, l.claims.Case)
	if problem.CodeOf(err) == problem.NotFound || (err == nil && !l.current(c)) {
		return nil, nil, errLinkInvalid
	}
	if err != nil {
		return nil, nil, err
	}
	if f, err = cases.ForCustomer(f); err != nil {
		return c, nil, nil
	}
	return c, f, nil
}

// Conversation is what the customer's page shows of a case: the case,
// its form when the customer fills it, the latest messages, and whether
// older ones are left out.
type Conversation struct {
	Case     *cases.Case
	Form     *cases.CaseForm
	Messages []*Message
	Older    bool
	Settings *settings.Snapshot
	Locale   string
}

// Visit reads what the page of a link shows (GET /c/{token}): the case
// with its form (one BatchGetItem) and its latest messages, read at once
// (two round trips in the time of one), with the tenant's settings when
// this instance holds none.
// It changes nothing. A link that does not lead to a conversation answers
// errLinkInvalid, errLinkExpired (one read of the case: a revoked link
// must not be offered a fresh one) or errPortal.
func (s *Service) Visit(ctx context.Context, token string) (*Conversation, error) {
	l, err := s.claimsOf(token)
	if err != nil {
		return nil, err
	}
	// The tenant's settings (a Query when this instance holds none) are
	// read at the same time as the case: a cold instance waits one round
	// trip, not two. What is read besides is dropped when the settings
	// send the customer to the portal.
	settingsRead := settings.SnapshotBeside(ctx, s.settings, l.claims.Tenant)
	c, err := s.visit(ctx, l)
	l, serr := l.settled(settingsRead())
	if serr != nil {
		return nil, serr
	}
	if err != nil {
		return nil, err
	}
	c.Settings = l.snap
	return c, nil
}

// visit reads the case of a link with its form and its latest messages,
// at once; the case alone for an expired link (errLinkExpired).
func (s *Service) visit(ctx context.Context, l link) (*Conversation, error) {
	if l.expired {
		if _, err := s.caseOf(ctx, l); err != nil {
			return nil, err
		}
		return nil, errLinkExpired
	}
	type read struct {
		msgs  []*Message
		older bool
		err   error
	}
	ch := make(chan read, 1)
	go func() {
		msgs, older, err := s.latest(ctx, l.claims.Tenant, l.claims.Case, shownOnPage)
		ch <- read{msgs, older, err}
	}()
	c, f, err := s.caseAndFormOf(ctx, l)
	r := <-ch
	if err != nil {
		return nil, err
	}
	if r.err != nil {
		return nil, r.err
	}
	return &Conversation{Case: c, Form: f, Messages: r.msgs, Older: r.older, Locale: l.claims.Locale}, nil
}

// LinkReply is the contact's reply on the page of a link (POST
// /c/{token}); see reply. An expired link answers errLinkExpired.
func (s *Service) LinkReply(ctx context.Context, token, body string) (*Message, error) {
	l, err := s.openLink(ctx, token)
	if err != nil {
		return nil, err
	}
	if l.expired {
		return nil, errLinkExpired
	}
	body, err = replyBody(body)
	if err != nil {
		return nil, err
	}
	return s.reply(ctx, l.claims.Tenant, l.claims.Case, func(c *cases.Case) (Author, error) {
		if !l.current(c) {
			return Author{}, errLinkInvalid
		}
		return Author{Kind: Customer, Name: c.ContactName(), ID: c.ContactID}, nil
	}, body)
}

// RequestLink mails a fresh link to the contact an expired link was sent
// to, at the address on file (POST /c/{token}/link): the mail, an event
// (link-requested) and one more of the case's fresh links today, in one
// transaction, after one read of the case. A link that still works needs
// none: it answers nil and sends nothing.
func (s *Service) RequestLink(ctx context.Context, token string) error {
	l, err := s.openLink(ctx, token)
	if err != nil {
		return err
	}
	c, err := s.caseOf(ctx, l)
	if err != nil || !l.expired {
		return err
	}
	now := s.stamp()
	by := "customer:" + c.ContactID
	mail, err := outbox.Write(outbox.Mail{ID: dynamo.NewID(now.Time), Tenant: l.claims.Tenant, CreatedAt: now, Text: "conversation-link",
		CaseID: c.ID, To: outbox.Recipient{CustomerID: c.CustomerID, ContactID: c.ContactID},
		Link: &outbox.Link{Epoch: c.LinkEpoch, Expires: timestamp.New(now.Add(validFor(l.snap)))}})
	if err != nil {
		return err
	}
	ev, err := cases.EventWrite(l.claims.Tenant, c.ID, &cases.Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: "link-requested"})
	if err != nil {
		return err
	}
	return s.table.Commit(ctx, "request link", mail, ev, linkLimit.counted(l.claims.Tenant, c.ID, now.Time))
}

// errNoSuchCase is the 404 of a case a principal may not see: the same as
// one that does not exist.
var errNoSuchCase = problem.New(problem.NotFound, "There is no such case.")

// portalOn refuses the portal while the general setting customerAccess is
// none (from the cached settings: no round trip when warm).
func (s *Service) portalOn(ctx context.Context, tenant string) error {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return err
	}
	return snap.PortalOpen()
}

// PortalMessages answers a page of the conversation of a case of the
// portal user's own customer, oldest first, with authors by name only.
// Another customer's case answers 404.
func (s *Service) PortalMessages(ctx context.Context, p identity.Principal, caseID string, limit int, cursor string) (httpapi.List[*Message], error) {
	if err := s.portalOn(ctx, p.Tenant); err != nil {
		return httpapi.List[*Message]{}, err
	}
	c, page, err := s.caseAndPage(ctx, p.Tenant, caseID, limit, cursor)
	if err != nil {
		return page, err
	}
	if c.CustomerID != p.Customer {
		return httpapi.List[*Message]{}, errNoSuchCase
	}
	for _, m := range page.Items {
		m.Author.ID = ""
	}
	return page, nil
}

// PortalReply is a portal user's reply in a case of their own customer;
// see reply. Another customer's case answers 404.
func (s *Service) PortalReply(ctx context.Context, p identity.Principal, caseID, body string) (*Message, error) {
	if err := s.portalOn(ctx, p.Tenant); err != nil {
		return nil, err
	}
	body, err := replyBody(body)
	if err != nil {
		return nil, err
	}
	m, err := s.reply(ctx, p.Tenant, caseID, func(c *cases.Case) (Author, error) {
		if c.CustomerID != p.Customer {
			return Author{}, errNoSuchCase
		}
		return Author{Kind: Customer, Name: c.CustomerName(), ID: p.User}, nil
	}, body)
	if m != nil {
		m.Author.ID = ""
	}
	return m, err
}

// RevokeLinks makes every link mailed for the case so far stop working
// (its link epoch moves on); the next message mails a fresh one.
func (s *Service) RevokeLinks(ctx context.Context, p identity.Principal, caseID string) error {
	_, err := s.cases.RevokeLinks(ctx, p, caseID)
	return err
}

// ConversationLink is the link a mail carries to the conversation of case
// caseID (mail.Links): in link mode <BaseURL>/c/<token>, sealed now for the
// contact, the epoch and the expiry the change that caused the mail
// named; in portal mode the case's page in the portal, without a token.
func (l Links) ConversationLink(tenant, caseID string, to outbox.Recipient, link outbox.Link, locale string) (string, error) {
	if link.Portal {
		if l.PortalURL == "" {
			return "", fmt.Errorf("conversation link: the tenant uses the portal, and no PORTAL_URL is configured")
		}
		return strings.TrimRight(l.PortalURL, "/") + "/cases/" + url.PathEscape(caseID), nil
	}
	if l.Ring == nil || l.BaseURL == "" {
		return "", fmt.Errorf("conversation link: no link keys or public base URL are configured")
	}
	tok, err := l.Ring.Seal(linktoken.Claims{Tenant: tenant, Case: caseID, Contact: to.ContactID, Epoch: link.Epoch,
		Expires: link.Expires.Time, Locale: locale})
	if err != nil {
		return "", err
	}
	return strings.TrimRight(l.BaseURL, "/") + "/c/" + tok, nil
}
