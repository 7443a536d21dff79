package dynamo

// Mail. A change that mails someone writes an outbox item in its own
// transaction; the mailer sends it. Pending items are also in GSI3 under
// one system-wide partition, so that a sweep (and the local stack) can find
// what the stream did not deliver; the entry is removed once sent.
const (
	OutboxSK         = "OUTBOX"
	OutboxPendingPK  = "OUTBOX#pending"
	NotificationsSK  = "N#"
	NotificationsTop = "STATE"
)

// OutboxPK is the partition of one outbox item.
func OutboxPK(tenant, id string) string { return tenantPrefix(tenant) + "OUTBOX#" + id }

// NotificationsPK is the partition of a user's in-app notifications, with
// its state item (unread count, read-up-to mark) beside them.
func NotificationsPK(tenant, userID string) string {
	return tenantPrefix(tenant) + "USER#" + userID + "#NOTIFICATIONS"
}

// NotificationSK is the sort key of a notification: time first, so the
// newest come first when read backwards (after the state item, "STATE",
// which sorts after every "N#...").
func NotificationSK(at, id string) string { return NotificationsSK + at + "#" + id }
