package recurrence_test

import (
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/recurrence"
)

func schedule(t *testing.T, s recurrence.Spec) *recurrence.Schedule {
	t.Helper()
	if s.TimeZone == "" {
		s.TimeZone = "Europe/Stockholm"
	}
	var errs problem.Fields
	sc := recurrence.Check(s, &errs)
	if sc == nil {
		t.Fatalf("%+v: %v", s, errs.Err())
	}
	return sc
}

// locals are the occurrences as wall times with their offsets.
func locals(sc *recurrence.Schedule, after time.Time, n int) []string {
	var out []string
	for _, o := range sc.Upcoming(after, n) {
		out = append(out, sc.Show(o).Local)
	}
	return out
}

func equal(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got\n %v\nwant\n %v", got, want)
	}
}

var begin = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// TestDailyKeepsTheWallTimeAcrossClockChanges: 07:00 in Stockholm is
// 07:00 local on both sides of the March and the October change.
func TestDailyKeepsTheWallTimeAcrossClockChanges(t *testing.T) {
	sc := schedule(t, recurrence.Spec{Rule: "FREQ=DAILY", Start: "2026-03-28T07:00"})
	equal(t, locals(sc, begin, 3), "2026-03-28T07:00:00+01:00", "2026-03-29T07:00:00+02:00", "2026-03-30T07:00:00+02:00")
	oct := time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC)
	equal(t, locals(sc, oct, 3), "2026-10-24T07:00:00+02:00", "2026-10-25T07:00:00+01:00", "2026-10-26T07:00:00+01:00")
	// And the instants are an hour apart in UTC across the change.
	up := sc.Upcoming(oct, 2)
	if up[1].Sub(up[0]) != 25*time.Hour {
		t.Errorf("07:00 to 07:00 across the October change is %v, want 25h", up[1].Sub(up[0]))
	}
}

// TestTimesThatDoNotExistOrExistTwice: 02:30 does not exist on the day
// clocks spring forward (moved forward by the gap: 03:30 summer time),
// and exists twice on the day they fall back (the first: summer time).
func TestTimesThatDoNotExistOrExistTwice(t *testing.T) {
	sc := schedule(t, recurrence.Spec{Rule: "FREQ=DAILY", Start: "2026-03-28T02:30"})
	equal(t, locals(sc, begin, 3), "2026-03-28T02:30:00+01:00", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00")
	oct := time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC)
	equal(t, locals(sc, oct, 3), "2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00")

	// The schedule expression of the doubled hour is in UTC, which says
	// which of the two; every other in the zone.
	twice := sc.Upcoming(oct, 2)[1]
	if expr, zone := sc.At(twice); expr != "at(2026-10-25T00:30:00)" || zone != "UTC" {
		t.Errorf("doubled hour: %s %s", expr, zone)
	}
	gap := sc.Upcoming(begin, 2)[1]
	if expr, zone := sc.At(gap); expr != "at(2026-03-29T03:30:00)" || zone != "Europe/Stockholm" {
		t.Errorf("gap: %s %s", expr, zone)
	}
	if !sc.Is(gap) || sc.Is(gap.Add(time.Hour)) {
		t.Error("Is does not know the moved occurrence")
	}
}

// TestMonthEnds: BYMONTHDAY=31 skips the months without a 31st (RFC
// 5545); BYMONTHDAY=-1 is every month's last day.
func TestMonthEnds(t *testing.T) {
	sc := schedule(t, recurrence.Spec{Rule: "FREQ=MONTHLY;BYMONTHDAY=31", Start: "2026-01-01T08:00"})
	equal(t, locals(sc, begin, 4), "2026-01-31T08:00:00+01:00", "2026-03-31T08:00:00+02:00", "2026-05-31T08:00:00+02:00", "2026-07-31T08:00:00+02:00")
	last := schedule(t, recurrence.Spec{Rule: "FREQ=MONTHLY;BYMONTHDAY=-1", Start: "2028-01-01T08:00"})
	equal(t, locals(last, begin, 3), "2028-01-31T08:00:00+01:00", "2028-02-29T08:00:00+01:00", "2028-03-31T08:00:00+02:00")
}

// TestLeapYears: the 29th of February comes every four years; a yearly
// rule from it does not move to the 28th or the 1st.
func TestLeapYears(t *testing.T) {
	sc := schedule(t, recurrence.Spec{Rule: "FREQ=YEARLY", Start: "2028-02-29T09:00"})
	equal(t, locals(sc, begin, 3), "2028-02-29T09:00:00+01:00", "2032-02-29T09:00:00+01:00", "2036-02-29T09:00:00+01:00")
}

// TestCountAndUntil: count counts from start; until (a date: through
// that day) is the last day there may be one.
func TestCountAndUntil(t *testing.T) {
	sc := schedule(t, recurrence.Spec{Rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", Start: "2026-01-05T07:00", Count: 3})
	equal(t, locals(sc, begin, 10), "2026-01-05T07:00:00+01:00", "2026-01-19T07:00:00+01:00", "2026-02-02T07:00:00+01:00")
	if _, ok := sc.Next(time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("a next after the count")
	}
	u := schedule(t, recurrence.Spec{Rule: "FREQ=DAILY", Start: "2026-01-05T07:00", Until: "2026-01-07"})
	equal(t, locals(u, begin, 10), "2026-01-05T07:00:00+01:00", "2026-01-06T07:00:00+01:00", "2026-01-07T07:00:00+01:00")
	// Counted from start, not from now: two are left after the first.
	equal(t, locals(sc, time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC), 10), "2026-01-19T07:00:00+01:00", "2026-02-02T07:00:00+01:00")
}

func TestRefused(t *testing.T) {
	for _, tc := range []struct {
		spec  recurrence.Spec
		field string
	}{
		{recurrence.Spec{Rule: "FREQ=HOURLY", Start: "2026-01-05T07:00"}, "rule"},
		{recurrence.Spec{Rule: "FREQ=DAILY;BYHOUR=7,9", Start: "2026-01-05T07:00"}, "rule"},
		{recurrence.Spec{Rule: "FREQ=DAILY;COUNT=3", Start: "2026-01-05T07:00"}, "rule"},
		{recurrence.Spec{Rule: "FREQ=DAILY;UNTIL=20260101T000000Z", Start: "2026-01-05T07:00"}, "rule"},
		{recurrence.Spec{Rule: "RRULE:FREQ=DAILY", Start: "2026-01-05T07:00"}, "rule"},
		{recurrence.Spec{Rule: "FREQ=DAILY;BYSOMETHING=1", Start: "2026-01-05T07:00"}, "rule"},
		{recurrence.Spec{Rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", Start: "2026-01-05T07:00"}, "rule"},
		{recurrence.Spec{Rule: "FREQ=DAILY", Start: "2026-01-05T07:00+01:00"}, "start"},
		{recurrence.Spec{Rule: "FREQ=DAILY", Start: "1999-01-05T07:00"}, "start"},
		{recurrence.Spec{Rule: "FREQ=DAILY", Start: "2026-01-05T07:00", TimeZone: "Mars/Olympus"}, "timeZone"},
		{recurrence.Spec{Rule: "FREQ=DAILY", Start: "2026-01-05T07:00", Count: 3, Until: "2026-02-01"}, "count"},
		{recurrence.Spec{Rule: "FREQ=DAILY", Start: "2026-01-05T07:00", Until: "2025-02-01"}, "until"},
		{recurrence.Spec{Rule: "FREQ=DAILY", Start: "2026-01-05T07:00", Count: -1}, "count"},
	} {
		if tc.spec.TimeZone == "" {
			tc.spec.TimeZone = "Europe/Stockholm"
		}
		var errs problem.Fields
		if sc := recurrence.Check(tc.spec, &errs); sc != nil {
			t.Errorf("%+v accepted", tc.spec)
			continue
		}
		if !strings.Contains(errs.Err().Error(), tc.field) {
			t.Errorf("%+v: %v, want an error of %s", tc.spec, errs.Err(), tc.field)
		}
	}
}

func TestTitle(t *testing.T) {
	sc := schedule(t, recurrence.Spec{Rule: "FREQ=MONTHLY", Start: "2026-03-30T07:00"})
	next := sc.Upcoming(begin, 1)[0]
	if got := sc.Title("Service {{occurrence.month}} v.{{occurrence.week}} ({{ occurrence.date }})", next); got != "Service 2026-03 v.14 (2026-03-30)" {
		t.Errorf("title %q", got)
	}
	for title, ok := range map[string]bool{"Plain": true, "{{occurrence.date}}": true, "{{case.number}}": false, "a {{ b": false, "a }} b": false} {
		var errs problem.Fields
		recurrence.CheckTitle(&errs, "title", title)
		if (errs.Len() == 0) != ok {
			t.Errorf("%q: %v", title, errs.Err())
		}
	}
}
