// Package recurrence computes when a recurring case comes back: an RFC
// 5545 recurrence rule (FREQ=DAILY to YEARLY, parsed by
// github.com/teambition/rrule-go), a start in local wall time, an IANA
// time zone and an optional until or count. Occurrences are wall times of
// the zone: a daily 07:00 in Europe/Stockholm is 07:00 local on both sides
// of a clock change.
//
// Two wall times need a rule of their own, and follow RFC 5545 (3.3.5):
//   - one that does not exist (02:30 on the day clocks spring forward) is
//     read with the offset before the gap, so it is moved forward by the
//     gap: 03:30 summer time, the same instant;
//   - one that exists twice (02:30 on the day clocks fall back) is the
//     first of the two (summer time).
//
// The package does no I/O; it is shared by the settings (checking a
// definition, showing its next occurrence) and the recurring function.
package recurrence

import (
	"fmt"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Bounds of a definition's timing.
const (
	maxRule     = 200
	maxInterval = 1000
	// MaxCount bounds count.
	MaxCount = 10000
	// MaxPreview bounds how many occurrences a preview answers.
	MaxPreview = 100
	// maxScan bounds how many occurrences one computation walks through
	// from the start: a daily rule started 27 years ago.
	maxScan = 10000
	minYear = 2000
	maxYear = 2200
)

// The layouts of a wall time: start and until are written without an
// offset; the zone says where they are.
const (
	wallLayout   = "2006-01-02T15:04:05"
	wallShort    = "2006-01-02T15:04"
	dateLayout   = "2006-01-02"
	wallExamples = "2026-01-05T07:00 or 2026-01-05T07:00:00"
)

// Spec is a definition's timing as stored and sent.
type Spec struct {
	Rule     string
	Start    string
	TimeZone string
	// Until, when set, is the last wall time (or date: through that day)
	// an occurrence may have.
	Until string
	// Count, when above zero, is how many occurrences there are in all,
	// counted from the start.
	Count int
}

// Schedule is a checked Spec: it answers occurrences.
type Schedule struct {
	rule *rrule.RRule
	loc  *time.Location
	// Start is the start as a wall time of the zone (normalised, with
	// seconds).
	Start string
}

// Check checks s, adding what is wrong to errs under the names rule,
// start, timeZone, until and count, and answers its schedule, or nil.
func Check(s Spec, errs *problem.Fields) *Schedule {
	n := errs.Len()
	loc := checkZone(s.TimeZone, errs)
	opt := checkRule(s.Rule, errs)
	var start, until time.Time
	if loc != nil {
		start = checkWall(errs, "start", s.Start, loc, true, false)
		if s.Until != "" {
			until = checkWall(errs, "until", s.Until, loc, false, true)
		}
	}
	switch {
	case s.Count < 0 || s.Count > MaxCount:
		errs.Add("count", "must be between 1 and %d", MaxCount)
	case s.Count > 0 && s.Until != "":
		errs.Add("count", "give until or count, not both")
	}
	if !until.IsZero() && !start.IsZero() && until.Before(start) {
		errs.Add("until", "is before start")
	}
	if errs.Len() > n {
		return nil
	}
	opt.Dtstart, opt.Until, opt.Count = start, until, s.Count
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		errs.Add("rule", "is not a recurrence rule: %s", err.Error())
		return nil
	}
	sc := &Schedule{rule: r, loc: loc, Start: start.Format(wallLayout)}
	if _, ok := sc.first(); !ok {
		errs.Add("rule", "has no occurrence from start on")
		return nil
	}
	return sc
}

// Parse is Check for a Spec stored after it was checked: an error names
// what is wrong.
func Parse(s Spec) (*Schedule, error) {
	var errs problem.Fields
	sc := Check(s, &errs)
	if sc == nil {
		return nil, fmt.Errorf("recurrence: %w", errs.Err())
	}
	return sc, nil
}

func checkZone(zone string, errs *problem.Fields) *time.Location {
	if zone == "" || len(zone) > 64 || zone == "Local" {
		errs.Add("timeZone", "must be an IANA time zone such as Europe/Stockholm")
		return nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		errs.Add("timeZone", "must be an IANA time zone such as Europe/Stockholm")
		return nil
	}
	return loc
}

// checkRule parses an RRULE value (without "RRULE:"): DAILY to YEARLY,
// the time of day from start, until and count in their own fields.
func checkRule(rule string, errs *problem.Fields) *rrule.ROption {
	if rule == "" || len(rule) > maxRule || strings.ContainsAny(rule, "\r\n:") {
		errs.Add("rule", "must be an RFC 5545 rule of at most %d characters such as FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", maxRule)
		return nil
	}
	opt, err := rrule.StrToROption(rule)
	if err != nil {
		errs.Add("rule", "is not an RFC 5545 rule: %s", err.Error())
		return nil
	}
	switch {
	case opt.Freq != rrule.DAILY && opt.Freq != rrule.WEEKLY && opt.Freq != rrule.MONTHLY && opt.Freq != rrule.YEARLY:
		errs.Add("rule", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
	case len(opt.Byhour)+len(opt.Byminute)+len(opt.Bysecond) > 0:
		errs.Add("rule", "may not have BYHOUR, BYMINUTE or BYSECOND: the time of day is start's")
	case opt.Count != 0 || !opt.Until.IsZero() || !opt.Dtstart.IsZero():
		errs.Add("rule", "may not have COUNT, UNTIL or DTSTART: give count, until and start as fields of their own")
	case opt.Interval > maxInterval:
		errs.Add("rule", "INTERVAL may be at most %d", maxInterval)
	default:
		return opt
	}
	return nil
}

// checkWall reads a wall time of loc (or, with dateOK, a date: its last
// second).
func checkWall(errs *problem.Fields, field, s string, loc *time.Location, required, dateOK bool) time.Time {
	if s == "" {
		if required {
			errs.Add(field, "is required: a local date and time such as %s", wallExamples)
		}
		return time.Time{}
	}
	for _, layout := range []string{wallLayout, wallShort} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return inRange(errs, field, t)
		}
	}
	if dateOK {
		if t, err := time.ParseInLocation(dateLayout, s, loc); err == nil {
			return inRange(errs, field, time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, loc))
		}
	}
	errs.Add(field, "must be a local date and time without offset, such as %s (the zone is timeZone)", wallExamples)
	return time.Time{}
}

func inRange(errs *problem.Fields, field string, t time.Time) time.Time {
	if t.Year() < minYear || t.Year() > maxYear {
		errs.Add(field, "must be in the years %d to %d", minYear, maxYear)
		return time.Time{}
	}
	return t
}

// Location is the schedule's zone.
func (s *Schedule) Location() *time.Location { return s.loc }

// walk calls yield with each occurrence in order, as RFC 5545 reads its
// wall time (see the package comment), until yield answers false or
// maxScan occurrences have gone by.
func (s *Schedule) walk(yield func(time.Time) bool) {
	next := s.rule.Iterator()
	for range maxScan {
		t, ok := next()
		if !ok || !yield(firstOfTwo(t)) {
			return
		}
	}
}

func (s *Schedule) first() (time.Time, bool) { return s.Next(time.Time{}) }

// Next is the first occurrence after after, if there is one.
func (s *Schedule) Next(after time.Time) (time.Time, bool) {
	var out time.Time
	s.walk(func(t time.Time) bool {
		if t.After(after) {
			out = t
			return false
		}
		return true
	})
	return out, !out.IsZero()
}

// Upcoming is the first n occurrences after after.
func (s *Schedule) Upcoming(after time.Time, n int) []time.Time {
	out := []time.Time{}
	s.walk(func(t time.Time) bool {
		if t.After(after) {
			out = append(out, t)
		}
		return len(out) < n
	})
	return out
}

// Is reports whether t is an occurrence.
func (s *Schedule) Is(t time.Time) bool {
	next, ok := s.Next(t.Add(-time.Second))
	return ok && next.Equal(t)
}

// firstOfTwo is t, or, when t's wall time happens twice in its zone (the
// hour clocks fall back), the first of the two. (Go's time.Date picks the
// second; a wall time that does not exist it already moves forward by the
// gap, as RFC 5545 asks.)
func firstOfTwo(t time.Time) time.Time {
	_, off := t.Zone()
	_, before := t.Add(-12 * time.Hour).Zone()
	if before <= off {
		return t
	}
	earlier := t.Add(-time.Duration(before-off) * time.Second)
	if wall(earlier) == wall(t) {
		return earlier
	}
	return t
}

func wall(t time.Time) string { return t.Format(wallLayout) }

// Ambiguous reports whether t's wall time happens twice in its zone.
func Ambiguous(t time.Time) bool {
	for _, d := range []time.Duration{-time.Hour, time.Hour, -30 * time.Minute, 30 * time.Minute} {
		if o := t.Add(d); wall(o) == wall(t) {
			return true
		}
	}
	return false
}

// Occurrence is an occurrence as the API shows it.
type Occurrence struct {
	// At is the instant, UTC.
	At timestamp.Time `json:"at"`
	// Local is the wall time in the definition's zone, with its offset
	// (2026-03-30T07:00:00+02:00).
	Local string `json:"local"`
	// Offset is the zone's UTC offset then (+02:00).
	Offset string `json:"offset"`
}

// Show is the occurrence t as the API shows it.
func (s *Schedule) Show(t time.Time) Occurrence {
	l := t.In(s.loc)
	return Occurrence{At: timestamp.New(t), Local: l.Format(time.RFC3339), Offset: l.Format("-07:00")}
}

// The placeholders a title may use.
var titlePlaceholders = map[string]func(time.Time) string{
	"occurrence.date": func(t time.Time) string { return t.Format(dateLayout) },
	"occurrence.week": func(t time.Time) string { _, w := t.ISOWeek(); return fmt.Sprint(w) },
	"occurrence.month": func(t time.Time) string {
		return t.Format("2006-01")
	},
}

// CheckTitle refuses placeholders of a title other than
// {{occurrence.date}}, {{occurrence.week}} and {{occurrence.month}}.
func CheckTitle(errs *problem.Fields, field, title string) {
	rest := title
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			errs.Add(field, "has a {{ that does not form a placeholder such as {{occurrence.date}}")
			return
		}
		if _, ok := titlePlaceholders[strings.TrimSpace(rest[i+2:i+j])]; !ok {
			errs.Add(field, "unknown placeholder %s; a title may use {{occurrence.date}}, {{occurrence.week}} and {{occurrence.month}}", rest[i:i+j+2])
			return
		}
		rest = rest[i+j+2:]
	}
	if strings.Contains(rest, "}}") {
		errs.Add(field, "has a }} that does not form a placeholder such as {{occurrence.date}}")
	}
}

// Title fills the placeholders of title for the occurrence at t, in its
// local date: {{occurrence.date}} 2026-03-30, {{occurrence.week}} the ISO
// week (14), {{occurrence.month}} 2026-03.
func (s *Schedule) Title(title string, t time.Time) string {
	l := t.In(s.loc)
	for name, f := range titlePlaceholders {
		title = strings.ReplaceAll(title, "{{"+name+"}}", f(l))
		title = strings.ReplaceAll(title, "{{ "+name+" }}", f(l))
	}
	return title
}

// At is the one-time schedule expression of the occurrence t and its
// zone: at(yyyy-mm-ddThh:mm:ss) in the definition's zone, or, for the one
// hour a year whose wall times happen twice, in UTC (a wall time there
// would not say which of the two).
func (s *Schedule) At(t time.Time) (expr, zone string) {
	return AtIn(t, s.loc)
}

// AtIn is At for any zone (SLA targets use UTC).
func AtIn(t time.Time, loc *time.Location) (expr, zone string) {
	l := t.In(loc)
	if Ambiguous(l) {
		l, loc = t.UTC(), time.UTC
	}
	return "at(" + l.Format(wallLayout) + ")", loc.String()
}
