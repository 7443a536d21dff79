package cases

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// SLA alerts. A case's targets to watch are its start target while it is
// not started, and its resolve target while it is neither resolved nor
// waiting (waiting pauses it; leaving waiting moves it). Whenever they
// change, the case's transaction writes its SLA watch item: the targets
// now, and those it had before (to unschedule). The recurring function
// schedules an alert per target from the item's stream record; when one
// fires, Breach alerts, once, if the target is still the case's and
// still unmet.

// The SLA targets.
const (
	TargetStart   = "start"
	TargetResolve = "resolve"
)

// kindSLAWatch is the kind of a case's SLA watch item; kindBreach of the
// record of a breach.
const (
	kindSLAWatch = "SLAWATCH"
	kindBreach   = "SLABREACH"
)

// SLATarget is one target to watch: which, and when it is due.
type SLATarget struct {
	Target string         `json:"target"`
	Due    timestamp.Time `json:"due"`
}

// SLAWatch is a case's SLA watch item: its targets to watch now, and the
// targets it watched before this change and no longer does (moved, met).
type SLAWatch struct {
	Tenant  string      `json:"tenant"`
	CaseID  string      `json:"caseId"`
	Targets []SLATarget `json:"targets"`
	Dropped []SLATarget `json:"dropped"`
}

// KindSLAWatch is the kind attribute of SLA watch items: the stream's
// filter picks them by their sort key, dynamo.SLAWatchSK.
const KindSLAWatch = kindSLAWatch

// watched are the targets of c to watch (none for nil: a deleted case).
func watched(c *Case) []SLATarget {
	if c == nil {
		return []SLATarget{}
	}
	out := []SLATarget{}
	if c.StartedAt == nil && c.ResolvedAt == nil {
		out = append(out, SLATarget{Target: TargetStart, Due: c.StartBy})
	}
	if c.ResolvedAt == nil && c.WaitingSince == nil {
		out = append(out, SLATarget{Target: TargetResolve, Due: c.ResolveBy})
	}
	return out
}

func sameTarget(a, b SLATarget) bool { return a.Target == b.Target && a.Due.Equal(b.Due.Time) }

// slaWrites is the put of the case's SLA watch item when a change from
// before (nil: a create) to after changes the targets to watch; none
// otherwise.
func slaWrites(tenant string, before, after *Case) ([]dynamo.Write, error) {
	was, now := watched(before), watched(after)
	if slices.EqualFunc(was, now, sameTarget) {
		return nil, nil
	}
	w := SLAWatch{Tenant: tenant, CaseID: after.ID, Targets: now, Dropped: []SLATarget{}}
	for _, t := range was {
		if !slices.ContainsFunc(now, func(o SLATarget) bool { return sameTarget(o, t) }) {
			w.Dropped = append(w.Dropped, t)
		}
	}
	it, err := item(dynamo.CasePK(tenant, after.ID), dynamo.SLAWatchSK, kindSLAWatch, "SLA watch", 1, w)
	if err != nil {
		return nil, err
	}
	return []dynamo.Write{dynamo.Put(it, dynamo.Cond{}, nil)}, nil
}

// errBreachRecorded: the breach was alerted already (a trigger delivered
// again).
var errBreachRecorded = errors.New("the breach was alerted already")

// maxAlerted bounds who hears of one breach.
const maxAlerted = 20

// Breach alerts that the case's target (start, resolve) due at due has
// passed unmet, when it has and the target is still the case's (not
// moved by a priority change or waiting, not met): the case's assigned
// users (or, when none, its groups' members) get an in-app notification
// and, if their profile asks (slaBreachByMail), a mail, and the event log
// records it, in one transaction with a record of the breach that only
// the first may write. It answers whether it alerted; a trigger
// delivered again, or for a moved or met target, alerts nobody.
func (s *Service) Breach(ctx context.Context, tenant, caseID, target string, due time.Time) (bool, error) {
	due = timestamp.New(due).Time
	for range 3 {
		c, err := s.getCase(ctx, tenant, caseID)
		if problem.CodeOf(err) == problem.NotFound {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		now := s.stamp()
		if now.Before(due) || !slices.ContainsFunc(watched(c), func(t SLATarget) bool { return t.Target == target && t.Due.Equal(due) }) {
			return false, nil
		}
		snap, err := s.settings.Snapshot(ctx, tenant)
		if err != nil {
			return false, err
		}
		writes, err := breachWrites(snap, tenant, c, target, due, now)
		if err != nil {
			return false, err
		}
		err = s.table.Commit(ctx, "alert SLA breach", writes...)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, errBreachRecorded):
			return false, nil
		case !errors.Is(err, errCaseChanged) && !dynamo.Conflict(err):
			return false, err
		}
	}
	return false, problem.New(problem.Unavailable, "The case kept changing; the alert is tried again.")
}

// breachWrites are the record of the breach, the check that the case is
// as read, its event, and each worker's notification and mail.
func breachWrites(snap *settings.Snapshot, tenant string, c *Case, target string, due time.Time, now timestamp.Time) ([]dynamo.Write, error) {
	rec, err := item(dynamo.CasePK(tenant, c.ID), dynamo.SLABreachSK(target, dynamo.KeyTime(due)), kindBreach, "breach", 1,
		SLATarget{Target: target, Due: timestamp.New(due)})
	if err != nil {
		return nil, err
	}
	ev, err := eventWrite(tenant, c.ID, &Event{ID: dynamo.NewID(now.Time), At: now, By: "system", Type: "sla-breached", Subject: target,
		Changes: []Change{{Field: target + "By", Before: timestamp.New(due), After: nil}}})
	if err != nil {
		return nil, err
	}
	writes := []dynamo.Write{
		dynamo.Put(rec, dynamo.NotExists(), errBreachRecorded),
		dynamo.Check(caseKey(tenant, c.ID), dynamo.VersionIs(c.Version).And(notDeleted), errCaseChanged),
		ev,
	}
	excerpt := "The " + target + " target (" + timestamp.New(due).String() + ") has passed."
	for _, id := range alerted(snap, c) {
		ns, err := notifications.Write(tenant, id, &notifications.Notification{ID: notifications.NewID(now.Time, dynamo.NewID(now.Time)),
			At: now, Type: "sla-breach", By: "system", CaseID: c.ID, CaseNumber: c.Number, CaseTitle: c.Title, Excerpt: excerpt})
		if err != nil {
			return nil, err
		}
		writes = append(writes, ns...)
		if snap.Users[id].Notifications.SLABreachByMail {
			m, err := outbox.Write(outbox.Mail{ID: dynamo.NewID(now.Time), Tenant: tenant, CreatedAt: now, Text: "sla-breach",
				CaseID: c.ID, To: outbox.Recipient{UserID: id},
				Values: map[string]string{"sla.target": target, "sla.due": timestamp.New(due).String()}})
			if err != nil {
				return nil, err
			}
			writes = append(writes, m)
		}
	}
	return writes, nil
}

// alerted are who hear of the case's breach: its workers, at most
// maxAlerted.
func alerted(snap *settings.Snapshot, c *Case) []string {
	ids := Workers(snap, c)
	return ids[:min(len(ids), maxAlerted)]
}
