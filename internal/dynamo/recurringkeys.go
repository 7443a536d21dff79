package dynamo

// Recurring cases and SLA alerts. A definition is a settings item
// (SettingsPK, "RECURRING#<id>"), listed across tenants in GSI3 so that
// the daily reconciliation finds every definition with one Query a page.
// What became of its occurrences, and which schedule is its next, live
// in a partition of its own:
//
//	T#<t>#RECURRING#<id>   RUN#<scheduledFor>   one occurrence's run: the
//	                                            case it made, or why not
//	T#<t>#RECURRING#<id>   SCHEDULE             the schedule made for its
//	                                            next occurrence
//
// A case's SLA targets to watch are one item in the case's partition
// (CasePK, SLAWatchSK), written in the case's own transactions whenever
// they change; its stream record makes their schedules. A breach is
// recorded once, by an item beside it (SLABreachSK).
const (
	RecurringIndexPK = "RECURRING#definitions"
	RunSKPrefix      = "RUN#"
	RecurringStateSK = "SCHEDULE"
	SLAWatchSK       = "SLA#WATCH"
	slaBreachPrefix  = "SLA#BREACH#"
)

// RecurringPK is the partition of one definition's runs and schedule.
func RecurringPK(tenant, id string) string { return tenantPrefix(tenant) + "RECURRING#" + id }

// RunSK is the sort key of the run of the occurrence due at (a key time).
func RunSK(at string) string { return RunSKPrefix + at }

// RecurringIndexSK is a definition's GSI3 sort key: its tenant and ID.
func RecurringIndexSK(tenant, id string) string { return tenant + "#" + id }

// SLABreachSK is the sort key of the record that the target (start,
// resolve) due at (a key time) was breached.
func SLABreachSK(target, at string) string { return slaBreachPrefix + target + "#" + at }
