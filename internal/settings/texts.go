package settings

import (
	"cmp"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// commonPlaceholders may be used in every text.
var commonPlaceholders = []string{
	"case.number", "case.title", "case.status", "case.priority", "case.type", "case.deadline",
	"customer.name", "contact.name", "contact.email",
	"agent.name", "agent.email", "agent.phone",
	"company.name", "company.email", "company.phone",
}

// extraPlaceholders are the names only some texts have a value for.
var extraPlaceholders = map[string][]string{
	"conversation-message": {"conversation.link", "message.text"},
	"review-request":       {"review.link"},
	"mention":              {"case.link", "mention.author", "comment.text"},
}

// Placeholders returns the names the text key may use, written
// {{case.number}}. The mailer fills them; any other name is refused when
// the text is saved, so a mail never goes out with a hole in it.
func Placeholders(key string) []string {
	return slices.Concat(commonPlaceholders, extraPlaceholders[key])
}

var placeholderPattern = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// checkPlaceholders refuses placeholders the text key does not have,
// naming them, and braces that do not form a placeholder.
func checkPlaceholders(errs *problem.Fields, field, key, s string) {
	allowed := Placeholders(key)
	for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(allowed, m[1]) {
			errs.Add(field, "unknown placeholder {{%s}}; the %s text may use %s", m[1], key, strings.Join(allowed, ", "))
		}
	}
	rest := placeholderPattern.ReplaceAllString(s, "")
	if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		errs.Add(field, "has a {{ or }} that does not form a placeholder such as {{case.number}}")
	}
}

func textOrder(a, b *Text) int {
	return cmp.Or(cmp.Compare(slices.Index(textKeys, a.Key), slices.Index(textKeys, b.Key)),
		cmp.Compare(slices.Index(locales, a.Locale), slices.Index(locales, b.Locale)))
}

// textInput is the body of PUT /v1/settings/texts/{key}.
type textInput struct {
	Locale  string `json:"locale"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Version *int64 `json:"version,omitempty"`
}

func textRoutes(svc *Service) []httpapi.Route {
	const path = "/v1/settings/texts"
	return []httpapi.Route{
		httpapi.NewRoute("GET", path, httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
			if err != nil {
				return err
			}
			snap, err := svc.Snapshot(r.Context(), p.Tenant)
			if err != nil {
				return err
			}
			httpapi.Write(w, http.StatusOK, httpapi.List[*Text]{Items: sortedValues(snap.Texts, textOrder)})
			return nil
		})),
		httpapi.NewRoute("GET", path+"/{key}", httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
			if err != nil {
				return err
			}
			snap, err := svc.Snapshot(r.Context(), p.Tenant)
			if err != nil {
				return err
			}
			locale := r.URL.Query().Get("locale")
			if locale == "" {
				locale = snap.General.Locale
			}
			t, err := findText(snap, r.PathValue("key"), locale)
			if err != nil {
				return err
			}
			httpapi.WriteObject(w, http.StatusOK, t)
			return nil
		})),
		httpapi.NewRoute("PUT", path+"/{key}", httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := identity.Require(r.Context(), identity.Admin)
			if err != nil {
				return err
			}
			var in textInput
			if err := httpapi.Decode(w, r, &in); err != nil {
				return err
			}
			version, err := httpapi.Version(r, in.Version)
			if err != nil {
				return err
			}
			key := r.PathValue("key")
			var updated *Text
			err = svc.change(r.Context(), p.Tenant, func(snap *Snapshot, tx *writes) error {
				if !slices.Contains(textKeys, key) {
					return problem.New(problem.NotFound, "There is no text %q; the texts are %s.", key, strings.Join(textKeys, ", "))
				}
				var errs problem.Fields
				checkOneOf(&errs, "locale", in.Locale, locales...)
				if err := errs.Err(); err != nil {
					return err
				}
				old, err := findText(snap, key, in.Locale)
				if err != nil {
					return err
				}
				if err := httpapi.CheckVersion("text", old, version, nil); err != nil {
					return err
				}
				errs.Text("subject", in.Subject, 1, maxSubject)
				checkSingleLine(&errs, "subject", in.Subject)
				checkPlaceholders(&errs, "subject", key, in.Subject)
				errs.Text("body", in.Body, 1, maxBody)
				checkPlaceholders(&errs, "body", key, in.Body)
				if err := errs.Err(); err != nil {
					return err
				}
				t := *old
				t.Subject, t.Body = in.Subject, in.Body
				t.Version++
				t.UpdatedAt = svc.stamp()
				tx.put(kindText, &t, old.Version)
				updated = &t
				return nil
			})
			if err != nil {
				return err
			}
			httpapi.WriteObject(w, http.StatusOK, updated)
			return nil
		})),
	}
}

func findText(snap *Snapshot, key, locale string) (*Text, error) {
	if !slices.Contains(textKeys, key) {
		return nil, problem.New(problem.NotFound, "There is no text %q; the texts are %s.", key, strings.Join(textKeys, ", "))
	}
	if !slices.Contains(locales, locale) {
		return nil, problem.FieldInvalid("locale", "must be one of %s", strings.Join(locales, ", "))
	}
	t, ok := snap.Texts[textID(key, locale)]
	if !ok {
		return nil, problem.New(problem.NotFound, "There is no %s text %q.", locale, key)
	}
	return t, nil
}
