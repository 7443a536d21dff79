package timestamp_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/timestamp"
)

// TestWritten: every time is written in UTC with exactly three fraction
// digits, whatever its zone and precision.
func TestWritten(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), `"2026-11-26T09:00:00.000Z"`},
		{time.Date(2026, 11, 26, 9, 0, 0, 100_000_000, time.UTC), `"2026-11-26T09:00:00.100Z"`},
		{time.Date(2026, 11, 26, 9, 0, 0, 123_456_789, time.UTC), `"2026-11-26T09:00:00.123Z"`}, // cut, not rounded
		{time.Date(2026, 11, 26, 10, 0, 0, 999_999_999, cet), `"2026-11-26T09:00:00.999Z"`},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), `"0000-01-01T00:00:00.000Z"`},
		{time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, time.UTC), `"9999-12-31T23:59:59.999Z"`},
		{time.Time{}, `"0001-01-01T00:00:00.000Z"`},
	} {
		got, err := json.Marshal(timestamp.Time{Time: tc.in})
		if err != nil || string(got) != tc.want {
			t.Errorf("%v: %s, %v; want %s", tc.in, got, err, tc.want)
		}
		if s := (timestamp.Time{Time: tc.in}).String(); `"`+s+`"` != tc.want {
			t.Errorf("%v: String %s, want %s", tc.in, s, tc.want)
		}
	}
	// A pointer, in a struct, as the API objects hold them.
	at := timestamp.New(time.Date(2026, 11, 26, 9, 0, 0, 100_000_000, time.UTC))
	got, _ := json.Marshal(struct {
		At  timestamp.Time  `json:"at"`
		Due *timestamp.Time `json:"due,omitempty"`
		No  *timestamp.Time `json:"no,omitempty"`
	}{At: at, Due: &at})
	if want := `{"at":"2026-11-26T09:00:00.100Z","due":"2026-11-26T09:00:00.100Z"}`; string(got) != want {
		t.Errorf("struct: %s, want %s", got, want)
	}
}

// TestYearsOutsideTheLayout: a time outside the years 0000 to 9999 in UTC
// has no RFC 3339 form: an error, not a malformed string.
func TestYearsOutsideTheLayout(t *testing.T) {
	for _, in := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(0, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600)), // 31 Dec of year -1 in UTC
	} {
		if got, err := json.Marshal(timestamp.Time{Time: in}); err == nil {
			t.Errorf("%v: %s, want an error", in, got)
		}
	}
}

// TestRead: any RFC 3339 time reads (data written before, with trimmed or
// nine fraction digits or an offset, keeps its instant); null leaves the
// time as it is; anything else is an error.
func TestRead(t *testing.T) {
	want := time.Date(2026, 11, 26, 9, 0, 0, 100_000_000, time.UTC)
	for _, in := range []string{
		`"2026-11-26T09:00:00.1Z"`,
		`"2026-11-26T09:00:00.100Z"`,
		`"2026-11-26T09:00:00.100000000Z"`,
		`"2026-11-26T10:00:00.1+01:00"`,
	} {
		var got timestamp.Time
		if err := json.Unmarshal([]byte(in), &got); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v, %v; want %v", in, got, err, want)
		}
	}
	got := timestamp.Time{Time: want}
	if err := json.Unmarshal([]byte(`null`), &got); err != nil || !got.Equal(want) {
		t.Errorf("null: %v, %v; want it unchanged", got, err)
	}
	var p *timestamp.Time
	if err := json.Unmarshal([]byte(`null`), &p); err != nil || p != nil {
		t.Errorf("null into a pointer: %v, %v", p, err)
	}
	for _, in := range []string{`"2026-11-26"`, `"2026-11-26 09:00:00Z"`, `"yesterday"`, `1764147600`, `"2026-11-26T09:00:00"`} {
		var got timestamp.Time
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("%s: read as %v, want an error", in, got)
		}
	}
}

// TestNew: New is UTC to the millisecond, so that what an object holds is
// what it writes.
func TestNew(t *testing.T) {
	in := time.Date(2026, 11, 26, 10, 0, 0, 123_456_789, time.FixedZone("CET", 3600))
	got := timestamp.New(in)
	if got.Location() != time.UTC || got.Nanosecond() != 123_000_000 || !got.Equal(in.Truncate(time.Millisecond)) {
		t.Errorf("New(%v) = %v (%s)", in, got.Time, got.Location())
	}
	if p := timestamp.Ptr(in); *p != got {
		t.Errorf("Ptr(%v) = %v, want %v", in, *p, got)
	}
}
