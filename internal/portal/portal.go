// Package portal is the customer portal (Ärenden från kundportal): a
// customer's login (role customer, with the customer claim) lists the
// case types it may register, registers cases for its own customer with
// the portal settings' defaults, and reads its customer's cases as the
// customer sees them (View): never comments, events, time reports, tasks,
// staff-filled fields or who works the case beyond the contact details the
// conversation settings show. Another customer's case answers 404, as if
// it did not exist. The general setting customerAccess "none" turns the
// portal off (403).
package portal

import (
	"context"
	"time"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/intake"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Cases is what the portal does with cases (cases.Service).
type Cases interface {
	CreateFrom(ctx context.Context, tenant string, f cases.From) (*cases.Case, error)
	CustomerCases(ctx context.Context, tenant, customerID string, limit int, cursor string) (*httpapi.List[*cases.Case], error)
	Case(ctx context.Context, tenant, id string) (*cases.Case, error)
	CaseForm(ctx context.Context, tenant, caseID string) (*cases.Case, *cases.CaseForm, error)
	SaveForm(ctx context.Context, tenant, caseID string, save cases.FormSave) (*cases.CaseForm, error)
}

var _ Cases = (*cases.Service)(nil)

// Service is the customer portal. Its methods take a context and plain
// values; routes.go reads requests and writes answers. It has no storage
// of its own: cases are the cases area's, settings the settings area's.
type Service struct {
	settings settings.Reader
	cases    Cases
	now      func() time.Time
}

// NewService returns the portal.
func NewService(st settings.Reader, cs Cases, now func() time.Time) *Service {
	return &Service{settings: st, cases: cs, now: now}
}

// CaseType is a case type as the portal shows it: visible ones, with the
// fields customers fill; Selectable when customers may register cases of
// it.
type CaseType struct {
	ID         string             `json:"id"`
	Name       string             `json:"name"`
	Selectable bool               `json:"selectable"`
	Fields     []intake.FormField `json:"fields"`
}

// View is a case as its customer sees it.
type View struct {
	ID          string          `json:"id"`
	Version     int64           `json:"version"`
	CreatedAt   timestamp.Time  `json:"createdAt"`
	UpdatedAt   timestamp.Time  `json:"updatedAt"`
	Number      int64           `json:"number"`
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	Type        *TypeRef        `json:"type,omitempty"`
	Status      Status          `json:"status"`
	Deadline    *timestamp.Time `json:"deadline,omitempty"`
	ResolvedAt  *timestamp.Time `json:"resolvedAt,omitempty"`
	// Fields are the values of the fields customers fill.
	Fields map[string]any `json:"fields"`
	// Contact is who to reach about the case, as the conversation
	// settings say: the agent working it or the company.
	Contact *ContactDetails `json:"contact,omitempty"`
	// Form names the case's form when the customer fills it (its
	// questions and answers: GET /v1/portal/cases/{id}/form).
	Form *FormName `json:"form,omitempty"`
}

// FormName names a case's form.
type FormName struct {
	Name string `json:"name"`
}

// CurrentVersion returns the version, for the ETag.
func (v *View) CurrentVersion() int64 { return v.Version }

// TypeRef names a case's type.
type TypeRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Status is a case's status as customers see it: its name and colour
// when the status is visible to customers, else the words of its
// category in the tenant's language.
type Status struct {
	Category string `json:"category"`
	Name     string `json:"name"`
	Color    string `json:"color,omitempty"`
}

// ContactDetails are how to reach who handles a case.
type ContactDetails struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// categoryWords are the words of each status category, by locale.
var categoryWords = map[string]map[string]string{
	"sv": {settings.CategoryNew: "Nytt", settings.CategoryOpen: "Pågående", settings.CategoryWaiting: "Väntar", settings.CategoryClosed: "Avslutat"},
	"en": {settings.CategoryNew: "New", settings.CategoryOpen: "In progress", settings.CategoryWaiting: "Waiting", settings.CategoryClosed: "Closed"},
}

// open reads the tenant's settings for a portal request: 403 while the
// portal is off.
func (s *Service) open(ctx context.Context, tenant string) (*settings.Snapshot, error) {
	return openOnly(s.settings.Snapshot(ctx, tenant))
}

// openBeside is open started beside another read: it answers a wait for
// it. A read made meanwhile is answered only once the settings say the
// portal is open, so a closed portal tells nothing of the case; a cold
// instance waits one round trip, not two.
func (s *Service) openBeside(ctx context.Context, tenant string) func() (*settings.Snapshot, error) {
	read := settings.SnapshotBeside(ctx, s.settings, tenant)
	return func() (*settings.Snapshot, error) { return openOnly(read()) }
}

// openOnly passes on the settings read while the portal is open.
func openOnly(snap *settings.Snapshot, err error) (*settings.Snapshot, error) {
	if err != nil {
		return nil, err
	}
	if err := snap.PortalOpen(); err != nil {
		return nil, err
	}
	return snap, nil
}

// view is case c as its customer sees it.
func view(snap *settings.Snapshot, c *cases.Case) *View {
	v := &View{ID: c.ID, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Number: c.Number, Title: c.Title,
		Description: c.Description, Deadline: c.Deadline, ResolvedAt: c.ResolvedAt, Fields: map[string]any{},
		Status: status(snap, c), Contact: contactDetails(snap, c)}
	if c.Form != nil && c.Form.FilledBy == settings.FilledByCustomer {
		v.Form = &FormName{Name: c.Form.Name}
	}
	if t, ok := snap.CaseTypes[c.TypeID]; ok {
		v.Type = &TypeRef{ID: t.ID, Name: t.Name}
		for _, f := range intake.CustomerFields(snap, t) {
			if value, ok := c.Fields[f.ID]; ok {
				v.Fields[f.ID] = value
			}
		}
	}
	return v
}

// status is the case's status as its customer sees it.
func status(snap *settings.Snapshot, c *cases.Case) Status {
	if st, ok := snap.Statuses[c.StatusID]; ok && st.VisibleToCustomer {
		return Status{Category: st.Category, Name: st.Name, Color: st.Color}
	}
	words, ok := categoryWords[snap.General.Locale]
	if !ok {
		words = categoryWords["sv"]
	}
	return Status{Category: c.StatusCategory, Name: words[c.StatusCategory]}
}

// contactDetails are who to reach about the case, as the conversation
// settings say: the company's contact details, or the first user working
// the case (the company's when none is assigned).
func contactDetails(snap *settings.Snapshot, c *cases.Case) *ContactDetails {
	company := snap.Conversations.CompanyContact
	if snap.Conversations.ShowContact != "company" {
		for _, id := range c.Assignees.Users {
			if u, ok := snap.Users[id]; ok {
				return &ContactDetails{Name: u.Name, Email: u.Email, Phone: u.Phone}
			}
		}
	}
	if company.Name == "" && company.Email == "" {
		return nil
	}
	return &ContactDetails{Name: company.Name, Email: company.Email, Phone: company.Phone}
}
