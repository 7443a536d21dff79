package notifications

import (
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

// isNotificationSK reports whether sk is the sort key of a notification:
// "N#<key time>#<ID>", the time the one its ID carries.
func isNotificationSK(sk string) bool {
	rest, found := strings.CutPrefix(sk, dynamo.NotificationsSK)
	if !found {
		return false
	}
	at, id, found := strings.Cut(rest, "#")
	if !found {
		return false
	}
	idAt, ok := atOf(id)
	return ok && idAt == at
}
