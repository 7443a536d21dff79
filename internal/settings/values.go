package settings

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sosodev/duration"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Bounds of the strings the settings accept.
const (
	maxName    = 100
	maxLabel   = 60
	maxBody    = 10000
	maxSubject = 200
	maxPhone   = 40
	maxOptions = 100
	maxPerList = 500
	maxRefs    = 100
	// maxDuration bounds every duration of the settings (SLA times, due
	// times, deadlines, link lifetimes); maxDurationText says it.
	maxDuration     = 366 * 24 * time.Hour
	maxDurationText = "366 days (P366D)"
	// maxObjectBytes bounds one stored object (DynamoDB's item limit is 400 KB).
	maxObjectBytes = 32 << 10
	// maxSettingsBytes bounds all settings of a tenant: they load whole on
	// every cache miss.
	maxSettingsBytes = 1 << 20
)

var colorPattern = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

func checkColor(errs *problem.Fields, field, c string) {
	if !colorPattern.MatchString(c) {
		errs.Add(field, "must be a colour written #RRGGBB, e.g. #1E88E5")
	}
}

// ParseDuration reads an ISO 8601 duration (PT4H, P2D, P1W) of at most
// 366 days. Years and months are refused: their length varies, and an
// SLA must not.
func ParseDuration(s string) (time.Duration, error) {
	d, err := duration.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("must be an ISO 8601 duration such as PT4H or P2D")
	}
	if d.Years != 0 || d.Months != 0 {
		return 0, fmt.Errorf("may not use years or months (their length varies); use days or weeks")
	}
	if d.Negative {
		return 0, fmt.Errorf("must be positive")
	}
	// Bounded before it becomes a time.Duration, which would overflow
	// past 292 years and make a very long duration look negative.
	seconds := d.Weeks*7*24*3600 + d.Days*24*3600 + d.Hours*3600 + d.Minutes*60 + d.Seconds
	if !(seconds <= maxDuration.Seconds()) {
		return 0, fmt.Errorf("may be at most %s", maxDurationText)
	}
	td := d.ToTimeDuration()
	if td <= 0 {
		return 0, fmt.Errorf("must be longer than zero")
	}
	return td, nil
}

func checkDuration(errs *problem.Fields, field, s string, required bool) (time.Duration, bool) {
	if s == "" {
		if required {
			errs.Add(field, "is required (an ISO 8601 duration such as PT4H)")
		}
		return 0, false
	}
	d, err := ParseDuration(s)
	if err != nil {
		errs.Add(field, "%s", err.Error())
		return 0, false
	}
	return d, true
}

// checkIDs checks a list of references: valid, unique, and each present in
// exists.
func checkIDs(errs *problem.Fields, field string, ids []string, what string, exists func(string) bool) {
	if len(ids) > maxRefs {
		errs.Add(field, "may hold at most %d entries", maxRefs)
		return
	}
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !validID(id):
			errs.Add(f, "is not a valid ID")
		case slices.Contains(ids[:i], id):
			errs.Add(f, "is listed twice")
		case !exists(id):
			errs.Add(f, "no %s has the ID %q", what, id)
		}
	}
}

// checkRef checks an optional single reference.
func checkRef(errs *problem.Fields, field, id, what string, exists func(string) bool) {
	if id == "" {
		return
	}
	if !validID(id) {
		errs.Add(field, "is not a valid ID")
		return
	}
	if !exists(id) {
		errs.Add(field, "no %s has the ID %q", what, id)
	}
}

// checkUniqueName refuses a name another object of the same collection
// already has (case-insensitively), so lists stay unambiguous.
func checkUniqueName[P interface{ object }](errs *problem.Fields, items map[string]P, id, name string, nameOf func(P) string) {
	for otherID, o := range items {
		if otherID != id && strings.EqualFold(nameOf(o), name) {
			errs.Add("name", "is already used by another object (ID %s)", otherID)
			return
		}
	}
}
