package cases

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Cases that come from outside the staff app: website intake (package
// intake), the customer portal (package portal) and, later, recurring
// cases. They are created by the staff's own create: the next number of
// the tenant, the SLA targets of the priority, the tasks of the type's
// template, the list and search entries, the first event and the
// new-case mail, in one transaction.

// The sources of a case (Case.Source).
const (
	SourceStaff     = "staff"
	SourceExternal  = "external"
	SourcePortal    = "portal"
	SourceRecurring = "recurring"
)

// Requester is who asked for a case from outside when no contact of a
// customer matched them: the details they gave.
type Requester struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// NewCase is what a case from outside may be given: its source sets the
// rest (defaults of its settings) or staff do later.
type NewCase struct {
	Title       string
	Description string
	TypeID      string
	StatusID    string
	PriorityID  string
	Assignees   *settings.Assignees
	Fields      map[string]any
	Deadline    *timestamp.Time
	// LinkedOrderID is taken from staff's own sources only (recurring).
	LinkedOrderID string
	// Form, when not nil, are the answers to the type's form (one
	// customers fill) by question key, sent with the case: a submission,
	// checked as PUT /v1/cases/{id}/form with "submitted": true checks it
	// (field errors named form.<key>). FormBy is who answered.
	Form   map[string]any
	FormBy Answerer
}

// From is the create of a case from outside the staff app.
type From struct {
	// Source is where it comes from (SourceExternal, SourcePortal, ...).
	Source string
	// By names who registered it, in createdBy and its first event: an
	// API key ("api-key:<id>"), a portal login.
	By   string
	Case NewCase
	// CustomerID and ContactID are the case's customer and contact when
	// the source knows them (a portal login's): their names are read and
	// checked as a staff create does.
	CustomerID string
	ContactID  string
	// Match, instead, is the contact the source found by the sender's
	// e-mail address: the case takes its customer, contact and names
	// from the index without reading the customer, and its transaction
	// holds only while the index still says so (else ErrMatchChanged).
	Match *customers.EmailMatch
	// Requester is who asked, when no contact is known.
	Requester *Requester
	// RecurringID is the recurring-case definition a case of source
	// SourceRecurring is an occurrence of. Such a case was defined by
	// staff: it is checked by the staff's rules, not those of outside.
	RecurringID string
	// Extra makes the source's own writes that commit with the case, given
	// the case as it is written (its number taken): first in its
	// transaction, so that a failed one is answered before the case's own
	// rules. A record of the request and its answer, a count of its API
	// key.
	Extra func(c *Case) ([]dynamo.Write, error)
}

// ErrMatchChanged is what CreateFrom answers when the contact matched by
// e-mail changed (renamed, another address, removed) before the case
// committed: nothing was written, and matching again settles it.
var ErrMatchChanged = errors.New("the matched contact changed before the case was saved")

// CreateFrom registers a case from outside the staff app for the tenant:
// the staff's create, with the rules of outsideRules, its source, its
// requester and the caller's writes in its transaction. It answers the
// new case, or what a failed condition of the caller's writes means.
func (s *Service) CreateFrom(ctx context.Context, tenant string, f From) (*Case, error) {
	n, err := s.planFrom(ctx, tenant, f)
	if err != nil {
		return nil, err
	}
	if err := s.storeCreate(ctx, tenant, n); err != nil {
		return nil, err
	}
	n.c.SLA = sla(n.c, n.priority, s.stamp())
	return n.c, nil
}

// CheckFrom checks a create from outside as CreateFrom would, and stores
// nothing: the errors of its rules (400), nil when it keeps them. For a
// caller that found errors of its own, to answer all of them at once.
func (s *Service) CheckFrom(ctx context.Context, tenant string, f From) error {
	_, err := s.planFrom(ctx, tenant, f)
	return err
}

// planFrom plans the create of CreateFrom.
func (s *Service) planFrom(ctx context.Context, tenant string, f From) (*newCase, error) {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return nil, err
	}
	in := input{Title: f.Case.Title, Description: f.Case.Description, TypeID: f.Case.TypeID, StatusID: f.Case.StatusID,
		PriorityID: f.Case.PriorityID, CustomerID: f.CustomerID, ContactID: f.ContactID, Assignees: f.Case.Assignees,
		Fields: f.Case.Fields, Deadline: f.Case.Deadline}
	if f.Match != nil {
		in.CustomerID, in.ContactID = f.Match.CustomerID, f.Match.ContactID
	}
	if f.Case.Form != nil {
		in.answers = &formAnswers{values: f.Case.Form, by: f.Case.FormBy}
	}
	rules := snap
	if f.Source == SourceRecurring {
		in.LinkedOrderID = f.Case.LinkedOrderID
	} else {
		if t, ok := snap.CaseTypes[f.Case.TypeID]; ok {
			if err := staffFields(t, f.Case.Fields); err != nil {
				return nil, err
			}
		}
		rules = outsideRules(snap, f.Case.TypeID)
	}
	n, err := planCreate(rules, identity.Principal{Tenant: tenant, User: f.By}, in, s.stamp())
	if err != nil {
		return nil, err
	}
	n.c.Source, n.c.Requester, n.extra, n.c.RecurringID = f.Source, f.Requester, f.Extra, f.RecurringID
	if f.Match != nil {
		n.c.names = caseNames{Customer: f.Match.CustomerName, Contact: f.Match.ContactName}
		check := f.Match.Check(ErrMatchChanged)
		n.customerCheck = &check
	}
	return n, nil
}

// outsideRules are the settings a case from outside is checked against:
// the tenant's, but with the standard fields (Ärendefält) all taken and
// none but the title required, since they are the rules of the staff's
// form and a website or a customer cannot give what only staff know; and
// with its type asking only for the fields customers fill (the others
// are neither required nor taken: staff fill them later). The snapshot is
// shared, so this is a shallow copy with new objects where it differs.
func outsideRules(snap *settings.Snapshot, typeID string) *settings.Snapshot {
	out := *snap
	cf := &settings.CaseFields{Meta: snap.CaseFields.Meta}
	for _, f := range snap.CaseFields.Fields {
		cf.Fields = append(cf.Fields, settings.CaseField{Key: f.Key, Active: true, Mandatory: f.Key == "title"})
	}
	out.CaseFields = cf
	if t, ok := snap.CaseTypes[typeID]; ok {
		ct := *t
		ct.Fields = slices.DeleteFunc(slices.Clone(t.Fields), func(f settings.TypeField) bool { return f.FilledBy != FilledByCustomer })
		out.CaseTypes = maps.Clone(snap.CaseTypes)
		out.CaseTypes[typeID] = &ct
	}
	return &out
}

// FilledByCustomer is a case-type field customers fill (TypeField.FilledBy).
const FilledByCustomer = "customer"

// staffFields refuses, naming each, the values of fields that the case
// type has staff fill (or does not have): what a case from outside may
// not set.
func staffFields(t *settings.CaseType, fields map[string]any) error {
	var errs problem.Fields
	for _, id := range slices.Sorted(maps.Keys(fields)) {
		i := slices.IndexFunc(t.Fields, func(f settings.TypeField) bool { return f.FieldID == id })
		switch {
		case i < 0:
			errs.Add("fields."+id, "is not a field of the case type %q", t.Name)
		case t.Fields[i].FilledBy != FilledByCustomer:
			errs.Add("fields."+id, "is filled by staff, not by the customer")
		}
	}
	return errs.Err()
}
