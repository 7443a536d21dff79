package notifications

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
)

// NewID returns the ID of a notification made at at: "<unix millis>-<id>".
// It carries its time, so that marking it read needs no lookup to find its
// key.
func NewID(at time.Time, id string) string {
	return strconv.FormatInt(at.UnixMilli(), 10) + "-" + id
}

// atOf returns the key time of a notification ID, if it is one.
func atOf(id string) (string, bool) {
	stamp, rest, found := strings.Cut(id, "-")
	if !found || !identity.ValidID(id) || rest == "" {
		return "", false
	}
	ms, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil || ms <= 0 {
		return "", false
	}
	return dynamo.KeyTime(time.UnixMilli(ms)), true
}

func encodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

func decodeCursor(c string) (at, id string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	id = string(b)
	at, ok = atOf(id)
	return at, id, ok
}
