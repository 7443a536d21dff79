package settings

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/recurrence"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Recurring cases (Återkommande ärenden) are settings: a definition is one
// item of the tenant's settings partition, so that it is read with the
// rest in one Query, and so that the rules "a type, priority, user,
// group or field an active definition uses cannot be deleted" are checked
// in the same revision-guarded transaction as every other reference of
// the settings. What happens to their occurrences (runs, schedules) is
// package recurring's, in partitions of its own.

// kindRecurring is the kind (and sort-key prefix) of a definition.
const kindRecurring = "RECURRING"

// maxDescription bounds a recurring case's description, as a case's.
const maxCaseDescription = 20000

// RecurringCase is a definition of a case that comes back: when (an RFC
// 5545 rule from a start in local wall time of a zone, until or count),
// and the data each new case gets.
type RecurringCase struct {
	Meta
	Name     string `json:"name"`
	Active   bool   `json:"active"`
	Rule     string `json:"rule"`
	Start    string `json:"start"`
	TimeZone string `json:"timeZone"`
	Until    string `json:"until,omitempty"`
	Count    int    `json:"count,omitempty"`
	// Case is the data of each new case.
	Case RecurringCaseData `json:"case"`
	// ActiveSince is when the definition was last made active (created
	// active, or resumed): no occurrence before it makes a case, so a
	// resume continues from then without a burst of missed cases.
	ActiveSince *timestamp.Time `json:"activeSince,omitempty"`
	// Next is the next occurrence from now, computed when answering (none
	// while paused or when the rule has ended); never stored.
	Next *recurrence.Occurrence `json:"next,omitempty"`
}

// RecurringCaseData is what each case of a definition is created with,
// checked by the rules of a case registered by staff. The title may use
// {{occurrence.date}}, {{occurrence.week}} and {{occurrence.month}}.
type RecurringCaseData struct {
	Title         string         `json:"title"`
	Description   string         `json:"description,omitempty"`
	TypeID        string         `json:"typeId,omitempty"`
	PriorityID    string         `json:"priorityId,omitempty"`
	CustomerID    string         `json:"customerId,omitempty"`
	ContactID     string         `json:"contactId,omitempty"`
	Assignees     *Assignees     `json:"assignees,omitempty"`
	Fields        map[string]any `json:"fields,omitempty"`
	LinkedOrderID string         `json:"linkedOrderId,omitempty"`
}

// Schedule is the definition's timing, checked when it was stored.
func (d *RecurringCase) Schedule() (*recurrence.Schedule, error) {
	return recurrence.Parse(d.spec())
}

func (d *RecurringCase) spec() recurrence.Spec {
	return recurrence.Spec{Rule: d.Rule, Start: d.Start, TimeZone: d.TimeZone, Until: d.Until, Count: d.Count}
}

// NextAfter is the definition's next occurrence after t, counting from
// when it became active: none while paused or once its rule has ended.
func (d *RecurringCase) NextAfter(t time.Time) (time.Time, *recurrence.Schedule, bool) {
	if !d.Active {
		return time.Time{}, nil, false
	}
	sc, err := d.Schedule()
	if err != nil {
		return time.Time{}, nil, false
	}
	if d.ActiveSince != nil && d.ActiveSince.After(t) {
		t = d.ActiveSince.Add(-time.Millisecond)
	}
	next, ok := sc.Next(t)
	return next, sc, ok
}

// CaseRules check the case data of a definition by the rules of a case
// (the cases area's), on the settings the definition is stored with, and
// hand over the checks of the customer, contact and order it names for
// the definition's transaction. Field errors name the fields of the case
// data (title, customerId ...).
type CaseRules func(snap *Snapshot, c *RecurringCaseData) ([]dynamo.Write, error)

// CheckRecurringWith gives the service the rules of a case that
// definitions are checked by. Without them, only what the settings know
// is checked (types, priorities, users, groups and fields exist).
func (svc *Service) CheckRecurringWith(r CaseRules) { svc.caseRules = r }

func recurringCases() *collection[RecurringCase, *RecurringCase] {
	return &collection[RecurringCase, *RecurringCase]{
		noun: "recurring case", kind: kindRecurring, path: "/v1/settings/recurring-cases",
		items: func(s *Snapshot) map[string]*RecurringCase { return s.RecurringCases },
		name:  func(d *RecurringCase) string { return d.Name },
		check: checkRecurring,
		onCreate: func(v *RecurringCase) {
			if v.Active {
				v.ActiveSince = &v.CreatedAt
			}
		},
		verify: verifyRecurring,
		show:   showRecurring,
	}
}

func checkRecurring(s *Snapshot, id string, v *RecurringCase, errs *problem.Fields) {
	errs.Text("name", v.Name, 1, maxName)
	checkUniqueName(errs, s.RecurringCases, id, v.Name, func(o *RecurringCase) string { return o.Name })
	if v.TimeZone == "" {
		v.TimeZone = s.General.TimeZone
	}
	v.Next = nil
	if sc := recurrence.Check(v.spec(), errs); sc != nil {
		v.Start = sc.Start
	}
	c := &v.Case
	errs.Text("case.title", c.Title, 1, maxTitle)
	errs.Line("case.title", c.Title)
	recurrence.CheckTitle(errs, "case.title", c.Title)
	errs.Text("case.description", c.Description, 0, maxCaseDescription)
	checkRef(errs, "case.typeId", c.TypeID, "case type", func(id string) bool { _, ok := s.CaseTypes[id]; return ok })
	checkRef(errs, "case.priorityId", c.PriorityID, "priority", func(id string) bool { _, ok := s.Priorities[id]; return ok })
	if c.Assignees != nil {
		s.CheckAssignees(errs, "case.assignees", c.Assignees)
	}
	if len(c.Fields) > maxRefs {
		errs.Add("case.fields", "may hold at most %d fields", maxRefs)
	}
}

// maxTitle bounds a case's title (the cases area's bound).
const maxTitle = 200

// verifyRecurring checks the case data by the rules of a case, adds the
// checks of its customer, contact and order, and keeps ActiveSince: set
// when a definition is made active again.
func verifyRecurring(svc *Service, snap *Snapshot, old, v *RecurringCase) ([]dynamo.Write, error) {
	if old != nil {
		v.ActiveSince = old.ActiveSince
		if v.Active && !old.Active {
			v.ActiveSince = timestamp.Ptr(svc.now())
		}
	}
	if svc.caseRules == nil {
		return nil, nil
	}
	writes, err := svc.caseRules(snap, &v.Case)
	if err != nil {
		return nil, prefixFields(err, "case.")
	}
	for i, w := range writes {
		writes[i] = w.Meaning(prefixFields(w.Fails(), "case."))
	}
	return writes, nil
}

// prefixFields is err with every field it names prefixed.
func prefixFields(err error, prefix string) error {
	pe, ok := errors.AsType[*problem.Error](err)
	if !ok || len(pe.Fields) == 0 {
		return err
	}
	out := *pe
	out.Fields = slices.Clone(pe.Fields)
	for i := range out.Fields {
		out.Fields[i].Field = prefix + out.Fields[i].Field
	}
	return &out
}

// showRecurring is v as answered: with its next occurrence from now.
func showRecurring(now time.Time, v *RecurringCase) *RecurringCase {
	out := *v
	if next, sc, ok := v.NextAfter(now); ok {
		o := sc.Show(next)
		out.Next = &o
	}
	return &out
}

// definitionsUsing names the active definitions whose case data uses
// something (uses answers): what keeps it from being deleted.
func definitionsUsing(s *Snapshot, uses func(c *RecurringCaseData) bool) []string {
	var out []string
	for _, d := range sortedValues(s.RecurringCases, recurringCases().compare()) {
		if d.Active && uses(&d.Case) {
			out = append(out, fmt.Sprintf("recurring case %q (%s)", d.Name, d.ID))
		}
	}
	return out
}

// assigned reports whether the case data assigns the user or group id.
func assigned(c *RecurringCaseData, users bool, id string) bool {
	if c.Assignees == nil {
		return false
	}
	if users {
		return slices.Contains(c.Assignees.Users, id)
	}
	return slices.Contains(c.Assignees.Groups, id)
}

// RecurringUse answers, for an area about to delete a customer, a contact
// or an order, whether an active recurring-case definition still uses it
// (uses answers, given a definition's customer, contact and order): the
// definition's name, read from fresh settings (one Query). When none
// does, it answers a check for the delete's own transaction that holds
// only while the settings are still as read, so that a definition saved
// meanwhile makes the delete read again (the check fails with errStale;
// the caller gives it its own meaning with Write.Meaning).
func (svc *Service) RecurringUse(ctx context.Context, tenant string, uses func(customerID, contactID, orderID string) bool) (string, dynamo.Write, error) {
	snap, _, err := svc.snapshot(ctx, tenant, true)
	if err != nil {
		return "", dynamo.Write{}, err
	}
	names := definitionsUsing(snap, func(c *RecurringCaseData) bool { return uses(c.CustomerID, c.ContactID, c.LinkedOrderID) })
	if len(names) > 0 {
		return strings.Join(names, ", "), dynamo.Write{}, nil
	}
	names2 := map[string]string{"#rev": attrRev}
	return "", dynamo.Check(settingsKey(tenant, kindRevision, ""), dynamo.Cond{Expr: "#rev = :rev", Names: names2,
		Values: map[string]types.AttributeValue{":rev": dynamo.N(snap.Revision)}}, errStale), nil
}

// RecurringCase is the tenant's definition with the ID from the settings
// as read now (fresh: the trigger of an occurrence decides on them), or
// NotFound.
func (svc *Service) RecurringCase(ctx context.Context, tenant, id string, fresh bool) (*RecurringCase, *Snapshot, error) {
	snap, _, err := svc.snapshot(ctx, tenant, fresh)
	if err != nil {
		return nil, nil, err
	}
	d, err := recurringCases().find(snap, id)
	return d, snap, err
}

// RecurringCheck is a check, for the transaction of an occurrence's case,
// that the definition is still at the version the occurrence was decided
// on (ErrRecurringChanged otherwise: decide again).
func RecurringCheck(tenant string, d *RecurringCase) dynamo.Write {
	return dynamo.Check(settingsKey(tenant, kindRecurring, d.ID), dynamo.VersionIs(d.Version), ErrRecurringChanged)
}

// ErrRecurringChanged is what a failed RecurringCheck means.
var ErrRecurringChanged = errors.New("the recurring case definition changed")

// RecurringItem reads a definition from its stored item (a stream
// record's new image, an index entry), and the tenant it is of; ok is
// false for any other item.
func RecurringItem(item dynamo.Item) (tenant string, d *RecurringCase, ok bool) {
	if dynamo.KindOf(item) != kindRecurring {
		return "", nil, false
	}
	pk, _ := item[dynamo.AttrPK].(*types.AttributeValueMemberS)
	if pk == nil {
		return "", nil, false
	}
	tenant, found := strings.CutSuffix(strings.TrimPrefix(pk.Value, "T#"), "#SETTINGS")
	if !found || !strings.HasPrefix(pk.Value, "T#") {
		return "", nil, false
	}
	d = &RecurringCase{}
	if err := dynamo.DecodeData(item, d); err != nil {
		return "", nil, false
	}
	return tenant, d, true
}

// RecurringKey reads the tenant and ID of a definition from the key of
// its item (a stream record of its removal has nothing else); ok is false
// for any other key.
func RecurringKey(key dynamo.Item) (tenant, id string, ok bool) {
	pk, _ := key[dynamo.AttrPK].(*types.AttributeValueMemberS)
	sk, _ := key[dynamo.AttrSK].(*types.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return "", "", false
	}
	id, isDef := strings.CutPrefix(sk.Value, kindRecurring+"#")
	tenant, isSettings := strings.CutSuffix(strings.TrimPrefix(pk.Value, "T#"), "#SETTINGS")
	if !isDef || !isSettings || !validID(id) || !validID(tenant) {
		return "", "", false
	}
	return tenant, id, true
}

// indexRecurring lists a definition's item in GSI3 across tenants: the
// daily reconciliation reads them there.
func indexRecurring(tenant, id string, item dynamo.Item) {
	item[dynamo.AttrGSI3PK] = dynamo.S(dynamo.RecurringIndexPK)
	item[dynamo.AttrGSI3SK] = dynamo.S(dynamo.RecurringIndexSK(tenant, id))
}
