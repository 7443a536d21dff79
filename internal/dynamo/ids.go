package dynamo

import (
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// NewID returns a new object ID: a lower-case ULID, ordered by time.
func NewID(now time.Time) string {
	return strings.ToLower(ulid.MustNew(ulid.Timestamp(now), ulid.DefaultEntropy()).String())
}

// Stamp is a time as objects store it (createdAt, updatedAt): UTC, to the
// millisecond.
func Stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// keyTimeLayout writes times in keys at a fixed width, so that the strings
// sort as the times do (RFC 3339 with trimmed fractions would not).
const keyTimeLayout = "2006-01-02T15:04:05.000Z"

// KeyTime is a time as keys hold it.
func KeyTime(t time.Time) string { return t.UTC().Format(keyTimeLayout) }
