package recurrence_test

import (
	"slices"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/recurrence"
)

// FuzzRecurrence: a recurring case's timing as a client sends it (an RRULE,
// a start in wall time, a zone, until or count) never panics the check;
// what it refuses is named by its field; what it takes has a first
// occurrence, answers occurrences in order that it says are occurrences,
// each shown and scheduled (at()) without panic, and parses again as
// stored.
func FuzzRecurrence(f *testing.F) {
	for _, s := range []struct {
		rule, start, zone, until string
		count                    int
	}{
		{"FREQ=MONTHLY;BYMONTHDAY=-1", "2026-01-31T07:00", "Europe/Stockholm", "", 0},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR", "2026-03-29T02:30", "Europe/Stockholm", "2026-12-31", 0},
		{"FREQ=DAILY", "2026-10-25T02:30:00", "Europe/Stockholm", "", 5},
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2028-02-29T12:00", "America/New_York", "", 3},
		{"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=31", "2026-01-01T08:00", "UTC", "", 0},
		{"FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=1", "2026-01-01T08:00", "Asia/Kolkata", "", 0},
		{"FREQ=HOURLY", "2026-01-01T08:00", "UTC", "", 0},
		{"FREQ=DAILY;BYHOUR=3", "x", "Local", "2025-01-01", -1},
		{"FREQ=DAILY;COUNT=3", "2201-01-01T00:00", "Nowhere/City", "2026-01-01T00:00", 10001},
		{"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "2026-01-01T07:00", "Europe/Stockholm", "", 0},
		{"RRULE:FREQ=DAILY\nX", "2026-01-01T07:00", "../../etc/passwd", "", 0},
	} {
		f.Add(s.rule, s.start, s.zone, s.until, s.count)
	}
	fields := []string{"rule", "start", "timeZone", "until", "count"}
	after := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, rule, start, zone, until string, count int) {
		spec := recurrence.Spec{Rule: rule, Start: start, TimeZone: zone, Until: until, Count: count}
		var errs problem.Fields
		sc := recurrence.Check(spec, &errs)
		if sc == nil {
			e, ok := errs.Err().(*problem.Error)
			if !ok || e.Code != problem.Invalid || len(e.Fields) == 0 {
				t.Fatalf("%+v refused with %v", spec, errs.Err())
			}
			for _, fe := range e.Fields {
				if !slices.Contains(fields, fe.Field) {
					t.Fatalf("%+v refused naming %q", spec, fe.Field)
				}
			}
			return
		}
		if errs.Len() > 0 {
			t.Fatalf("%+v taken with errors %v", spec, errs.Err())
		}
		first, ok := sc.Next(time.Time{})
		if !ok {
			t.Fatalf("%+v taken without an occurrence", spec)
		}
		upcoming := sc.Upcoming(first.Add(-time.Second), 5)
		if len(upcoming) == 0 || !upcoming[0].Equal(first) {
			t.Fatalf("%+v: first %v, upcoming %v", spec, first, upcoming)
		}
		for i, o := range append(upcoming, sc.Upcoming(after, 3)...) {
			if i > 0 && i < len(upcoming) && !o.After(upcoming[i-1]) {
				t.Fatalf("%+v: occurrences out of order: %v", spec, upcoming)
			}
			if !sc.Is(o) {
				t.Fatalf("%+v: %v is answered but not an occurrence", spec, o)
			}
			_ = sc.Show(o)
			if expr, z := sc.At(o); expr == "" || z == "" {
				t.Fatalf("%+v: no schedule for %v", spec, o)
			}
		}
		if _, err := recurrence.Parse(spec); err != nil {
			t.Fatalf("%+v taken, then refused as stored: %v", spec, err)
		}
	})
}
