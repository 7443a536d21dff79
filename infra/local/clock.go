package main

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// devClock is the local stack's clock: the machine's, moved on by POST
// /dev/clock, to try out what happens later (a link that has expired, an
// SLA that is breached) without waiting. It only moves forward.
type devClock struct {
	offset atomic.Int64 // nanoseconds ahead of the machine's clock
}

// Now is the stack's time.
func (c *devClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// clockRequest is the body of POST /dev/clock.
type clockRequest struct {
	Advance string `json:"advance"`
}

// clockAnswer is the answer of POST /dev/clock.
type clockAnswer struct {
	Now timestamp.Time `json:"now"`
}

// advance moves the clock forward by an ISO 8601 duration (P31D, PT2H).
func (c *devClock) advance(w http.ResponseWriter, r *http.Request) error {
	var in clockRequest
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	d, err := settings.ParseDuration(in.Advance)
	if err != nil || d <= 0 {
		return problem.FieldInvalid("advance", "must be an ISO 8601 duration longer than zero, such as P31D or PT2H")
	}
	c.offset.Add(int64(d))
	httpapi.Write(w, http.StatusOK, clockAnswer{Now: timestamp.New(c.Now())})
	return nil
}
