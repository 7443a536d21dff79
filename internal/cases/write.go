package cases

import (
	"context"
	"fmt"
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
// its settings, the tasks of its type's template and its first event, all
// in one transaction with the number. Numbers have no gaps: the counter
// moves only when the case is written.
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

	const attempts = 6
	for attempt := range attempts {
		counter, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table.Name),
			Key: key(dynamo.CaseCounterPK(p.Tenant), dynamo.CaseCounterSK), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return nil, dynamo.Unavailable("read case counter", err)
		}
		last := dynamo.Int(counter.Item, attrCounter)
		c.Number = last + 1

		items, checks, err := s.createItems(p.Tenant, c, tasks, event, last)
		if err != nil {
			return nil, err
		}
		items = append(items, mails...)
		raced := false
		err = s.transact(ctx, "create case", items, func(i int) error {
			if i == 0 {
				raced = true // another case took the number: take the next
				return nil
			}
			return checks[i]
		})
		if err == nil {
			c.SLA = sla(c, priority, s.now())
			return c, nil
		}
		if !raced && !dynamo.Conflict(err) {
			return nil, err
		}
		if err := dynamo.Pause(ctx, attempt); err != nil {
			return nil, dynamo.Unavailable("create case", err)
		}
	}
	return nil, problem.New(problem.Unavailable, "Many cases are being registered at once; try again.")
}

// createItems are the writes of a new case; checks maps the positions of
// the customer and order checks to the error their failure means.
func (s *Service) createItems(tenant string, c *Case, tasks []*Task, e *Event, lastNumber int64) ([]types.TransactWriteItem, map[int]error, error) {
	table := aws.String(s.table.Name)
	counter := types.TransactWriteItem{Put: &types.Put{TableName: table,
		Item: map[string]types.AttributeValue{
			dynamo.AttrPK: dynamo.S(dynamo.CaseCounterPK(tenant)), dynamo.AttrSK: dynamo.S(dynamo.CaseCounterSK),
			dynamo.AttrKind: dynamo.S("COUNTER"), attrCounter: dynamo.N(c.Number),
		},
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR #n = :last"),
		ExpressionAttributeNames:  map[string]string{"#n": attrCounter},
		ExpressionAttributeValues: map[string]types.AttributeValue{":last": dynamo.N(lastNumber)},
	}}
	ci, err := caseItem(tenant, c)
	if err != nil {
		return nil, nil, err
	}
	items := []types.TransactWriteItem{counter, {Put: &types.Put{TableName: table, Item: ci,
		ConditionExpression: aws.String("attribute_not_exists(PK)")}}}
	for _, t := range tasks {
		it, err := item(dynamo.CasePK(tenant, c.ID), dynamo.TaskSK(t.ID), kindTask, t.Version, t)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: table, Item: it}})
	}
	ev, err := eventWrite(s.table.Name, tenant, c.ID, e)
	if err != nil {
		return nil, nil, err
	}
	items = append(items, ev)
	vw, err := viewWrites(s.table.Name, tenant, nil, c)
	if err != nil {
		return nil, nil, err
	}
	items = append(items, vw...)
	checks := map[int]error{}
	items, checks = s.appendReferenceChecks(tenant, items, checks, nil, c)
	return items, checks, nil
}

// appendReferenceChecks adds a check of every customer, contact and order
// the case newly refers to, and what its failure means.
func (s *Service) appendReferenceChecks(tenant string, items []types.TransactWriteItem, checks map[int]error, before, after *Case) ([]types.TransactWriteItem, map[int]error) {
	if after.CustomerID != "" && (before == nil || before.CustomerID != after.CustomerID || before.ContactID != after.ContactID) {
		checks[len(items)] = problem.FieldInvalid(contactField(after), "no such contact of customer %q (or no such customer)", after.CustomerID)
		items = append(items, s.directory.CheckContact(tenant, after.CustomerID, after.ContactID))
	}
	if after.LinkedOrderID != "" && (before == nil || before.LinkedOrderID != after.LinkedOrderID) {
		checks[len(items)] = problem.FieldInvalid("linkedOrderId", "no order has the ID %q", after.LinkedOrderID)
		items = append(items, s.directory.CheckOrder(tenant, after.LinkedOrderID))
	}
	return items, checks
}

func contactField(c *Case) string {
	if c.ContactID != "" {
		return "contactId"
	}
	return "customerId"
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
			switch kindOf(it) {
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

func kindOf(it map[string]types.AttributeValue) string {
	if k, ok := it[dynamo.AttrKind].(*types.AttributeValueMemberS); ok {
		return k.Value
	}
	return ""
}

// decorate adds what is computed when answering: the SLA against the clock.
func (s *Service) decorate(snap *settings.Snapshot, c *Case) {
	if p, ok := snap.Priorities[c.PriorityID]; ok {
		c.SLA = sla(c, p, s.now())
	}
}

// caseUpdate rewrites the case's data in place, conditioned on the version
// it replaces; in place, so the time total that time reports add to is kept.
func caseUpdate(table, tenant string, c *Case, prevVersion int64, extraSet string, extraValues map[string]types.AttributeValue) (types.TransactWriteItem, error) {
	stored := *c
	stored.SLA, stored.TimeTotalMinutes = nil, 0
	data, err := dynamo.Data(&stored)
	if err != nil {
		return types.TransactWriteItem{}, problem.Wrap(problem.Internal, err, "")
	}
	if n := len(data.(*types.AttributeValueMemberS).Value); n > maxObjectBytes {
		return types.TransactWriteItem{}, problem.New(problem.TooLarge, "The case would take %d bytes; at most %d are allowed.", n, maxObjectBytes)
	}
	values := map[string]types.AttributeValue{":d": data, ":v": dynamo.N(c.Version), ":prev": dynamo.N(prevVersion)}
	for k, v := range extraValues {
		values[k] = v
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName:                 aws.String(table),
		Key:                       key(dynamo.CasePK(tenant, c.ID), dynamo.CaseSK),
		UpdateExpression:          aws.String("SET #data = :d, #ver = :v" + extraSet),
		ConditionExpression:       aws.String("#ver = :prev AND attribute_not_exists(" + attrDeletedAt + ")"),
		ExpressionAttributeNames:  map[string]string{"#data": dynamo.AttrData, "#ver": dynamo.AttrVer},
		ExpressionAttributeValues: values,
	}}, nil
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
		items, checks, orderAt, err := s.changeItems(p, reporter(snap, p), c, old, changes, eventType, completeOrder, now)
		if err != nil {
			return nil, err
		}
		items = append(items, mails...)
		orderNotOpen := false
		err = s.transact(ctx, "update case", items, func(i int) error {
			switch {
			case i == 0:
				return s.changedOrGone(ctx, p.Tenant, old) // changed since it was read
			case i == orderAt:
				orderNotOpen = true
				return nil
			}
			return checks[i]
		})
		if orderNotOpen {
			completeOrder = false // the order is not open: close the case, leave the order
			continue
		}
		if err != nil {
			return nil, err
		}
		s.decorate(snap, c)
		return c, nil
	}
	return nil, problem.New(problem.Unavailable, "The case could not be saved; try again.")
}

// changeItems are the writes of a change; orderAt is the position of the
// order completion (-1 if none).
func (s *Service) changeItems(p identity.Principal, by string, c, old *Case, changes []Change, eventType string, completeOrder bool, now time.Time) ([]types.TransactWriteItem, map[int]error, int, error) {
	up, err := caseUpdate(s.table.Name, p.Tenant, c, old.Version, "", nil)
	if err != nil {
		return nil, nil, -1, err
	}
	items := []types.TransactWriteItem{up}
	ev, err := eventWrite(s.table.Name, p.Tenant, c.ID, &Event{ID: dynamo.NewID(now), At: now, By: by, Type: eventType, Changes: changes})
	if err != nil {
		return nil, nil, -1, err
	}
	items = append(items, ev)
	vw, err := viewWrites(s.table.Name, p.Tenant, old, c)
	if err != nil {
		return nil, nil, -1, err
	}
	items = append(items, vw...)
	checks := map[int]error{}
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
	items, checks = s.appendReferenceChecks(p.Tenant, items, checks, old, refs)
	orderAt := -1
	if completeOrder {
		orderAt = len(items)
		items = append(items, s.directory.CompleteOrder(p.Tenant, c.LinkedOrderID, now))
		if oe, err := eventWrite(s.table.Name, p.Tenant, c.ID, &Event{ID: dynamo.NewID(now) + "o", At: now, By: by,
			Type: "order-completed", Subject: c.LinkedOrderID}); err == nil {
			items = append(items, oe)
		}
	}
	return items, checks, orderAt, nil
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
	up, err := caseUpdate(s.table.Name, p.Tenant, &c, old.Version, ", "+attrDeletedAt+" = :at",
		map[string]types.AttributeValue{":at": dynamo.S(dynamo.KeyTime(now))})
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{up}
	ev, err := eventWrite(s.table.Name, p.Tenant, c.ID, &Event{ID: dynamo.NewID(now), At: now, By: s.who(ctx, p), Type: "deleted"})
	if err != nil {
		return err
	}
	items = append(items, ev)
	vw, err := viewWrites(s.table.Name, p.Tenant, old, nil)
	if err != nil {
		return err
	}
	items = append(items, vw...)
	return s.transact(ctx, "delete case", items, func(i int) error {
		if i == 0 {
			return s.changedOrGone(ctx, p.Tenant, old)
		}
		return nil
	})
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
func (s *Service) caseMail(tenant string, c *Case, texts []string, now time.Time) ([]types.TransactWriteItem, error) {
	if c.ContactID == "" {
		return nil, nil
	}
	var out []types.TransactWriteItem
	for _, text := range texts {
		w, err := mail.Write(s.table.Name, mail.Mail{ID: dynamo.NewID(now), Tenant: tenant, CreatedAt: now, Text: text, CaseID: c.ID,
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
