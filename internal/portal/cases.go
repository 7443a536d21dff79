package portal

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/intake"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// CaseTypes answers the case types visible in the portal, by name, with
// the fields customers fill: no read when the settings are warm.
func (s *Service) CaseTypes(ctx context.Context, p identity.Principal) ([]*CaseType, error) {
	snap, err := s.open(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	out := []*CaseType{}
	for _, t := range snap.CaseTypesByName() {
		if t.VisibleInPortal {
			out = append(out, &CaseType{ID: t.ID, Name: t.Name, Selectable: t.SelectableInPortal, Fields: intake.CustomerFields(snap, t)})
		}
	}
	return out, nil
}

// input is the body of POST /v1/portal/cases: what a customer may set.
type input struct {
	TypeID      string         `json:"typeId,omitempty"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	Fields      map[string]any `json:"fields,omitempty"`
}

// staffOnly are fields of a case that staff set: refused in the portal by
// name, before the body is read strictly.
var staffOnly = []string{"statusId", "priorityId", "assignees", "deadline", "customerId", "contactId", "linkedOrderId"}

// decodeInput reads the body of a create: staff's fields refused by name,
// then strictly.
func decodeInput(body []byte) (input, error) {
	var in input
	var raw map[string]json.RawMessage
	_ = json.Unmarshal(body, &raw) // not an object: the strict decoder says so
	var errs problem.Fields
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		if slices.Contains(staffOnly, k) {
			errs.Add(k, "is set by staff, not in the portal")
		}
	}
	if err := errs.Err(); err != nil {
		return in, err
	}
	return in, httpapi.Unmarshal(body, &in)
}

// Create registers a case for the login's customer (and its contact, when
// the login is linked to one) with the portal settings' priority and
// deadline and the type's rules: the cases area's own create.
func (s *Service) Create(ctx context.Context, p identity.Principal, in input) (*View, error) {
	snap, err := s.open(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	if in.TypeID != "" {
		if t, ok := snap.CaseTypes[in.TypeID]; !ok || !t.VisibleInPortal || !t.SelectableInPortal {
			return nil, problem.FieldInvalid("typeId", "is not a case type you can choose in the portal (GET /v1/portal/case-types)")
		}
	}
	f := cases.From{Source: cases.SourcePortal, By: p.User, CustomerID: p.Customer,
		Case: cases.NewCase{Title: in.Title, Description: in.Description, TypeID: in.TypeID, Fields: in.Fields, PriorityID: snap.Portal.PriorityID}}
	if d, err := settings.ParseDuration(snap.Portal.DeadlineWithin); err == nil && snap.Portal.DeadlineWithin != "" {
		f.Case.Deadline = timestamp.Ptr(s.now().Add(d))
	}
	c, err := s.cases.CreateFrom(ctx, p.Tenant, f)
	if err != nil {
		return nil, unknownCustomer(err)
	}
	return view(snap, c), nil
}

// unknownCustomer answers a create refused because the login's customer
// is not (any more) one of the tenant's: the customer cannot fix that.
func unknownCustomer(err error) error {
	if pe, ok := errors.AsType[*problem.Error](err); ok && pe.Code == problem.Invalid &&
		slices.ContainsFunc(pe.Fields, func(f problem.FieldError) bool { return f.Field == "customerId" || f.Field == "contactId" }) {
		return problem.New(problem.Forbidden, "Your login belongs to a customer this company does not have; ask the company to check your account.")
	}
	return err
}

// List answers one page of the login's customer's cases, newest first:
// one Query (and the tenant's settings at the same time, see openBeside).
func (s *Service) List(ctx context.Context, p identity.Principal, page httpapi.Page) (*httpapi.List[*View], error) {
	opened := s.openBeside(ctx, p.Tenant)
	list, err := s.cases.CustomerCases(ctx, p.Tenant, p.Customer, page.Limit, page.Cursor)
	snap, oerr := opened()
	if oerr != nil {
		return nil, oerr
	}
	if err != nil {
		return nil, err
	}
	out := &httpapi.List[*View]{Items: make([]*View, 0, len(list.Items)), Next: list.Next}
	for _, c := range list.Items {
		out.Items = append(out.Items, view(snap, c))
	}
	return out, nil
}

// errNoCase answers a case that is not the login's customer's: as if it
// did not exist.
var errNoCase = problem.New(problem.NotFound, "There is no such case.")

// Get answers one of the login's customer's cases: one GetItem (and the
// tenant's settings at the same time, see openBeside).
func (s *Service) Get(ctx context.Context, p identity.Principal, id string) (*View, error) {
	opened := s.openBeside(ctx, p.Tenant)
	c, err := s.cases.Case(ctx, p.Tenant, id)
	snap, oerr := opened()
	if oerr != nil {
		return nil, oerr
	}
	if problem.CodeOf(err) == problem.NotFound {
		return nil, errNoCase
	}
	if err != nil {
		return nil, err
	}
	if c.CustomerID == "" || c.CustomerID != p.Customer {
		return nil, errNoCase
	}
	return view(snap, c), nil
}
