// Package cases is the heart of the product: staff register, find, work
// and close cases (ärenden), with their SLA targets, tasks, time reports
// and event log. A case and everything that belongs to it live in one
// DynamoDB partition; every list a case appears in has a small entry of its
// own, so that each filter and sort is one Query.
package cases

import (
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Case is an ärende.
type Case struct {
	ID        string         `json:"id"`
	Version   int64          `json:"version"`
	CreatedAt timestamp.Time `json:"createdAt"`
	UpdatedAt timestamp.Time `json:"updatedAt"`
	CreatedBy string         `json:"createdBy"`

	Number        int64              `json:"number"`
	Title         string             `json:"title"`
	Description   string             `json:"description,omitempty"`
	TypeID        string             `json:"typeId,omitempty"`
	StatusID      string             `json:"statusId"`
	PriorityID    string             `json:"priorityId"`
	CustomerID    string             `json:"customerId,omitempty"`
	ContactID     string             `json:"contactId,omitempty"`
	Assignees     settings.Assignees `json:"assignees"`
	Fields        map[string]any     `json:"fields"`
	Deadline      *timestamp.Time    `json:"deadline,omitempty"`
	LinkedOrderID string             `json:"linkedOrderId,omitempty"`
	// Source is where the case came from: SourceStaff, SourceExternal
	// (website intake), SourcePortal or SourceRecurring. Cases registered
	// before sources were kept have none (staff's).
	Source string `json:"source,omitempty"`
	// RecurringID is the recurring-case definition whose occurrence the
	// case is (source recurring).
	RecurringID string `json:"recurringId,omitempty"`
	// Requester is who asked for a case that came from outside without
	// being matched to a customer's contact (a website form from an
	// address no contact has): mail to the case goes to them while it has
	// no contact.
	Requester *Requester `json:"requester,omitempty"`
	// LinkEpoch is the generation of the case's conversation links: a link
	// names the epoch it was made in and works only while the case is in
	// it. A switch of customer or contact, and staff revoking the links,
	// move it on.
	LinkEpoch int64 `json:"linkEpoch"`
	// Form is the form the case got from its type when it was created
	// (its answers are at /v1/cases/{id}/form); nil when it got none.
	Form *FormRef `json:"form,omitempty"`

	// SLA bookkeeping. StartBy and ResolveBy are the targets; time spent
	// in waiting-category statuses moves ResolveBy out.
	StartBy        timestamp.Time  `json:"startBy"`
	ResolveBy      timestamp.Time  `json:"resolveBy"`
	StartedAt      *timestamp.Time `json:"startedAt,omitempty"`
	ResolvedAt     *timestamp.Time `json:"resolvedAt,omitempty"`
	WaitingSince   *timestamp.Time `json:"waitingSince,omitempty"`
	WaitingSeconds int64           `json:"waitingSeconds"`

	// Read-only views computed when answering.
	StatusCategory   string `json:"statusCategory"`
	SLA              *SLA   `json:"sla,omitempty"`
	TimeTotalMinutes int64  `json:"timeTotalMinutes,omitempty"`
	// ActivityAt is when anything last happened on the case: a change, a
	// task, a time report, a comment. Lists sorted by update (sort=updated)
	// follow it. It is kept beside the case's JSON (see activity.go).
	ActivityAt *timestamp.Time `json:"activityAt,omitempty"`

	// names are what the case is found by of its customer (words.go),
	// kept beside its JSON; namesRead is that attribute as read ("" when
	// the item has none), what a change is conditioned on.
	names     caseNames
	namesRead string
	// gone marks the case as its delete writes it: no longer open.
	gone bool
}

// CurrentVersion returns the version, for the ETag.
func (c *Case) CurrentVersion() int64 { return c.Version }

// SLA says, against the clock, how the case stands with its targets.
type SLA struct {
	Start   Target `json:"start"`
	Resolve Target `json:"resolve"`
}

// Target is one SLA target: when it is due and its state: met, on-track,
// at-risk or breached. Paused is set while the case waits (the resolve
// target moves out by the time spent waiting).
type Target struct {
	Due    timestamp.Time `json:"due"`
	State  string         `json:"state"`
	Paused bool           `json:"paused,omitempty"`
}

// The SLA states.
const (
	Met      = "met"
	OnTrack  = "on-track"
	AtRisk   = "at-risk"
	Breached = "breached"
)

// Detail is the answer of GET /v1/cases/{id}: the case with its tasks.
type Detail struct {
	*Case
	Tasks []*Task `json:"tasks"`
}

// Task is a piece of work on a case.
type Task struct {
	ID         string          `json:"id"`
	Version    int64           `json:"version"`
	CreatedAt  timestamp.Time  `json:"createdAt"`
	UpdatedAt  timestamp.Time  `json:"updatedAt"`
	Title      string          `json:"title"`
	AssigneeID string          `json:"assigneeId,omitempty"`
	Due        *timestamp.Time `json:"due,omitempty"`
	Done       bool            `json:"done"`
	DoneAt     *timestamp.Time `json:"doneAt,omitempty"`
}

// CurrentVersion returns the version, for the ETag.
func (t *Task) CurrentVersion() int64 { return t.Version }

func (t *Task) subID() string { return t.ID }

// TimeReport is time spent on a case, with the values of the case type's
// report template.
type TimeReport struct {
	ID        string         `json:"id"`
	Version   int64          `json:"version"`
	CreatedAt timestamp.Time `json:"createdAt"`
	UpdatedAt timestamp.Time `json:"updatedAt"`
	UserID    string         `json:"userId"`
	Date      string         `json:"date"`
	Minutes   int64          `json:"minutes"`
	Note      string         `json:"note,omitempty"`
	Values    map[string]any `json:"values"`
}

// CurrentVersion returns the version, for the ETag.
func (t *TimeReport) CurrentVersion() int64 { return t.Version }

func (t *TimeReport) subID() string { return t.ID }

// Event is one entry of a case's log: who did what, when, with the values
// before and after.
type Event struct {
	ID      string         `json:"id"`
	At      timestamp.Time `json:"at"`
	By      string         `json:"by"`
	Type    string         `json:"type"`
	Subject string         `json:"subject,omitempty"`
	Changes []Change       `json:"changes,omitempty"`
}

// Change is one field's change in an event.
type Change struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}
