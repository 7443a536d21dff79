// Package recurring makes the cases of recurring-case definitions (the
// settings' Återkommande ärenden) and tells staff when a case's SLA
// target passes unmet, both on time through one-time EventBridge
// Scheduler schedules (package scheduler).
//
// Who makes which schedule when:
//   - a definition's next occurrence: the recurring function, from the
//     table's stream record of the definition (created, edited, paused,
//     resumed, deleted: Sync reads it fresh and replaces what is
//     scheduled), after each trigger (the next one), and from the daily
//     reconciliation (Reconcile), which heals what the stream missed;
//   - a case's SLA targets: the recurring function, from the stream record
//     of the case's SLA watch item, which the cases area writes in the
//     case's own transaction whenever its targets to watch change.
//
// A trigger decides on the data as it is when it arrives: a definition's
// occurrence that no longer is one (edited, paused, deleted) makes no
// case and is recorded; a target that moved or was met alerts nobody.
// Every outcome is written with a condition that it is the first, so a
// trigger delivered ten times acts once.
package recurring

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// The kinds of trigger.
const (
	KindOccurrence = "occurrence"
	KindSLA        = "sla"
	KindReconcile  = "reconcile"
)

// Trigger is the input of a schedule: an occurrence of a definition
// ({tenant, definitionId, scheduledFor}), an SLA target of a case
// ({tenant, caseId, target, due}), or the daily reconciliation.
type Trigger struct {
	Kind         string          `json:"kind"`
	Tenant       string          `json:"tenant,omitempty"`
	DefinitionID string          `json:"definitionId,omitempty"`
	ScheduledFor *timestamp.Time `json:"scheduledFor,omitempty"`
	CaseID       string          `json:"caseId,omitempty"`
	Target       string          `json:"target,omitempty"`
	Due          *timestamp.Time `json:"due,omitempty"`
}

// Definitions are the settings' recurring-case definitions, as this
// package reads them.
type Definitions interface {
	RecurringCase(ctx context.Context, tenant, id string, fresh bool) (*settings.RecurringCase, *settings.Snapshot, error)
	Snapshot(ctx context.Context, tenant string) (*settings.Snapshot, error)
}

// Cases is what this package asks of the cases area.
type Cases interface {
	CreateFrom(ctx context.Context, tenant string, f cases.From) (*cases.Case, error)
	Breach(ctx context.Context, tenant, caseID, target string, due time.Time) (bool, error)
}

var (
	_ Definitions = (*settings.Service)(nil)
	_ Cases       = (*cases.Service)(nil)
)

// Service runs triggers and keeps schedules in step with the table.
type Service struct {
	table       dynamo.Table
	definitions Definitions
	cases       Cases
	schedules   scheduler.Scheduler
	now         func() time.Time
	log         *slog.Logger
}

// NewService returns the service. schedules may be nil for a function
// that only reads (the settings function: previews and runs).
func NewService(table dynamo.Table, d Definitions, c Cases, schedules scheduler.Scheduler, now func() time.Time, log *slog.Logger) *Service {
	return &Service{table: table, definitions: d, cases: c, schedules: schedules, now: now, log: log}
}

// Handle runs one trigger.
func (s *Service) Handle(ctx context.Context, input []byte) error {
	var t Trigger
	if err := json.Unmarshal(input, &t); err != nil {
		return fmt.Errorf("recurring: unreadable trigger: %w", err)
	}
	switch t.Kind {
	case KindOccurrence:
		if t.ScheduledFor == nil || !validID(t.Tenant) || !validID(t.DefinitionID) {
			return fmt.Errorf("recurring: occurrence trigger without tenant, definition or time")
		}
		_, err := s.Occur(ctx, t.Tenant, t.DefinitionID, t.ScheduledFor.Time)
		return err
	case KindSLA:
		if t.Due == nil || !validID(t.Tenant) || !validID(t.CaseID) {
			return fmt.Errorf("recurring: SLA trigger without tenant, case or due time")
		}
		_, err := s.cases.Breach(ctx, t.Tenant, t.CaseID, t.Target, t.Due.Time)
		return err
	case KindReconcile:
		_, err := s.Reconcile(ctx)
		return err
	}
	return fmt.Errorf("recurring: unknown trigger kind %q", t.Kind)
}
