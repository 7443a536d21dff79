// Package timestamp is how every date-time of the API and of the stored
// objects is written in JSON: RFC 3339 in UTC with exactly three fraction
// digits, 2026-11-26T09:00:00.100Z. (Go's own time.Time writes the zone
// it has and trims trailing zeros, or writes nine digits.)
package timestamp

import (
	"errors"
	"time"
)

// Layout is the one written form of a date-time.
const Layout = "2006-01-02T15:04:05.000Z"

// Time is a time.Time written in JSON as Layout. Reading takes any RFC 3339
// time, so data written before keeps its meaning.
type Time struct{ time.Time }

// New is t as objects hold it: in UTC, truncated to the millisecond (the
// precision of Layout), so that what is written is what is kept.
func New(t time.Time) Time { return Time{t.UTC().Truncate(time.Millisecond)} }

// Ptr is New(t) as a pointer, for optional fields.
func Ptr(t time.Time) *Time {
	s := New(t)
	return &s
}

// String returns t written as Layout.
func (t Time) String() string { return t.UTC().Format(Layout) }

// MarshalText writes t as Layout, in UTC. A time whose year in UTC is not
// 0000 to 9999 has no such form and is an error.
func (t Time) MarshalText() ([]byte, error) {
	u := t.UTC()
	if y := u.Year(); y < 0 || y > 9999 {
		return nil, errors.New("timestamp: year outside the range 0000 to 9999")
	}
	return u.AppendFormat(make([]byte, 0, len(Layout)), Layout), nil
}

// MarshalJSON writes t as a JSON string of Layout, in UTC.
func (t Time) MarshalJSON() ([]byte, error) {
	b, err := t.MarshalText()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{'"'}, b...), '"'), nil
}

// UnmarshalJSON reads an RFC 3339 time (of any zone and precision); null
// leaves t as it is.
func (t *Time) UnmarshalJSON(b []byte) error { return t.Time.UnmarshalJSON(b) }
