package dynamo

// Cases. A case's partition holds the case and everything that belongs to
// it, so that one Query reads the detail view:
//
//	A#CASE            the case
//	A#TASK#<id>       its tasks
//	A#TIME#<id>       its time reports
//	E#<time>#<id>     its event log, oldest first
//	FORM              its form: the questions of the version it was
//	                  given, the answers, who gave them and when
//
// "A#" items are the detail view (one Query with begins_with "A#"); the log
// is read separately, page by page.
const (
	CaseSK        = "A#CASE"
	CaseDetailSK  = "A#"
	TaskSKPrefix  = "A#TASK#"
	TimeSKPrefix  = "A#TIME#"
	EventSKPrefix = "E#"
	CaseFormSK    = "FORM"
)

// FormUsePK is the GSI3 partition of the cases given the form template
// with the ID: the item of each such case carries it, with its GSI3 sort
// key (FormUseSK) marked open while the case is neither closed nor
// deleted, so that "does an open case use this form?" is a Query of one
// item (begins_with FormOpenPrefix).
func FormUsePK(tenant, formID string) string { return tenantPrefix(tenant) + "FORMUSE#" + formID }

// FormOpenPrefix starts the GSI3 sort key of an open case in its form's
// partition (FormUsePK); a closed or deleted case's starts otherwise.
const FormOpenPrefix = "OPEN#"

// FormUseSK is a case's GSI3 sort key in its form's partition.
func FormUseSK(open bool, caseID string) string {
	if open {
		return FormOpenPrefix + caseID
	}
	return "DONE#" + caseID
}

// CasePK is the partition of one case.
func CasePK(tenant, caseID string) string { return tenantPrefix(tenant) + "CASE#" + caseID }

// TaskSK is the sort key of a task of a case.
func TaskSK(taskID string) string { return TaskSKPrefix + taskID }

// TimeSK is the sort key of a time report of a case.
func TimeSK(reportID string) string { return TimeSKPrefix + reportID }

// EventSK is the sort key of an event: time first, so the log reads in
// order.
func EventSK(at, eventID string) string { return EventSKPrefix + at + "#" + eventID }

// CaseCounterPK is the item holding a tenant's last case number.
func CaseCounterPK(tenant string) string { return tenantPrefix(tenant) + "COUNTER" }

// CaseCounterSK is the sort key of the case-number counter.
const CaseCounterSK = "CASE"

// CaseViewPK is the partition of one list of a tenant's cases: "all",
// "active", "status=<id>", "user=<id>", ... Each case has one small entry
// in every list it belongs to, sorted by creation in the table, by update
// time on GSI1 and by urgency on GSI2, so that every filter and sort is one
// Query that reads only the page it answers.
func CaseViewPK(tenant, view string) string { return tenantPrefix(tenant) + "CASES#" + view }

// CaseViewSK is the sort key of a case's entry in a list: creation time and
// case ID.
func CaseViewSK(createdAt, caseID string) string { return createdAt + "#" + caseID }

// CommentSKPrefix starts the sort keys of a case's internal comments.
const CommentSKPrefix = "C#"

// CommentSK is the sort key of a comment: time first, so they read in order.
func CommentSK(at, id string) string { return CommentSKPrefix + at + "#" + id }

// CaseSearchPK is the partition of the search entries of a tenant's cases
// that have a word beginning with prefix (its first two letters or digits,
// lower-cased): one small entry per case and prefix, sorted like a list
// entry (CaseViewSK), newest first when read backwards.
func CaseSearchPK(tenant, prefix string) string { return tenantPrefix(tenant) + "SEARCH#" + prefix }
