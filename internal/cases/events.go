package cases

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// eventsPage is the page size of the event log when none is asked for.
const eventsPage = 50

// Events answers a page of a case's event log, oldest first. The log is
// readable only while the case menu's "events" item (Händelser) is
// enabled in the settings.
func (s *Service) Events(ctx context.Context, tenant, caseID string, limit int, cursor string) (httpapi.List[*Event], error) {
	snap, err := s.settings.Snapshot(ctx, tenant)
	if err != nil {
		return httpapi.List[*Event]{}, err
	}
	if !snap.MenuItemEnabled("events") {
		return httpapi.List[*Event]{}, problem.New(problem.Forbidden, "The event log is turned off: enable \"Händelser\" (events) in the case-detail menu settings to read it.")
	}
	if _, err := s.getCase(ctx, tenant, caseID); err != nil {
		return httpapi.List[*Event]{}, err
	}
	return logPage[Event](ctx, s, tenant, caseID, dynamo.EventSKPrefix, limit, cursor)
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
	add("linkEpoch", a.LinkEpoch, b.LinkEpoch)
	return out
}

// changed keeps the changes whose values differ.
func changed(cs ...Change) []Change {
	var out []Change
	for _, c := range cs {
		if !sameJSON(c.Before, c.After) {
			out = append(out, c)
		}
	}
	return out
}

// sameJSON compares two values as their JSON.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
