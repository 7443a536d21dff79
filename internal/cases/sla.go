package cases

import (
	"time"

	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// atRiskShare is how much of a target's window may remain before the
// target counts as at risk.
const atRiskShare = 4 // the last quarter

// setTargets computes the targets from the creation time, the priority's
// SLA times and the time spent waiting so far.
func setTargets(c *Case, p *settings.Priority) {
	start, resolve := windows(p)
	c.StartBy = timestamp.New(c.CreatedAt.Add(start))
	c.ResolveBy = timestamp.New(c.CreatedAt.Add(resolve + time.Duration(c.WaitingSeconds)*time.Second))
}

func windows(p *settings.Priority) (start, resolve time.Duration) {
	start, _ = settings.ParseDuration(p.StartWithin)
	resolve, _ = settings.ParseDuration(p.ResolveWithin)
	return start, resolve
}

// moveStatus does the SLA bookkeeping of a move from one status category
// to another at now.
func moveStatus(c *Case, from, to string, p *settings.Priority, now timestamp.Time) {
	if from == to {
		return
	}
	if from == settings.CategoryWaiting && c.WaitingSince != nil {
		c.WaitingSeconds += int64(now.Sub(c.WaitingSince.Time) / time.Second)
		c.WaitingSince = nil
		setTargets(c, p)
	}
	if from == settings.CategoryClosed {
		if c.StartedAt == nil {
			// Closed without being worked on, now reopened: it was started
			// when it was closed, and the start target keeps that verdict.
			c.StartedAt = c.ResolvedAt
		}
		c.ResolvedAt = nil // reopened: the resolve target runs again
	}
	switch to {
	case settings.CategoryOpen:
		if c.StartedAt == nil {
			c.StartedAt = &now
		}
	case settings.CategoryWaiting:
		c.WaitingSince = &now
	case settings.CategoryClosed:
		c.ResolvedAt = &now
	}
}

// sla computes the state of each target against now (a stamp, so that a
// due time moved with the clock is to the millisecond, as every time is).
func sla(c *Case, p *settings.Priority, now timestamp.Time) *SLA {
	start, resolve := windows(p)
	out := &SLA{Start: Target{Due: c.StartBy}, Resolve: Target{Due: c.ResolveBy}}

	startedAt := c.StartedAt
	if startedAt == nil {
		startedAt = c.ResolvedAt // closed without being worked on
	}
	out.Start.State = state(c.StartBy, start, startedAt, now)

	due := c.ResolveBy
	if c.WaitingSince != nil {
		// While waiting the deadline moves out with the clock.
		due = timestamp.New(due.Add(now.Sub(c.WaitingSince.Time)))
		out.Resolve.Paused = true
	}
	out.Resolve.Due = due
	out.Resolve.State = state(due, resolve, c.ResolvedAt, now)
	return out
}

// state is a target's state: met or breached once done, else breached,
// at risk (in the last quarter of its window) or on track.
func state(due timestamp.Time, window time.Duration, doneAt *timestamp.Time, now timestamp.Time) string {
	if doneAt != nil {
		if doneAt.After(due.Time) {
			return Breached
		}
		return Met
	}
	switch {
	case now.After(due.Time):
		return Breached
	case due.Sub(now.Time) <= window/atRiskShare:
		return AtRisk
	default:
		return OnTrack
	}
}
