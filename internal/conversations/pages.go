package conversations

// The customer's page of a mail link: GET /c/{token} shows the
// conversation, POST /c/{token} replies (post/redirect/get), POST
// /c/{token}/link mails a fresh link when the link has expired. The token
// is the credential: no login, no cookie. A GET changes nothing (mail
// scanners follow links). Every answer is HTML with headers that keep
// the token to this page: no referrer, no cache, no index, no framing, and
// a Content-Security-Policy that allows the page's own stylesheet (by its
// hash) and its own forms, and nothing else: no script, nothing from
// another origin.

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // the page and its stylesheet
	"encoding/base64"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

var (
	//go:embed page/page.html
	pageHTML string
	//go:embed page/style.css
	pageCSS string

	// csp is the page's Content-Security-Policy.
	csp = "default-src 'none'; style-src '" + styleHash(pageCSS) + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

// styleHash is the CSP source of an inline stylesheet: its SHA-256.
func styleHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// maxForm bounds a form a page takes: a reply of maxReply characters (up
// to four bytes each, escaped) and the binding.
const maxForm = 64 << 10

// view is what the template shows.
type view struct {
	Lang, Title, Kind string
	T                 *pageText
	Style             template.CSS

	// The conversation.
	Company, CaseTitle, Status string
	Number                     int64
	Messages                   []shownMessage
	Older                      bool
	Contact                    *settings.CompanyContact
	Action, LinkAction         string
	Binding, Draft             string
	MaxReply                   int
	Notice, Error              string
	// Form is the case's form, when the customer fills it.
	Form *formShown

	// Other pages.
	Heading, Text, Back, PortalURL string
}

// shownMessage is a message as the page shows it.
type shownMessage struct {
	Direction, Author, Body, When, ISO string
}

// The kinds of page (view.Kind).
const (
	kindConversation = "conversation"
	kindExpired      = "expired"
	kindPortal       = "portal"
	kindMessage      = "message"
)

// headers sets what every page answer carries.
func headers(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	// The page is only ever served over HTTPS (API Gateway): browsers that
	// have seen it never try plain HTTP, where the token would travel open.
	h.Set("Strict-Transport-Security", "max-age=31536000")
}

// page is the customer's page's template, parsed and escaped once.
// Routes takes it, so that only the function that serves the page
// prepares it at its cold start and links html/template (with the
// reflection it brings, which keeps every exported method of whatever
// the program puts in an interface): the other functions build this
// service for its links and its rules, not its page. (A package-level
// sync.OnceValue would reach the template from every importer's init.)
func page() *template.Template {
	pageOnce.Do(func() {
		pageTemplate = template.Must(template.New("page").Parse(pageHTML))
		// html/template escapes a template at its first Execute (0.4 ms,
		// as long as the parse): done here, not in the first customer's
		// request. Executing an empty page fails after the escaping,
		// which is all this is for.
		_ = pageTemplate.Execute(io.Discard, &view{T: &pageText{}})
	})
	return pageTemplate
}

var (
	pageOnce     sync.Once
	pageTemplate *template.Template
)

// PreparePage parses and escapes the customer's page now. The
// conversations function calls it beside its cold start's read of the
// link keys from Secrets Manager, so the CPU work (about 1 ms) is done
// while that read waits on the network.
func PreparePage() { page() }

// render answers v with status.
func (s *Service) render(w http.ResponseWriter, r *http.Request, status int, v *view) {
	v.Style = template.CSS(pageCSS)
	if v.Title == "" {
		v.Title = v.Heading
	}
	var b bytes.Buffer
	if err := s.pageTemplate.Execute(&b, v); err != nil {
		httpapi.Log(r.Context()).ErrorContext(r.Context(), "render page", "err", err.Error())
		status, b = http.StatusInternalServerError, *bytes.NewBufferString("<!DOCTYPE html><title>Error</title><p>Error.")
	}
	headers(w)
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// renderError answers what a link or a request fails with as its page.
// A link that does not work says so in both languages, since nothing of
// it may be trusted, not even its language.
func (s *Service) renderError(w http.ResponseWriter, r *http.Request, err error, token string) {
	lang, t := s.language(r, token)
	v := &view{Lang: lang, T: t, Kind: kindMessage}
	status := problem.Status(problem.CodeOf(err))
	switch {
	case errors.Is(err, errLinkInvalid):
		sv, en := pageTexts["sv"], pageTexts["en"]
		v.Lang, v.Heading, v.Text = "sv", sv.InvalidTitle+" / "+en.InvalidTitle, sv.InvalidText+" "+en.InvalidText
	case errors.Is(err, errLinkExpired):
		v.Kind, v.Title, status = kindExpired, t.ExpiredTitle, http.StatusGone
		if r.URL.Query().Get("sent") == "link" {
			v.Notice = t.LinkSent
		}
		v.LinkAction = url.PathEscape(token) + "/link"
	case errors.Is(err, errPortal):
		v.Kind, v.Title, v.PortalURL, status = kindPortal, t.PortalTitle, s.links.PortalURL, http.StatusOK
	case problem.CodeOf(err) == problem.TooManyRequests:
		v.Heading, v.Text, v.Back = t.LimitTitle, t.LimitText, back(r, token)
		if e, ok := errors.AsType[*problem.Error](err); ok && e.RetryAfter > 0 {
			w.Header().Set("Retry-After", retryAfter(e.RetryAfter))
		}
	case problem.CodeOf(err) == problem.TooLarge:
		v.Heading, v.Text, v.Back = t.TooLongTitle, t.TooLongText, back(r, token)
	case problem.CodeOf(err) == problem.Forbidden:
		v.Heading, v.Text, v.Back = t.FormTitle, t.FormText, back(r, token)
	default:
		problemLog(r, err)
		v.Heading, v.Text, v.Back = t.BusyTitle, t.BusyText, back(r, token)
		if problem.CodeOf(err) == problem.Unavailable {
			w.Header().Set("Retry-After", "1") // as every 503 of the API says when to try again (problem.Write)
		}
	}
	s.render(w, r, status, v)
}

// back is the page's own link, relative to the request: what a message
// page leads back to.
func back(r *http.Request, token string) string {
	if strings.HasSuffix(r.URL.Path, "/link") || strings.HasSuffix(r.URL.Path, "/form") {
		return "../" + url.PathEscape(token)
	}
	return url.PathEscape(token)
}

// retryAfter is d as Retry-After: whole seconds, rounded up.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

// problemLog logs an error a page answers as a failure on our side.
func problemLog(r *http.Request, err error) {
	level := httpapi.Log(r.Context()).InfoContext
	if problem.Status(problem.CodeOf(err)) >= 500 {
		level = httpapi.Log(r.Context()).ErrorContext
	}
	level(r.Context(), "page failed", "err", err.Error())
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// language is the language of a link's pages: the contact's, else the
// tenant's; Swedish for a link that is not authentic.
func (s *Service) language(r *http.Request, token string) (string, *pageText) {
	cl, err := s.links.Ring.Open(token, s.now())
	if err != nil && !errors.Is(err, linktoken.ErrExpired) {
		return textsFor("", nil)
	}
	snap, err := s.settings.Snapshot(r.Context(), cl.Tenant)
	if err != nil {
		snap = nil
	}
	return textsFor(cl.Locale, snap)
}
