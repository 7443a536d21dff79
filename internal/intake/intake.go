// Package intake is website intake (Externa ärenden): cases that arrive
// through the API from outside, for example a fault-report form on the
// company's website, authenticated by an API key (package apikeys) in
// X-Api-Key rather than a login. GET /v1/external/case-types/{apiId}
// answers what a website needs to render the form of a case type; POST
// /v1/external/cases creates a case through the cases area's own create
// (cases.CreateFrom), with the external settings' defaults.
//
// The create costs three DynamoDB round trips: one BatchGetItem reads the
// key, the sender's address in the index of contacts by e-mail and the
// Idempotency-Key's record; the case number is taken; one transaction
// writes the case, the record of its answer and the key's count. See
// store.go for the idempotency record and README.md for the whole design.
package intake

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/apikeys"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Keys checks and counts the API keys requests present (apikeys.Service).
type Keys interface {
	Verify(p apikeys.Presented, it dynamo.Item) (*apikeys.Grant, error)
	Count(ctx context.Context, p apikeys.Presented) (*apikeys.Grant, error)
	CountWrite(g *apikeys.Grant) dynamo.Write
	Refused(ctx context.Context, p apikeys.Presented) error
	OriginAllowed(ctx context.Context, origin string) (bool, error)
}

// Cases creates cases from outside (cases.Service).
type Cases interface {
	CreateFrom(ctx context.Context, tenant string, f cases.From) (*cases.Case, error)
	CheckFrom(ctx context.Context, tenant string, f cases.From) error
}

// Contacts finds the contacts with an e-mail address (customers.Service).
type Contacts interface {
	LookupEmail(tenant, email string) customers.EmailLookup
}

var (
	_ Keys     = (*apikeys.Service)(nil)
	_ Cases    = (*cases.Service)(nil)
	_ Contacts = (*customers.Service)(nil)
)

// Service is website intake. Its methods take a context and plain values;
// routes.go reads requests and writes answers, store.go holds its reads
// and writes of the table.
type Service struct {
	table    dynamo.Table
	settings settings.Reader
	keys     Keys
	cases    Cases
	contacts Contacts
	now      func() time.Time
}

// NewService returns website intake over the table.
func NewService(table dynamo.Table, st settings.Reader, keys Keys, cs Cases, contacts Contacts, now func() time.Time) *Service {
	return &Service{table: table, settings: st, keys: keys, cases: cs, contacts: contacts, now: now}
}

// Honeypot is the name of the form's honeypot field: rendered hidden, a
// person leaves it empty and a bot fills it. A filled one creates nothing.
const Honeypot = "website"

// Form is what a website needs to render the form of a case type.
type Form struct {
	APIID    string      `json:"apiId"`
	Name     string      `json:"name"`
	Fields   []FormField `json:"fields"`
	Honeypot string      `json:"honeypot"`
	// Questions are the type's default form, when customers fill it: the
	// website sends the answers in the create's form.
	Questions *Questions `json:"form,omitempty"`
}

// Questions are the questions of a case type's default form.
type Questions struct {
	Name      string                  `json:"name"`
	Sections  []settings.FormSection  `json:"sections"`
	Questions []settings.FormQuestion `json:"questions"`
}

// CustomerQuestions are the questions of case type t's default form when
// customers fill it; nil when t has none, or staff fill it (customers
// never see such a form).
func CustomerQuestions(snap *settings.Snapshot, t *settings.CaseType) *Questions {
	d, f := snap.DefaultFormOf(t)
	if d == nil || d.FilledBy != settings.FilledByCustomer {
		return nil
	}
	return &Questions{Name: f.Name, Sections: f.Sections, Questions: f.Questions}
}

// FormField is a field of a case type that customers fill.
type FormField struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Options  []string `json:"options,omitempty"`
	Required bool     `json:"required"`
}

// CustomerFields are the fields of case type t that customers fill, in
// the type's order.
func CustomerFields(snap *settings.Snapshot, t *settings.CaseType) []FormField {
	out := []FormField{}
	for _, tf := range t.Fields {
		def, ok := snap.Fields[tf.FieldID]
		if !ok || tf.FilledBy != cases.FilledByCustomer {
			continue
		}
		out = append(out, FormField{ID: def.ID, Name: def.Name, Kind: def.Kind, Options: def.Options, Required: tf.Required})
	}
	return out
}

// checkOrigin refuses a request from a browser origin the key does not
// allow (origin "" is a server's request, allowed).
func checkOrigin(g *apikeys.Grant, origin string) error {
	switch {
	case origin == "" || g.AllowsOrigin(origin):
		return nil
	case len(g.Key.Origins) == 0:
		return problem.New(problem.Forbidden, "This API key serves only server-to-server calls: a request from a browser (with an Origin header) is refused. Add the website's origin to the key to use it there.")
	default:
		return problem.New(problem.Forbidden, "This API key may not be used from %s; it allows %s.", origin, strings.Join(g.Key.Origins, ", "))
	}
}

// Form answers the form of the case type with the API-ID, for the
// presented key from origin: one UpdateItem, which checks and counts the
// key (a second at the first request of a minute).
func (s *Service) Form(ctx context.Context, key apikeys.Presented, origin, apiID string) (*Form, *apikeys.Grant, error) {
	g, err := s.keys.Count(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	if err := checkOrigin(g, origin); err != nil {
		return nil, g, err
	}
	snap, err := s.settings.Snapshot(ctx, g.Tenant)
	if err != nil {
		return nil, g, err
	}
	t := apikeys.TypeByAPIID(snap, apiID)
	if t == nil {
		return nil, g, problem.New(problem.NotFound, "No case type of this company has the API-ID %q.", apiID)
	}
	if !g.AllowsType(apiID) {
		return nil, g, notThisType(apiID)
	}
	return &Form{APIID: t.APIID, Name: t.Name, Fields: CustomerFields(snap, t), Honeypot: Honeypot, Questions: CustomerQuestions(snap, t)}, g, nil
}

// notThisType is the answer to a key restricted to other case types.
func notThisType(apiID string) error {
	return problem.New(problem.Forbidden, "This API key may not create cases of the case type %q.", apiID)
}

// Preflight reports whether a CORS preflight from origin is answered:
// when some key allows the origin. (A preflight carries no key; the
// request that follows is checked against its own.)
func (s *Service) Preflight(ctx context.Context, origin string) (bool, error) {
	return s.keys.OriginAllowed(ctx, origin)
}

// merged is the 400 of two validations at once: every field of both
// (nil ones ignored), or the first error that is not a 400.
func merged(a, b error) error {
	var errs problem.Fields
	for _, err := range []error{a, b} {
		if err == nil {
			continue
		}
		pe, ok := errors.AsType[*problem.Error](err)
		if !ok || pe.Code != problem.Invalid {
			return err
		}
		for _, f := range pe.Fields {
			errs.Add(f.Field, "%s", f.Message)
		}
		if len(pe.Fields) == 0 {
			return err
		}
	}
	return errs.Err()
}
