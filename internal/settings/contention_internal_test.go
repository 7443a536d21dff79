package settings

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
)

// TestContentionEndsAtTheBudget: a write that keeps losing pauses, each
// pause at most pauseCap, and is answered 503 once the next attempt could
// not start within its budget, without waiting out a pause that would
// pass it.
func TestContentionEndsAtTheBudget(t *testing.T) {
	const budget = 100 * time.Millisecond
	start := time.Now()
	c := &contention{deadline: start.Add(budget)}
	var err error
	for err == nil {
		before := time.Now()
		err = c.pause(context.Background())
		if d := time.Since(before); d > pauseCap+50*time.Millisecond {
			t.Errorf("pause %d took %v, more than the cap %v", c.losses, d, pauseCap)
		}
	}
	if problem.CodeOf(err) != problem.Unavailable {
		t.Errorf("after the budget: %v, want unavailable", err)
	}
	if took := time.Since(start); took > budget+50*time.Millisecond {
		t.Errorf("gave up after %v, budget %v", took, budget)
	}
	if c.losses < 2 {
		t.Errorf("gave up after %d pauses", c.losses)
	}
}

// TestContentionFollowsTheRequest: the budget is the request's deadline
// if that comes first, and a cancelled request stops the pause.
func TestContentionFollowsTheRequest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if c := newContention(ctx); time.Until(c.deadline) > time.Second {
		t.Errorf("deadline in %v, after the request's", time.Until(c.deadline))
	}
	if c := newContention(context.Background()); time.Until(c.deadline) > writeBudget || time.Until(c.deadline) < writeBudget-time.Second {
		t.Errorf("deadline in %v, want the budget %v", time.Until(c.deadline), writeBudget)
	}

	cancelled, stop := context.WithCancel(context.Background())
	stop()
	c := &contention{deadline: time.Now().Add(time.Hour), losses: 10}
	err := c.pause(cancelled)
	if problem.CodeOf(err) != problem.Unavailable || !errors.Is(err, context.Canceled) {
		t.Errorf("pause of a cancelled request: %v", err)
	}
}
