package conversations

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// handlePage is GET /c/{token}: the conversation, or the page of a link
// that does not lead to one. It reads; it never writes.
func (s *Service) handlePage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	c, err := s.Visit(r.Context(), token)
	if err != nil {
		s.renderError(w, r, err, token)
		return
	}
	v := s.conversationView(c, token)
	switch r.URL.Query().Get("sent") {
	case "reply":
		v.Notice = v.T.Sent
	case "form":
		if v.Form != nil {
			v.Form.Notice = v.T.FormSaved
			if v.Form.Submitted {
				v.Form.Notice = v.T.FormSent
			}
		}
	}
	s.render(w, r, http.StatusOK, v)
}

// handlePageReply is POST /c/{token}: the reply form. A reply that is
// taken is answered with a redirect to the page (post/redirect/get); one
// that is refused with the page again, saying why, the text kept.
func (s *Service) handlePageReply(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	form, err := readForm(w, r, "binding", "body")
	if err == nil && !s.links.Ring.Bound(token, form.Get("binding")) {
		err = errForm
	}
	if err != nil {
		s.renderError(w, r, err, token)
		return
	}
	_, err = s.LinkReply(r.Context(), token, form.Get("body"))
	if problem.CodeOf(err) == problem.Invalid {
		s.refused(w, r, token, form.Get("body"))
		return
	}
	if err != nil {
		s.renderError(w, r, err, token)
		return
	}
	seeOther(w, url.PathEscape(token)+"?sent=reply")
}

// refused shows the conversation again with a reply that was refused
// (empty, too long), the text kept.
func (s *Service) refused(w http.ResponseWriter, r *http.Request, token, draft string) {
	c, err := s.Visit(r.Context(), token)
	if err != nil {
		s.renderError(w, r, err, token)
		return
	}
	v := s.conversationView(c, token)
	v.Draft, v.Error = draft, v.T.Empty
	if len([]rune(draft)) > maxReply {
		v.Error = v.T.TooLong
	}
	s.render(w, r, http.StatusBadRequest, v)
}

// handlePageLink is POST /c/{token}/link: a fresh link to the contact's
// address on file, for an expired link; then back to the page, which says
// it is on its way.
func (s *Service) handlePageLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	_, err := readForm(w, r)
	if err == nil {
		err = s.RequestLink(r.Context(), token)
	}
	if err != nil {
		s.renderError(w, r, err, token)
		return
	}
	seeOther(w, "../"+url.PathEscape(token)+"?sent=link")
}

// errForm is a form that was not made by the page of its link: another
// site's, or one whose binding is not the link's.
var errForm = problem.New(problem.Forbidden, "The form is not this page's.")

// readForm reads a form of the page: urlencoded, bounded, only the names
// given, each at most once, and posted by the page itself (a browser says
// where a request comes from: another site's form is refused).
func readForm(w http.ResponseWriter, r *http.Request, names ...string) (url.Values, error) {
	return readFormOf(w, r, maxForm, func(name string) bool { return slices.Contains(names, name) })
}

// readFormOf is readForm of at most limit bytes, of the names for which
// known holds.
func readFormOf(w http.ResponseWriter, r *http.Request, limit int64, known func(name string) bool) (url.Values, error) {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return nil, errForm
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, problem.New(problem.TooLarge, "The form is too large.")
		}
		return nil, errForm
	}
	for name, values := range r.PostForm {
		if !known(name) || len(values) != 1 {
			return nil, errForm
		}
	}
	return r.PostForm, nil
}

// conversationView is the page of a conversation.
func (s *Service) conversationView(c *Conversation, token string) *view {
	lang, t := textsFor(c.Locale, c.Settings)
	snap := c.Settings
	v := &view{Lang: lang, T: t, Kind: kindConversation, Company: companyName(snap),
		Number: c.Case.Number, CaseTitle: c.Case.Title, Status: statusShown(snap, t, c.Case.StatusID, c.Case.StatusCategory),
		Older: c.Older, Contact: contactShown(snap, c), Action: url.PathEscape(token), MaxReply: maxReply}
	v.Title = t.Case + " #" + itoa(c.Case.Number) + ": " + c.Case.Title
	v.Binding, _ = s.links.Ring.Binding(token)
	if c.Form != nil {
		v.Form = formView(c.Form, t, token)
	}
	loc, err := time.LoadLocation(snap.General.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	for _, m := range c.Messages {
		author := m.Author.Name
		if m.Direction == In {
			author = t.You
		} else if author == "" || snap.Conversations.ShowContact == "company" {
			author = t.Staff
		}
		v.Messages = append(v.Messages, shownMessage{Direction: m.Direction, Author: author, Body: m.Body,
			When: m.CreatedAt.In(loc).Format("2006-01-02 15:04"), ISO: m.CreatedAt.UTC().Format(time.RFC3339)})
	}
	return v
}

// companyName is the tenant's name as its customers know it.
func companyName(snap *settings.Snapshot) string {
	if n := snap.Conversations.CompanyContact.Name; n != "" {
		return n
	}
	return snap.General.MailFromName
}

// statusShown is the case's status as the customer sees it: its name when
// the status is visible to customers, else its category in words.
func statusShown(snap *settings.Snapshot, t *pageText, statusID, category string) string {
	if st, ok := snap.Statuses[statusID]; ok && st.VisibleToCustomer {
		return st.Name
	}
	return t.Categories[category]
}

// contactShown is whom the page gives the customer to contact, as the
// settings say: the company's contact details, or the staff member who
// wrote last (else the case's first assigned user).
func contactShown(snap *settings.Snapshot, c *Conversation) *settings.CompanyContact {
	conv := snap.Conversations
	company := &settings.CompanyContact{Name: conv.CompanyContact.Name, Email: conv.CompanyContact.Email, Phone: conv.CompanyContact.Phone}
	if conv.ShowContact == "company" {
		if company.Name == "" && company.Email == "" && company.Phone == "" {
			return nil
		}
		return company
	}
	ids := slices.Clone(c.Case.Assignees.Users)
	for _, m := range c.Messages {
		if m.Direction == Out && m.Author.ID != "" {
			ids = append([]string{m.Author.ID}, ids...)
		}
	}
	for _, id := range ids {
		if u, ok := snap.Users[id]; ok {
			return &settings.CompanyContact{Name: u.Name, Email: u.Email, Phone: u.Phone}
		}
	}
	return nil
}

// seeOther redirects to the page at a location relative to the request
// (the API may be mounted under a base path the function does not see).
func seeOther(w http.ResponseWriter, location string) {
	headers(w)
	w.Header().Set("Location", location)
	w.WriteHeader(http.StatusSeeOther)
}
