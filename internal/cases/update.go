package cases

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Patch is a change a client sends of an object it read: a JSON merge
// patch (RFC 7386) of what it may set, and the server-owned fields it sent
// back with it, which must be what is stored.
type Patch struct {
	Merge  []byte
	Echoed map[string]json.RawMessage
}

// patchable is the part of a case PATCH may change.
type patchable struct {
	Title         string              `json:"title"`
	Description   string              `json:"description,omitempty"`
	StatusID      string              `json:"statusId"`
	PriorityID    string              `json:"priorityId"`
	Assignees     *settings.Assignees `json:"assignees"`
	Fields        map[string]any      `json:"fields"`
	Deadline      *timestamp.Time     `json:"deadline,omitempty"`
	LinkedOrderID string              `json:"linkedOrderId,omitempty"`
}

func patchableOf(c *Case) patchable {
	a := c.Assignees
	return patchable{Title: c.Title, Description: c.Description, StatusID: c.StatusID, PriorityID: c.PriorityID,
		Assignees: &a, Fields: c.Fields, Deadline: c.Deadline, LinkedOrderID: c.LinkedOrderID}
}

// caseChange is a planned change of a case: the case before and after,
// its event, the mail it sends and whether it completes the linked order.
type caseChange struct {
	old, c *Case
	effects
}

// Update changes a case with a merge patch, based on the version the
// client read: the case, its event, its list entries and (when it closes)
// its linked order in one transaction.
func (s *Service) Update(ctx context.Context, p identity.Principal, id string, version int64, patch Patch) (*Case, error) {
	shown := ""
	if validID(id) {
		shown = id
	}
	if err := refuseElsewhere(shown, patch.Merge); err != nil {
		return nil, err
	}
	old, err := s.getCase(ctx, p.Tenant, id)
	if err != nil {
		return nil, err
	}
	if err := checkEchoed(old, version, patch.Echoed); err != nil {
		return nil, err
	}
	var next patchable
	if err := httpapi.MergePatch(patchableOf(old), patch.Merge, &next); err != nil {
		return nil, err
	}
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	c := *old
	c.Title, c.Description, c.StatusID, c.PriorityID = next.Title, next.Description, next.StatusID, next.PriorityID
	c.Fields, c.Deadline, c.LinkedOrderID = next.Fields, next.Deadline, next.LinkedOrderID
	c.Assignees = settings.Assignees{}
	if next.Assignees != nil {
		c.Assignees = *next.Assignees
	}
	var errs problem.Fields
	checkCase(snap, &c, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s.change(ctx, p, snap, old, &c, "updated", 0)
}

// checkEchoed refuses a change based on another version than the stored
// one (412), server-owned fields sent back with other values (400), and a
// change of a field another route changes (400, naming the route); the
// computed fields are not compared (see computedFields).
func checkEchoed(old *Case, version int64, sent map[string]json.RawMessage) error {
	echoed := make(map[string]json.RawMessage, len(sent))
	var errs problem.Fields
	for _, k := range slices.Sorted(maps.Keys(sent)) {
		switch msg, isMoved := moved[k]; {
		case computed(k):
		case isMoved && httpapi.CheckVersion("case", old, httpapi.AnyVersion, map[string]json.RawMessage{k: sent[k]}) != nil:
			errs.Add(k, "%s", route(msg, old.ID))
		case !isMoved:
			echoed[k] = sent[k]
		}
	}
	if err := httpapi.CheckVersion("case", old, version, echoed); err != nil {
		return err
	}
	return errs.Err()
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
	names := s.namesAsync(ctx, p.Tenant, customerID, contactID) // read beside the case
	old, err := s.getCase(ctx, p.Tenant, id)
	read := <-names
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
	if read.err != nil {
		return nil, read.err
	}
	c := *old
	c.CustomerID, c.ContactID, c.names = customerID, contactID, read.names
	if c.CustomerID != old.CustomerID || c.ContactID != old.ContactID {
		c.LinkEpoch++ // the links mailed to the case's contact so far stop working
	}
	return s.change(ctx, p, snap, old, &c, "customer-switched", read.version)
}

// change plans and stores a change of a case; a change that changes
// nothing writes nothing and answers the case as it is. customerAt is the
// version of the customer whose names c took (0: c keeps old's).
func (s *Service) change(ctx context.Context, p identity.Principal, snap *settings.Snapshot, old, c *Case, eventType string, customerAt int64) (*Case, error) {
	ch, err := planChange(snap, reporter(snap, p), old, c, eventType, s.stamp())
	if err != nil {
		return nil, err
	}
	if ch == nil {
		s.decorate(snap, old)
		return old, nil // nothing changed: no new version, no event
	}
	ch.customerAt = customerAt
	if err := s.storeChange(ctx, p.Tenant, ch); err != nil {
		return nil, err
	}
	s.decorate(snap, c)
	return c, nil
}

// planChange completes a change of a case from old to c made by by at now:
// SLA bookkeeping, version, event, the mail of a close and the completion
// of the linked order. It answers nil when nothing changed.
func planChange(snap *settings.Snapshot, by string, old, c *Case, eventType string, now timestamp.Time) (*caseChange, error) {
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
		return nil, nil
	}
	c.Version, c.UpdatedAt, c.ActivityAt = old.Version+1, now, &now
	ch := &caseChange{old: old, c: c, effects: effects{event: &Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: eventType, Changes: changes}}}
	if c.StatusCategory == settings.CategoryClosed && old.StatusCategory != settings.CategoryClosed {
		ch.completeOrder = snap.General.AutoCompleteLinkedOrder && c.LinkedOrderID != ""
		ch.formSubmitted = c.Form != nil && c.Form.RequiredBeforeClose
		ch.texts = append(ch.texts, "case-closed")
		if snap.General.SendReviewMailOnClose {
			ch.texts = append(ch.texts, "review-request")
		}
	}
	return ch, nil
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
	by, err := s.who(ctx, p)
	if err != nil {
		return err
	}
	now := s.stamp()
	c := *old
	c.Version++
	c.UpdatedAt = now
	return s.storeDelete(ctx, p.Tenant, old, &c, &Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: "deleted"})
}
