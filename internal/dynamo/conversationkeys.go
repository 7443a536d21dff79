package dynamo

// Conversations. A case's messages with its customer live in the case's
// partition (CasePK), beside its items, events and comments:
//
//	M#<time>#<id>       a message, oldest first
//	R#<limit>#<window>  a rate-limit counter of the case (replies, fresh
//	                    links), removed by TTL after its window
const (
	MessageSKPrefix = "M#"
	RateSKPrefix    = "R#"
)

// MessageSK is the sort key of a message: time first, so the conversation
// reads in order.
func MessageSK(at, id string) string { return MessageSKPrefix + at + "#" + id }

// RateSK is the sort key of the counter of limit in one window (its start,
// as a key time or any fixed-width text).
func RateSK(limit, window string) string { return RateSKPrefix + limit + "#" + window }
