package dynamo

import (
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// NewID returns a new object ID: a lower-case ULID, ordered by time.
func NewID(now time.Time) string {
	return strings.ToLower(ulid.MustNew(ulid.Timestamp(now), ulid.DefaultEntropy()).String())
}

// KeyTime is a time as keys hold it: as JSON writes it (timestamp.Layout),
// at a fixed width, so that the strings sort as the times do (RFC 3339
// with trimmed fractions would not).
func KeyTime(t time.Time) string { return t.UTC().Format(timestamp.Layout) }
