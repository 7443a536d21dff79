package settings

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// writeBudget bounds how long a settings write keeps planning again while
// other writes of the same tenant commit before it. Every time a write
// loses, another one has committed, so ten writers at once all commit
// well within it; past it the client is answered 503.
const writeBudget = 3 * time.Second

// The pause before planning again after losing is drawn at random from
// [0, pauseBase·2^n) for the n-th loss, but never above pauseCap: writers
// who collided spread out instead of colliding again.
const (
	pauseBase = 10 * time.Millisecond
	pauseCap  = 200 * time.Millisecond
)

// contention paces the attempts of one write that lost races to other
// writes of the tenant's settings, within writeBudget of its start (or
// the request's deadline, if that comes first). The budget is wall time,
// not the service's clock: it bounds how long the client waits.
type contention struct {
	deadline time.Time
	losses   int
}

func newContention(ctx context.Context) *contention {
	deadline := time.Now().Add(writeBudget)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	return &contention{deadline: deadline}
}

// busy is the answer when the budget is spent.
func busy() error {
	return problem.New(problem.Unavailable, "The settings are being changed by someone else; try again.")
}

// pause waits before the next attempt, or answers busy, without waiting,
// if that attempt could not start within the budget.
func (c *contention) pause(ctx context.Context) error {
	d := rand.N(min(pauseCap, pauseBase<<min(c.losses, 10)))
	c.losses++
	if time.Now().Add(d).After(c.deadline) {
		return busy()
	}
	if err := ctx.Err(); err != nil {
		return dynamo.Unavailable("write settings", err)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return dynamo.Unavailable("write settings", ctx.Err())
	case <-t.C:
		return nil
	}
}
