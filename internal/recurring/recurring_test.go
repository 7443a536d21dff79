package recurring_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

func daily(title string) map[string]any {
	return map[string]any{"name": "Morgonkoll", "active": true, "rule": "FREQ=DAILY", "start": "2026-03-28T07:00",
		"case": map[string]any{"title": title, "priorityId": "priority-high"}}
}

// TestDailyAcrossTheClockChange: a daily 07:00 definition shows its next
// occurrence, previews 07:00 local on both sides of the March change,
// and is scheduled at(...T07:00:00) in its zone; each occurrence's
// trigger makes its case, records the run and schedules the next, in a
// known number of round trips.
func TestDailyAcrossTheClockChange(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC))
	def := e.Do(&admin, "POST", "/v1/settings/recurring-cases", daily("Koll {{occurrence.date}} v.{{occurrence.week}}")).Must(t, http.StatusCreated)
	id := def.Str("id")
	if def.Str("timeZone") != "Europe/Stockholm" || def.Obj("next")["local"] != "2026-03-28T07:00:00+01:00" {
		t.Fatalf("zone %s, next %v", def.Str("timeZone"), def.Obj("next"))
	}
	var offsets []string
	for _, o := range e.Do(&agent, "GET", "/v1/settings/recurring-cases/"+id+"/preview?count=3", nil).Must(t, http.StatusOK).Items() {
		offsets = append(offsets, o["local"].(string))
	}
	if strings.Join(offsets, " ") != "2026-03-28T07:00:00+01:00 2026-03-29T07:00:00+02:00 2026-03-30T07:00:00+02:00" {
		t.Errorf("preview %v", offsets)
	}

	e.definitionChanged(id)
	s := e.schedules("rc")
	if len(s) != 1 || s[0].Expression != "at(2026-03-28T07:00:00)" || s[0].Zone != "Europe/Stockholm" {
		t.Fatalf("schedules %+v", s)
	}

	// Saturday 07:00 CET: the case, the run, and Sunday's schedule at
	// 07:00 CEST. A trigger costs: the settings (Query), the number
	// (UpdateItem), the case with its run (TransactWriteItems), the
	// schedule state (GetItem) and its new value (TransactWriteItems).
	e.clock.Advance(local(2026, 3, 28, 7, 0).Sub(e.clock.Now()))
	e.db.Counter.Expect(t.Errorf, "a trigger", map[string]int{"Query": 1, "UpdateItem": 1, "TransactWriteItems": 2, "GetItem": 1}, func() {
		if n := e.sched.Due(context.Background()); n != 1 {
			t.Errorf("fired %d", n)
		}
	})
	cs := e.recurringCases()
	if len(cs) != 1 || cs[0]["title"] != "Koll 2026-03-28 v.13" || cs[0]["recurringId"] != id || cs[0]["priorityId"] != "priority-high" {
		t.Fatalf("cases %v", cs)
	}
	runs := e.runs(id)
	if len(runs) != 1 || runs[0]["outcome"] != "created" || runs[0]["caseId"] != cs[0]["id"] {
		t.Fatalf("runs %v", runs)
	}
	s = e.schedules("rc")
	if len(s) != 1 || s[0].Expression != "at(2026-03-29T07:00:00)" || !s[0].Time.Equal(time.Date(2026, 3, 29, 5, 0, 0, 0, time.UTC)) {
		t.Fatalf("next schedule %+v", s)
	}
}

// TestTriggerDeliveredTenTimes: ten deliveries of one trigger, at once,
// make one case and one run.
func TestTriggerDeliveredTenTimes(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 28, 6, 0, 0, 0, time.UTC))
	id := e.post("/v1/settings/recurring-cases", daily("Koll"))
	at := local(2026, 3, 28, 7, 0)
	e.clock.Advance(at.Sub(e.clock.Now()))
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { e.fire(occurrence(id, at)) })
	}
	wg.Wait()
	e.fire(occurrence(id, at))
	if cs := e.recurringCases(); len(cs) != 1 {
		t.Fatalf("%d cases from one occurrence", len(cs))
	}
	if runs := e.runs(id); len(runs) != 1 || runs[0]["outcome"] != "created" {
		t.Fatalf("runs %v", runs)
	}
}

// TestPauseAndResume: a paused definition has no schedule and its
// triggers make nothing; resumed days later, it continues from then,
// without the occurrences it missed, and a late trigger of one of those
// is recorded, not made.
func TestPauseAndResume(t *testing.T) {
	e := newEnv(t, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	d := e.Do(&admin, "POST", "/v1/settings/recurring-cases", daily("Koll")).Must(t, http.StatusCreated)
	id := d.Str("id")
	e.definitionChanged(id)
	e.Do(&admin, "PATCH", "/v1/settings/recurring-cases/"+id, map[string]any{"active": false}, apitest.IfMatch(1)...).Must(t, http.StatusOK)
	e.definitionChanged(id)
	if s := e.schedules("rc"); len(s) != 0 {
		t.Fatalf("a paused definition keeps %v", s)
	}
	e.clock.Advance(4 * 24 * time.Hour) // Sunday 5 April, 14:00 local
	if n := e.sched.Due(context.Background()); n != 0 {
		t.Fatalf("fired %d while paused", n)
	}
	missed := local(2026, 4, 3, 7, 0)
	e.fire(occurrence(id, missed))
	res := e.Do(&admin, "PATCH", "/v1/settings/recurring-cases/"+id, map[string]any{"active": true}, apitest.IfMatch(2)...).Must(t, http.StatusOK)
	if res.Obj("next")["local"] != "2026-04-06T07:00:00+02:00" {
		t.Errorf("resumed next %v", res.Obj("next"))
	}
	e.definitionChanged(id)
	e.fire(occurrence(id, local(2026, 4, 4, 7, 0))) // late, from the paused days
	s := e.schedules("rc")
	if len(s) != 1 || s[0].Expression != "at(2026-04-06T07:00:00)" {
		t.Fatalf("resumed schedules %+v", s)
	}
	if cs := e.recurringCases(); len(cs) != 0 {
		t.Fatalf("a burst: %d cases", len(cs))
	}
	runs := e.runs(id)
	if len(runs) != 2 || runs[0]["outcome"] != "skipped" || runs[1]["outcome"] != "skipped" ||
		!strings.Contains(runs[1]["reason"].(string), "paused") || !strings.Contains(runs[0]["reason"].(string), "paused") {
		t.Fatalf("runs %v", runs)
	}
}

// TestEditBetweenSchedulingAndFiring: the rule is edited after 07:00 was
// scheduled and before the stream caught up: the 07:00 trigger makes no
// case (recorded), schedules 08:00, and 08:00 makes the case.
func TestEditBetweenSchedulingAndFiring(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC))
	id := e.post("/v1/settings/recurring-cases", daily("Koll"))
	e.definitionChanged(id)
	e.Do(&admin, "PATCH", "/v1/settings/recurring-cases/"+id, map[string]any{"start": "2026-03-28T08:00"}, apitest.IfMatch(1)...).Must(t, http.StatusOK)
	e.clock.Advance(local(2026, 5, 5, 7, 0).Sub(e.clock.Now()))
	if n := e.sched.Due(context.Background()); n != 1 {
		t.Fatalf("fired %d", n)
	}
	if cs := e.recurringCases(); len(cs) != 0 {
		t.Fatalf("the edited-away occurrence made %v", cs)
	}
	s := e.schedules("rc")
	if len(s) != 1 || s[0].Expression != "at(2026-05-05T08:00:00)" {
		t.Fatalf("schedules %+v", s)
	}
	e.clock.Advance(time.Hour)
	e.sched.Due(context.Background())
	if cs := e.recurringCases(); len(cs) != 1 {
		t.Fatalf("%d cases", len(cs))
	}
	runs := e.runs(id)
	if len(runs) != 2 || runs[0]["outcome"] != "created" || runs[1]["outcome"] != "skipped" || !strings.Contains(runs[1]["reason"].(string), "edited") {
		t.Fatalf("runs %v", runs)
	}
}

// TestDeletedCustomer: an active definition keeps its customer, type and
// priority from deletion (409 naming it). A customer gone past that
// (removed from the table directly) makes the occurrence fail: the run
// says why, the admins are notified, and the next one is still
// scheduled. Deleting the definition stops it; its cases stay.
func TestDeletedCustomer(t *testing.T) {
	e := newEnv(t, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	cust := e.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Bergvärme AB", "kind": "company",
		"contacts": []map[string]any{{"name": "Bo Berg", "email": "bo@berg.example"}}}).Must(t, http.StatusCreated)
	prio := e.post("/v1/settings/priorities", map[string]any{"name": "Service", "color": "#123456", "startWithin": "P1D", "resolveWithin": "P7D"})
	body := daily("Service")
	body["case"] = map[string]any{"title": "Service", "customerId": cust.Str("id"), "contactId": cust.List("contacts")[0]["id"], "priorityId": prio}
	id := e.post("/v1/settings/recurring-cases", body)

	for _, path := range []string{"/v1/customers/" + cust.Str("id"), "/v1/settings/priorities/" + prio} {
		res := e.Do(&admin, "DELETE", path, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
		if !strings.Contains(res.Detail(), "Morgonkoll") {
			t.Errorf("DELETE %s: %s", path, res.Detail())
		}
	}
	bad := daily("x")
	bad["name"] = "Annan"
	bad["case"] = map[string]any{"title": "x", "customerId": apitest.NoSuchID}
	e.Do(&admin, "POST", "/v1/settings/recurring-cases", bad).MustProblem(t, http.StatusBadRequest, "case.customerId")

	_, err := e.db.Client.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(e.db.Table.Name),
		Key: dynamo.Key(dynamo.CustomerPK("acme", cust.Str("id")), dynamo.CustomerSK)})
	if err != nil {
		t.Fatal(err)
	}
	at := local(2026, 6, 2, 7, 0)
	e.clock.Advance(at.Sub(e.clock.Now()))
	e.fire(occurrence(id, at))
	runs := e.runs(id)
	if len(runs) != 1 || runs[0]["outcome"] != "failed" || !strings.Contains(runs[0]["reason"].(string), "customerId") {
		t.Fatalf("runs %v", runs)
	}
	inbox := e.Do(&admin, "GET", "/v1/notifications", nil).Must(t, http.StatusOK).Items()
	if len(inbox) != 1 || inbox[0]["type"] != "recurring-failed" || inbox[0]["recurringId"] != id {
		t.Fatalf("inbox %v", inbox)
	}
	if s := e.schedules("rc"); len(s) != 1 || s[0].Expression != "at(2026-06-03T07:00:00)" {
		t.Fatalf("next %+v", s)
	}

	e.Do(&admin, "DELETE", "/v1/settings/recurring-cases/"+id, nil, "If-Match", "*").Must(t, http.StatusNoContent)
	e.definitionChanged(id)
	if s := e.schedules("rc"); len(s) != 0 {
		t.Fatalf("a deleted definition keeps %v", s)
	}
	e.Do(&admin, "DELETE", "/v1/settings/priorities/"+prio, nil, "If-Match", "*").Must(t, http.StatusNoContent)
}

// TestDraftPreview: a draft is previewed without being saved; the 31st
// skips the months without one.
func TestDraftPreview(t *testing.T) {
	e := newEnv(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	res := e.Do(&admin, "POST", "/v1/settings/recurring-cases/preview?count=4", map[string]any{"name": "Månadsslut",
		"rule": "FREQ=MONTHLY;BYMONTHDAY=31", "start": "2026-01-01T08:00", "case": map[string]any{"title": "Avstämning {{occurrence.month}}"}}).Must(t, http.StatusOK)
	var got []string
	for _, o := range res.Items() {
		got = append(got, o["local"].(string)+" "+o["title"].(string))
	}
	want := "2026-01-31T08:00:00+01:00 Avstämning 2026-01,2026-03-31T08:00:00+02:00 Avstämning 2026-03,2026-05-31T08:00:00+02:00 Avstämning 2026-05,2026-07-31T08:00:00+02:00 Avstämning 2026-07"
	if strings.Join(got, ",") != want {
		t.Errorf("preview %v", got)
	}
	e.Do(&admin, "POST", "/v1/settings/recurring-cases/preview", map[string]any{"name": "x", "rule": "FREQ=HOURLY", "start": "2026-01-01T08:00",
		"case": map[string]any{"title": "x"}}).MustProblem(t, http.StatusBadRequest, "rule")
	if n := len(e.Do(&admin, "GET", "/v1/settings/recurring-cases", nil).Must(t, http.StatusOK).Items()); n != 0 {
		t.Errorf("a draft was saved: %d definitions", n)
	}
}

// TestReconcileHeals: a definition whose stream record was lost gets its
// schedule from the daily reconciliation; one in step is left alone.
func TestReconcileHeals(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC))
	id := e.post("/v1/settings/recurring-cases", daily("Koll"))
	n, err := e.areas.Recurring.Reconcile(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("reconciled %d: %v", n, err)
	}
	if s := e.schedules("rc"); len(s) != 1 || s[0].Expression != "at(2026-05-05T07:00:00)" {
		t.Fatalf("schedules %+v", s)
	}
	if n, err := e.areas.Recurring.Reconcile(context.Background()); err != nil || n != 0 {
		t.Fatalf("second reconciliation synced %d: %v", n, err)
	}
	_ = id
}
