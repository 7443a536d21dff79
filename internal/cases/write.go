package cases

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Create registers a case: the next number of the tenant, the defaults of
// its settings, the tasks of its type's template and its first event.
//
// The number comes from an atomic counter (one UpdateItem), the case and
// all that belongs to it from one transaction after it: concurrent creates
// never wait for each other. Numbers are unique; a gap appears only after
// a write that failed: a create refused by a condition (no such customer,
// contact or order) gives its number back when no later one was taken
// meanwhile, but one that failed otherwise (the store unavailable, or
// another create took the next number) leaves its number unused.
func (s *Service) Create(ctx context.Context, p identity.Principal, in input) (*Case, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	now := s.stamp()
	c := &Case{ID: dynamo.NewID(now), Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: reporter(snap, p),
		Title: in.Title, Description: in.Description, TypeID: in.TypeID, StatusID: in.StatusID, PriorityID: in.PriorityID,
		CustomerID: in.CustomerID, ContactID: in.ContactID, Fields: in.Fields, Deadline: in.Deadline, LinkedOrderID: in.LinkedOrderID}

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
	if c.StatusID == "" {
		c.StatusID = snap.DefaultStatus().ID
	}
	if c.PriorityID == "" {
		c.PriorityID = snap.DefaultPriority().ID
	}
	if in.Assignees != nil {
		c.Assignees = *in.Assignees
	}
	if len(c.Assignees.Users)+len(c.Assignees.Groups) == 0 && caseType != nil {
		c.Assignees = caseType.Assignees
	}
	checkCase(snap, c, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	status, priority := snap.Statuses[c.StatusID], snap.Priorities[c.PriorityID]
	c.StatusCategory = status.Category
	setTargets(c, priority)
	moveStatus(c, settings.CategoryNew, status.Category, priority, now)

	tasks := templateTasks(snap, caseType, now)
	event := &Event{ID: dynamo.NewID(now), At: now, By: c.CreatedBy, Type: "created",
		Changes: []Change{{Field: "statusId", After: c.StatusID}, {Field: "priorityId", After: c.PriorityID}}}

	var texts []string
	if snap.General.SendMailOnCreate {
		texts = append(texts, "case-created")
	}
	mails, err := s.caseMail(p.Tenant, c, texts, now)
	if err != nil {
		return nil, err
	}

	if c.Number, err = s.takeNumber(ctx, p.Tenant); err != nil {
		return nil, err
	}
	writes, err := s.createWrites(p.Tenant, c, tasks, event)
	if err != nil {
		return nil, err
	}
	writes = append(writes, mails...)
	if err := s.commitRetrying(ctx, "create case", writes); err != nil {
		if refused(err, writes) {
			s.giveBackNumber(ctx, p.Tenant, c.Number)
		}
		return nil, err
	}
	c.SLA = sla(c, priority, s.now())
	return c, nil
}

// createWrites are the writes of a new case.
func (s *Service) createWrites(tenant string, c *Case, tasks []*Task, e *Event) ([]dynamo.Write, error) {
	ci, err := caseItem(tenant, c)
	if err != nil {
		return nil, err
	}
	writes := []dynamo.Write{dynamo.Put(ci, dynamo.NotExists(), errIDTaken)}
	for _, t := range tasks {
		it, err := item(dynamo.CasePK(tenant, c.ID), dynamo.TaskSK(t.ID), kindTask, "task", t.Version, t)
		if err != nil {
			return nil, err
		}
		writes = append(writes, dynamo.Put(it, dynamo.NotExists(), errIDTaken))
	}
	ev, err := eventWrite(tenant, c.ID, e)
	if err != nil {
		return nil, err
	}
	writes = append(writes, ev)
	vw, err := viewWrites(tenant, nil, c)
	if err != nil {
		return nil, err
	}
	writes = append(writes, vw...)
	return append(writes, s.referenceChecks(tenant, nil, c)...), nil
}

// referenceChecks are the checks of every customer, contact and order the
// case newly refers to; each says what its failure means.
func (s *Service) referenceChecks(tenant string, before, after *Case) []dynamo.Write {
	var out []dynamo.Write
	if after.CustomerID != "" && (before == nil || before.CustomerID != after.CustomerID || before.ContactID != after.ContactID) {
		out = append(out, s.customers.CheckContact(tenant, after.CustomerID, after.ContactID))
	}
	if after.LinkedOrderID != "" && (before == nil || before.LinkedOrderID != after.LinkedOrderID) {
		out = append(out, s.customers.CheckOrder(tenant, after.LinkedOrderID))
	}
	return out
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
func templateTasks(snap *settings.Snapshot, t *settings.CaseType, now time.Time) []*Task {
	if t == nil || t.TaskTemplateID == "" {
		return nil
	}
	tpl, ok := snap.TaskTemplates[t.TaskTemplateID]
	if !ok {
		return nil
	}
	var out []*Task
	for i, tt := range tpl.Tasks {
		task := &Task{ID: fmt.Sprintf("%s%02d", dynamo.NewID(now), i), Version: 1, CreatedAt: now, UpdatedAt: now, Title: tt.Title}
		if d, err := settings.ParseDuration(tt.DueWithin); err == nil && tt.DueWithin != "" {
			due := now.Add(d)
			task.Due = &due
		}
		out = append(out, task)
	}
	return out
}

// Get returns a case with its tasks: one Query of its partition.
func (s *Service) Get(ctx context.Context, tenant, id string) (*Detail, error) {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return nil, err
	}
	pt, err := s.readPartition(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	s.decorate(snap, pt.c)
	return &Detail{Case: pt.c, Tasks: pt.tasks}, nil
}

// partition is a case's detail items: the case, its tasks, its time reports.
type partition struct {
	c       *Case
	tasks   []*Task
	reports []*TimeReport
}

// readPartition reads a case's detail items with one Query (strongly
// consistent, so a change can be based on it).
func (s *Service) readPartition(ctx context.Context, tenant, id string) (*partition, error) {
	if !validID(id) {
		return nil, errCaseNotFound
	}
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table.Name),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :a)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S(dynamo.CasePK(tenant, id)), ":a": dynamo.S(dynamo.CaseDetailSK)},
		ConsistentRead: aws.Bool(true),
	}
	pt := &partition{tasks: []*Task{}, reports: []*TimeReport{}}
	for {
		out, err := s.table.Client.Query(ctx, in)
		if err != nil {
			return nil, dynamo.Unavailable("query case", err)
		}
		for _, it := range out.Items {
			switch dynamo.KindOf(it) {
			case kindCase:
				if pt.c, err = decodeCase(it); err != nil {
					return nil, err
				}
			case kindTask:
				var t Task
				if err := dynamo.DecodeData(it, &t); err != nil {
					return nil, problem.Wrap(problem.Internal, err, "")
				}
				pt.tasks = append(pt.tasks, &t)
			case kindTime:
				var tr TimeReport
				if err := dynamo.DecodeData(it, &tr); err != nil {
					return nil, problem.Wrap(problem.Internal, err, "")
				}
				pt.reports = append(pt.reports, &tr)
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if pt.c == nil {
		return nil, errCaseNotFound
	}
	return pt, nil
}

// decorate adds what is computed when answering: the SLA against the clock.
func (s *Service) decorate(snap *settings.Snapshot, c *Case) {
	if p, ok := snap.Priorities[c.PriorityID]; ok {
		c.SLA = sla(c, p, s.now())
	}
}

// notDeleted is the condition that the case is not marked deleted.
var notDeleted = dynamo.Cond{Expr: "attribute_not_exists(" + attrDeletedAt + ")"}

// caseLive is the condition that the case exists and is not deleted.
func caseLive() dynamo.Cond { return dynamo.Exists().And(notDeleted) }

// caseUpdate rewrites the case's data in place, conditioned on the version
// it replaces; in place, so the time total that time reports add to is
// kept. extraSet and extraValues set more attributes.
func caseUpdate(tenant string, c *Case, prevVersion int64, extraSet string, extraValues map[string]types.AttributeValue) (dynamo.Write, error) {
	it, err := caseItem(tenant, c)
	if err != nil {
		return dynamo.Write{}, err
	}
	values := map[string]types.AttributeValue{":d": it[dynamo.AttrData], ":v": dynamo.N(c.Version)}
	maps.Copy(values, extraValues)
	return dynamo.Change(dynamo.Update{
		Key:    caseKey(tenant, c.ID),
		Set:    "SET #data = :d, #ver = :v" + extraSet,
		Names:  map[string]string{"#data": dynamo.AttrData, "#ver": dynamo.AttrVer},
		Values: values,
	}, dynamo.VersionIs(prevVersion).And(notDeleted), errCaseChanged), nil
}

// Update changes a case with a merge patch, based on the version the
// client read: the case, its event, its list entries and (when it closes)
// its linked order in one transaction.
func (s *Service) Update(ctx context.Context, p identity.Principal, id string, req httpapi.ObjectRequest, version int64) (*Case, error) {
	old, err := s.getCase(ctx, p.Tenant, id)
	if err != nil {
		return nil, err
	}
	for _, f := range computedFields {
		delete(req.Echoed, f)
	}
	if err := httpapi.CheckVersion("case", old, version, req.Echoed); err != nil {
		return nil, err
	}
	var next patchable
	if err := httpapi.MergePatch(patchableOf(old), req.Body, &next); err != nil {
		return nil, err
	}
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	c := *old
	c.Title, c.Description, c.StatusID, c.PriorityID = next.Title, next.Description, next.StatusID, next.PriorityID
	c.Fields, c.Deadline, c.LinkedOrderID = next.Fields, next.Deadline, next.LinkedOrderID
	if next.Assignees != nil {
		c.Assignees = *next.Assignees
	} else {
		c.Assignees = settings.Assignees{}
	}
	var errs problem.Fields
	checkCase(snap, &c, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s.commitChange(ctx, p, snap, old, &c, "updated")
}

// SwitchCustomer moves a case to another customer (byt kund).
func (s *Service) SwitchCustomer(ctx context.Context, p identity.Principal, id, customerID, contactID string, version int64) (*Case, error) {
	var errs problem.Fields
	if customerID == "" {
		errs.Add("customerId", "is required")
	}
	checkCustomer(&errs, customerID, contactID)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	old, err := s.getCase(ctx, p.Tenant, id)
	if err != nil {
		return nil, err
	}
	if err := httpapi.CheckVersion("case", old, version, nil); err != nil {
		return nil, err
	}
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	if active, _ := standard(snap, "contact"); !active && contactID != "" {
		return nil, problem.FieldInvalid("contactId", "is not an active case field in this tenant's settings")
	}
	c := *old
	c.CustomerID, c.ContactID = customerID, contactID
	return s.commitChange(ctx, p, snap, old, &c, "customer-switched")
}

// commitChange writes a changed case: SLA bookkeeping, version, event,
// list entries, reference checks and, on close, the linked order.
func (s *Service) commitChange(ctx context.Context, p identity.Principal, snap *settings.Snapshot, old, c *Case, eventType string) (*Case, error) {
	now := s.stamp()
	status, priority := snap.Statuses[c.StatusID], snap.Priorities[c.PriorityID]
	if status == nil || priority == nil {
		// Deleted from the settings while the case was in it (a race the
		// settings' delete check cannot close): ask for a new choice.
		return nil, problem.New(problem.Conflict, "The case's status or priority no longer exists; choose another in the same change.")
	}
	c.StatusCategory = status.Category
	if c.PriorityID != old.PriorityID {
		setTargets(c, priority)
	}
	moveStatus(c, old.StatusCategory, c.StatusCategory, priority, now)
	changes := diff(old, c)
	if len(changes) == 0 {
		s.decorate(snap, old)
		return old, nil // nothing changed: no new version, no event
	}
	c.Version = old.Version + 1
	c.UpdatedAt = now

	closing := c.StatusCategory == settings.CategoryClosed && old.StatusCategory != settings.CategoryClosed
	completeOrder := closing && snap.General.AutoCompleteLinkedOrder && c.LinkedOrderID != ""
	var texts []string
	if closing {
		texts = append(texts, "case-closed")
		if snap.General.SendReviewMailOnClose {
			texts = append(texts, "review-request")
		}
	}
	mails, err := s.caseMail(p.Tenant, c, texts, now)
	if err != nil {
		return nil, err
	}
	for range 2 {
		writes, err := s.changeWrites(p, reporter(snap, p), c, old, changes, eventType, completeOrder, now)
		if err != nil {
			return nil, err
		}
		err = s.table.Commit(ctx, "update case", append(writes, mails...)...)
		switch {
		case errors.Is(err, errOrderNotOpen):
			completeOrder = false // the order is not open: close the case, leave the order
			continue
		case errors.Is(err, errCaseChanged):
			return nil, s.changedOrGone(ctx, p.Tenant, old)
		case err != nil:
			return nil, err
		}
		s.decorate(snap, c)
		return c, nil
	}
	return nil, problem.New(problem.Unavailable, "The case could not be saved; try again.")
}

// changeWrites are the writes of a change.
func (s *Service) changeWrites(p identity.Principal, by string, c, old *Case, changes []Change, eventType string, completeOrder bool, now time.Time) ([]dynamo.Write, error) {
	up, err := caseUpdate(p.Tenant, c, old.Version, "", nil)
	if err != nil {
		return nil, err
	}
	ev, err := eventWrite(p.Tenant, c.ID, &Event{ID: dynamo.NewID(now), At: now, By: by, Type: eventType, Changes: changes})
	if err != nil {
		return nil, err
	}
	vw, err := viewWrites(p.Tenant, old, c)
	if err != nil {
		return nil, err
	}
	writes := append([]dynamo.Write{up, ev}, vw...)
	refs := c
	if completeOrder {
		// The completion below proves that the order exists (its condition
		// is that it exists and is open), and a transaction may not hold
		// two operations on one item: an order linked by this very change
		// gets no check of its own. (If the completion fails, the retry
		// without it checks the order.)
		r := *c
		r.LinkedOrderID = old.LinkedOrderID
		refs = &r
	}
	writes = append(writes, s.referenceChecks(p.Tenant, old, refs)...)
	if completeOrder {
		oe, err := eventWrite(p.Tenant, c.ID, &Event{ID: dynamo.NewID(now) + "o", At: now, By: by, Type: "order-completed", Subject: c.LinkedOrderID})
		if err != nil {
			return nil, err
		}
		writes = append(writes, s.customers.CompleteOrder(p.Tenant, c.LinkedOrderID, now).Meaning(errOrderNotOpen), oe)
	}
	return writes, nil
}

// Delete removes a case from every list and read. The case item stays,
// marked deleted, with its event log: what the audit needs.
func (s *Service) Delete(ctx context.Context, p identity.Principal, id string, version int64) error {
	old, err := s.getCase(ctx, p.Tenant, id)
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion("case", old, version, nil); err != nil {
		return err
	}
	now := s.stamp()
	c := *old
	c.Version++
	c.UpdatedAt = now
	up, err := caseUpdate(p.Tenant, &c, old.Version, ", "+attrDeletedAt+" = :at",
		map[string]types.AttributeValue{":at": dynamo.S(dynamo.KeyTime(now))})
	if err != nil {
		return err
	}
	ev, err := eventWrite(p.Tenant, c.ID, &Event{ID: dynamo.NewID(now), At: now, By: s.who(ctx, p), Type: "deleted"})
	if err != nil {
		return err
	}
	vw, err := viewWrites(p.Tenant, old, nil)
	if err != nil {
		return err
	}
	err = s.table.Commit(ctx, "delete case", append([]dynamo.Write{up, ev}, vw...)...)
	if errors.Is(err, errCaseChanged) {
		return s.changedOrGone(ctx, p.Tenant, old)
	}
	return err
}

// maxEventText bounds a text value in an event: the log says what changed,
// not the whole of a long description twice.
const maxEventText = 500

func shorten(v any) any {
	if s, ok := v.(string); ok && len([]rune(s)) > maxEventText {
		return string([]rune(s)[:maxEventText]) + "…"
	}
	return v
}

// diff lists the client-visible fields that differ between two versions.
func diff(a, b *Case) []Change {
	var out []Change
	add := func(field string, before, after any) {
		if !reflect.DeepEqual(before, after) {
			out = append(out, Change{Field: field, Before: shorten(before), After: shorten(after)})
		}
	}
	add("title", a.Title, b.Title)
	add("description", a.Description, b.Description)
	add("statusId", a.StatusID, b.StatusID)
	add("priorityId", a.PriorityID, b.PriorityID)
	add("customerId", a.CustomerID, b.CustomerID)
	add("contactId", a.ContactID, b.ContactID)
	add("assignees", a.Assignees, b.Assignees)
	add("fields", a.Fields, b.Fields)
	add("deadline", a.Deadline, b.Deadline)
	add("linkedOrderId", a.LinkedOrderID, b.LinkedOrderID)
	return out
}

// caseMail is the outbox items that mail the case's contact the texts: they
// commit with the change or not at all. A case without a contact mails
// nobody.
func (s *Service) caseMail(tenant string, c *Case, texts []string, now time.Time) ([]dynamo.Write, error) {
	if c.ContactID == "" {
		return nil, nil
	}
	var out []dynamo.Write
	for _, text := range texts {
		w, err := mail.Write(mail.Mail{ID: dynamo.NewID(now), Tenant: tenant, CreatedAt: now, Text: text, CaseID: c.ID,
			To: mail.Recipient{CustomerID: c.CustomerID, ContactID: c.ContactID}})
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// who is the directory user a principal acts as, for "by" and "createdBy":
// the user linked to its login, else the login's own ID.
func (s *Service) who(ctx context.Context, p identity.Principal) string {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return p.User
	}
	return reporter(snap, p)
}

// changedOrGone answers a change whose case moved on between its read and
// its commit: 404 if the case was deleted meanwhile, else 412.
func (s *Service) changedOrGone(ctx context.Context, tenant string, old *Case) error {
	now, err := s.getCase(ctx, tenant, old.ID)
	if err != nil {
		return err
	}
	return httpapi.Stale("case", now.Version, old.Version)
}
