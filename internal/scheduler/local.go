package scheduler

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Fire runs a trigger: what the schedule's target receives as input.
type Fire func(ctx context.Context, input []byte) error

// Local keeps schedules in memory and fires them in the process at their
// time on its clock, as the local stack's stand-in for EventBridge
// Scheduler: a fired schedule is deleted when its trigger succeeds, and
// fired again on the next tick when it fails (Scheduler's retries).
type Local struct {
	now  func() time.Time
	fire Fire
	log  *slog.Logger

	mu        sync.Mutex
	schedules map[string]Schedule
	// firing serialises runs, as one function instance would.
	firing sync.Mutex
}

var _ Scheduler = (*Local)(nil)

// NewLocal returns an in-process scheduler on the clock now. Its trigger
// handler is set with Target (the handler is built on the scheduler).
func NewLocal(now func() time.Time, log *slog.Logger) *Local {
	return &Local{now: now, log: log, schedules: map[string]Schedule{}}
}

// Target sets what fired schedules run.
func (l *Local) Target(f Fire) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fire = f
}

// Create keeps s; one of the same name is left as it is.
func (l *Local) Create(_ context.Context, s Schedule) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.schedules[s.Name]; !ok {
		l.schedules[s.Name] = s
	}
	return nil
}

// Delete forgets the schedule of the name.
func (l *Local) Delete(_ context.Context, name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.schedules, name)
	return nil
}

// List is every schedule, soonest first.
func (l *Local) List() []Schedule {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Schedule, 0, len(l.schedules))
	for _, s := range l.schedules {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Schedule) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return compareStrings(a.Name, b.Name)
	})
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FireNow runs the schedule of the name now, whatever its time, and
// deletes it when its trigger succeeds; false when there is none.
func (l *Local) FireNow(ctx context.Context, name string) (bool, error) {
	l.mu.Lock()
	s, ok := l.schedules[name]
	fire := l.fire
	l.mu.Unlock()
	if !ok || fire == nil {
		return ok, nil
	}
	l.firing.Lock()
	defer l.firing.Unlock()
	if err := fire(ctx, s.Input); err != nil {
		return true, err
	}
	// Deleted after it fired, unless a new one of the name replaced it.
	l.mu.Lock()
	if cur, ok := l.schedules[name]; ok && cur.Time.Equal(s.Time) && string(cur.Input) == string(s.Input) {
		delete(l.schedules, name)
	}
	l.mu.Unlock()
	return true, nil
}

// Due fires every schedule whose time has come, soonest first, and
// answers how many it fired.
func (l *Local) Due(ctx context.Context) int {
	n := 0
	now := l.now()
	for _, s := range l.List() {
		if s.Time.After(now) {
			break
		}
		if _, err := l.FireNow(ctx, s.Name); err != nil {
			l.log.ErrorContext(ctx, "schedule failed; it fires again", "schedule", s.Name, "err", err.Error())
			continue
		}
		n++
	}
	return n
}

// Run fires due schedules every tick until ctx ends.
func (l *Local) Run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Due(ctx)
		}
	}
}
