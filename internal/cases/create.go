package cases

import (
	"context"
	"fmt"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// input is what a client may set on a case: on create, and (except type
// and customer, which have their own ways) on update.
type input struct {
	Title         string              `json:"title"`
	Description   string              `json:"description,omitempty"`
	TypeID        string              `json:"typeId,omitempty"`
	StatusID      string              `json:"statusId,omitempty"`
	PriorityID    string              `json:"priorityId,omitempty"`
	CustomerID    string              `json:"customerId,omitempty"`
	ContactID     string              `json:"contactId,omitempty"`
	Assignees     *settings.Assignees `json:"assignees,omitempty"`
	Fields        map[string]any      `json:"fields,omitempty"`
	Deadline      *timestamp.Time     `json:"deadline,omitempty"`
	LinkedOrderID string              `json:"linkedOrderId,omitempty"`
	// answers are the form's answers a case from outside comes with
	// (website intake); never a field of the staff's body.
	answers *formAnswers
}

// decodeInput reads the body of a create: refusing, with the way to
// change them, what a case has that other routes change (see elsewhere),
// then strictly.
func decodeInput(body []byte) (input, error) {
	var in input
	if err := refuseElsewhere("", body); err != nil {
		return in, err
	}
	return in, httpapi.Unmarshal(body, &in)
}

// newCase is a planned create: the case, and what is written with it.
type newCase struct {
	c        *Case
	priority *settings.Priority
	tasks    []*Task
	// form is the case's form, when its type has one.
	form *CaseForm
	// extra makes other areas' writes that commit with the case, first in
	// its transaction (see From.Extra).
	extra func(c *Case) ([]dynamo.Write, error)
	effects
}

// Create registers a case: the next number of the tenant, the defaults of
// its settings, the tasks of its type's template and its first event (see
// storeCreate for the numbers).
func (s *Service) Create(ctx context.Context, p identity.Principal, in input) (*Case, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	n, err := planCreate(snap, p, in, s.stamp())
	if err != nil {
		return nil, err
	}
	if err := s.storeCreate(ctx, p.Tenant, n); err != nil {
		return nil, err
	}
	n.c.SLA = sla(n.c, n.priority, s.stamp())
	return n.c, nil
}

// planCreate is the case in a create, checked against the settings and
// completed with their defaults, and what is written with it.
func planCreate(snap *settings.Snapshot, p identity.Principal, in input, now timestamp.Time) (*newCase, error) {
	c := &Case{ID: dynamo.NewID(now.Time), Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: reporter(snap, p), Source: SourceStaff,
		Title: in.Title, Description: in.Description, TypeID: in.TypeID, StatusID: in.StatusID, PriorityID: in.PriorityID,
		CustomerID: in.CustomerID, ContactID: in.ContactID, Fields: in.Fields, Deadline: in.Deadline, LinkedOrderID: in.LinkedOrderID}
	caseType, err := checkNew(snap, c, in.Assignees)
	if err != nil {
		return nil, err
	}
	status, priority := snap.Statuses[c.StatusID], snap.Priorities[c.PriorityID]
	c.StatusCategory = status.Category
	setTargets(c, priority)
	moveStatus(c, settings.CategoryNew, status.Category, priority, now)
	c.ActivityAt = &now
	n := &newCase{c: c, priority: priority, tasks: templateTasks(snap, caseType, now),
		effects: effects{event: &Event{ID: dynamo.NewID(now.Time), At: now, By: c.CreatedBy, Type: "created",
			Changes: []Change{{Field: "statusId", After: c.StatusID}, {Field: "priorityId", After: c.PriorityID}}}}}
	if err := n.giveForm(snap, caseType, in.answers, now); err != nil {
		return nil, err
	}
	if snap.General.SendMailOnCreate {
		n.texts = append(n.texts, "case-created")
	}
	// Created closed, it completes its linked order as a close does.
	n.completeOrder = status.Category == settings.CategoryClosed && snap.General.AutoCompleteLinkedOrder && c.LinkedOrderID != ""
	return n, nil
}

// checkNew checks a new case against the settings, after completing it
// with their defaults, and returns its type (nil for none).
func checkNew(snap *settings.Snapshot, c *Case, assignees *settings.Assignees) (*settings.CaseType, error) {
	var errs problem.Fields
	checkStandard(snap, &errs, "type", "typeId", c.TypeID != "")
	checkStandard(snap, &errs, "customer", "customerId", c.CustomerID != "")
	checkStandard(snap, &errs, "contact", "contactId", c.ContactID != "")
	checkStandard(snap, &errs, "priority", "priorityId", c.PriorityID != "")
	var caseType *settings.CaseType
	if c.TypeID != "" {
		if caseType = snap.CaseTypes[c.TypeID]; caseType == nil {
			errs.Add("typeId", "no case type has the ID %q", c.TypeID)
		}
	}
	checkCustomer(&errs, c.CustomerID, c.ContactID)
	setDefaults(snap, c, caseType, assignees)
	checkCase(snap, c, &errs)
	return caseType, errs.Err()
}

// setDefaults gives a new case the default status and priority, and the
// assignees of its type when it names none.
func setDefaults(snap *settings.Snapshot, c *Case, caseType *settings.CaseType, assignees *settings.Assignees) {
	if c.StatusID == "" {
		c.StatusID = snap.DefaultStatus().ID
	}
	if c.PriorityID == "" {
		c.PriorityID = snap.DefaultPriority().ID
	}
	if assignees != nil {
		c.Assignees = *assignees
	}
	if len(c.Assignees.Users)+len(c.Assignees.Groups) == 0 && caseType != nil {
		c.Assignees = caseType.Assignees
	}
}

// checkCustomer checks the shape of customer and contact references; that
// they exist (and belong together) is checked in the write's transaction.
func checkCustomer(errs *problem.Fields, customerID, contactID string) {
	if customerID != "" && !validID(customerID) {
		errs.Add("customerId", "is not a valid ID")
	}
	if contactID != "" && !validID(contactID) {
		errs.Add("contactId", "is not a valid ID")
	}
	if contactID != "" && customerID == "" {
		errs.Add("contactId", "a contact needs its customer (customerId)")
	}
}

// templateTasks are the tasks the case type's task template gives a new case.
func templateTasks(snap *settings.Snapshot, t *settings.CaseType, now timestamp.Time) []*Task {
	if t == nil || t.TaskTemplateID == "" {
		return nil
	}
	tpl, ok := snap.TaskTemplates[t.TaskTemplateID]
	if !ok {
		return nil
	}
	var out []*Task
	for i, tt := range tpl.Tasks {
		task := &Task{ID: fmt.Sprintf("%s%02d", dynamo.NewID(now.Time), i), Version: 1, CreatedAt: now, UpdatedAt: now, Title: tt.Title}
		if d, err := settings.ParseDuration(tt.DueWithin); err == nil && tt.DueWithin != "" {
			task.Due = timestamp.Ptr(now.Add(d))
		}
		out = append(out, task)
	}
	return out
}
