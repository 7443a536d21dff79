package cases

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// serverFields are the case's server-owned fields: refused on create,
// accepted unchanged on update (what a client read, sent back).
var serverFields = []string{"id", "createdAt", "updatedAt", "createdBy", "number", "startBy", "resolveBy",
	"startedAt", "resolvedAt", "waitingSince", "waitingSeconds", "statusCategory", "sla", "timeTotalMinutes", "activityAt", "linkEpoch", "source", "requester", "form"}

// computedFields are server-owned views computed when answering: the SLA
// against the clock, the time total from the time reports, the last
// activity. What a client read of them may be stale by the time it sends
// the case back (the clock moved; a time report or a comment changed them
// without a new case version), so on update they are ignored rather than
// compared with the stored case.
var computedFields = []string{"sla", "timeTotalMinutes", "activityAt"}

// computed reports whether field is one of computedFields.
func computed(field string) bool { return slices.Contains(computedFields, field) }

// fixedFields are set on create and not by PATCH: the type never changes,
// the customer changes through POST /v1/cases/{id}/customer. Sent back
// unchanged they are accepted; changed, they are refused (see moved).
var fixedFields = append([]string{"typeId", "customerId", "contactId"}, serverFields...)

// elsewhere are what a case has that neither its create nor its PATCH
// changes, with the route that does: refused wherever they are sent, so
// that no change is silently dropped. "{id}" stands for the case's ID.
var elsewhere = map[string]string{
	"tasks":       "is not changed here: a case's tasks are added, changed and removed at /v1/cases/{id}/tasks",
	"timeReports": "is not changed here: a case's time reports are added, changed and removed at /v1/cases/{id}/time-reports",
	"comments":    "is not changed here: comments are added with POST /v1/cases/{id}/comments",
	"events":      "is not changed here: the event log is written by the changes themselves (read it at GET /v1/cases/{id}/events)",
}

// moved are the fields of a case that PATCH does not change, with the
// route that does: sent back unchanged they are accepted, changed they
// are refused with the way to change them.
var moved = map[string]string{
	"customerId": "is not changed here: the customer and contact change with POST /v1/cases/{id}/customer",
	"contactId":  "is not changed here: the customer and contact change with POST /v1/cases/{id}/customer",
	"typeId":     "is not changed here: a case keeps the type it was created with",
	"linkEpoch":  "is not changed here: DELETE /v1/cases/{id}/links revokes the case's links, and a switch of customer or contact does too",
	"form":       "is not changed here: a case keeps the form it was created with; its answers are saved with PUT /v1/cases/{id}/form",
}

// refuseElsewhere refuses the fields of a request body (a JSON object)
// that another route changes (see elsewhere), with the way to change them;
// caseID fills in the routes ("" on create: the case has none yet).
func refuseElsewhere(caseID string, bodies ...[]byte) error {
	var errs problem.Fields
	for _, body := range bodies {
		var fields map[string]json.RawMessage
		_ = json.Unmarshal(body, &fields) // not an object: the strict decoder says so
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			if msg, ok := elsewhere[k]; ok {
				errs.Add(k, "%s", route(msg, caseID))
			}
		}
	}
	return errs.Err()
}

// route fills the case's ID into a message naming a route.
func route(msg, caseID string) string {
	if caseID == "" {
		return msg
	}
	return strings.ReplaceAll(msg, "{id}", caseID)
}

// standard reports whether the standard case field key is active and
// whether it is mandatory, per the tenant's Ärendefält.
func standard(snap *settings.Snapshot, key string) (active, mandatory bool) {
	for _, f := range snap.CaseFields.Fields {
		if f.Key == key {
			return f.Active, f.Mandatory
		}
	}
	return false, false
}

// checkStandard refuses a value for an inactive standard field and the
// absence of a mandatory one.
func checkStandard(snap *settings.Snapshot, errs *problem.Fields, key, field string, present bool) {
	active, mandatory := standard(snap, key)
	switch {
	case present && !active:
		errs.Add(field, "is not an active case field in this tenant's settings")
	case !present && mandatory:
		errs.Add(field, "is required by this tenant's case-field settings")
	}
}

// checkCase validates a case's client-set values against the settings.
func checkCase(snap *settings.Snapshot, c *Case, errs *problem.Fields) {
	c.Title = strings.TrimSpace(c.Title)
	errs.Text("title", c.Title, 1, maxTitle)
	if strings.ContainsAny(c.Title, "\r\n") {
		errs.Add("title", "may not contain line breaks")
	}
	errs.Text("description", c.Description, 0, maxDescription)
	checkStandard(snap, errs, "description", "description", c.Description != "")
	checkStandard(snap, errs, "deadline", "deadline", c.Deadline != nil)
	checkStandard(snap, errs, "assignees", "assignees", len(c.Assignees.Users)+len(c.Assignees.Groups) > 0)
	checkStandard(snap, errs, "linkedOrder", "linkedOrderId", c.LinkedOrderID != "")

	if _, ok := snap.Statuses[c.StatusID]; !ok {
		errs.Add("statusId", "no status has the ID %q", c.StatusID)
	}
	if _, ok := snap.Priorities[c.PriorityID]; !ok {
		errs.Add("priorityId", "no priority has the ID %q", c.PriorityID)
	}
	if c.LinkedOrderID != "" && !validID(c.LinkedOrderID) {
		errs.Add("linkedOrderId", "is not a valid ID")
	}
	if c.Deadline != nil {
		c.Deadline = timestamp.Ptr(c.Deadline.Time)
	}
	snap.CheckAssignees(errs, "assignees", &c.Assignees)
	checkFields(snap, errs, c)
}

// checkFields validates the custom fields against the case type: only the
// type's fields, required ones present, numbers are numbers, dropdown
// values among the options.
func checkFields(snap *settings.Snapshot, errs *problem.Fields, c *Case) {
	if c.Fields == nil {
		c.Fields = map[string]any{}
	}
	t, ok := snap.CaseTypes[c.TypeID]
	if !ok {
		if len(c.Fields) > 0 {
			errs.Add("fields", "a case without a type has no fields")
		}
		return
	}
	if len(c.Fields) > len(t.Fields) {
		errs.Add("fields", "the case type %q has %d fields", t.Name, len(t.Fields))
		return
	}
	for id, v := range c.Fields {
		if v == nil {
			delete(c.Fields, id) // a merge patch's null removes a value
		}
	}
	for id := range c.Fields {
		if !slices.ContainsFunc(t.Fields, func(f settings.TypeField) bool { return f.FieldID == id }) {
			errs.Add("fields."+id, "is not a field of the case type %q", t.Name)
		}
	}
	for _, tf := range t.Fields {
		def, ok := snap.Fields[tf.FieldID]
		if !ok {
			continue
		}
		name := "fields." + tf.FieldID
		v, present := c.Fields[tf.FieldID]
		if !present {
			if tf.Required {
				errs.Add(name, "is required for the case type %q (%s)", t.Name, def.Name)
			}
			continue
		}
		checkValue(errs, name, def.Name, def.Kind, def.Options, v)
	}
}

// checkValue checks one value of a field of kind (a case-type field or a
// report-template value): numbers are numbers, texts bounded, dropdown
// values among the options. label names the field in the message.
func checkValue(errs *problem.Fields, name, label, kind string, options []string, v any) {
	switch kind {
	case settings.KindNumber:
		if _, ok := v.(float64); !ok {
			errs.Add(name, "must be a number (%s)", label)
		}
	case settings.KindText:
		if s, ok := v.(string); !ok || len([]rune(s)) > maxFieldText {
			errs.Add(name, "must be a text of at most %d characters (%s)", maxFieldText, label)
		}
	case settings.KindDropdown:
		if s, ok := v.(string); !ok || !slices.Contains(options, s) {
			errs.Add(name, "must be one of %s (%s)", strings.Join(options, ", "), label)
		}
	}
}
