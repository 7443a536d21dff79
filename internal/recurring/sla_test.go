package recurring_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
)

// slaTrigger is the trigger of a case's target due at due.
func slaTrigger(caseID, target string, due time.Time) []byte {
	raw, _ := json.Marshal(map[string]any{"kind": "sla", "tenant": "acme", "caseId": caseID, "target": target, "due": due.UTC().Format("2006-01-02T15:04:05.000Z")})
	return raw
}

// TestSLABreachAlerts: a new case's targets are scheduled from its SLA
// watch item; a start met in time unschedules its alert and a late
// trigger of it alerts nobody; a moved resolve target's old trigger
// alerts nobody; the new one, delivered ten times, alerts the assigned
// user once (in-app, and the event log records it).
func TestSLABreachAlerts(t *testing.T) {
	e := newEnv(t, time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	erik := e.post("/v1/users", map[string]any{"name": "Erik Agent", "email": "erik@acme.example", "roles": []string{"agent"}, "subject": "erik"})
	c := e.Do(&admin, "POST", "/v1/cases", map[string]any{"title": "Läckande kran", "priorityId": "priority-high",
		"assignees": map[string]any{"users": []string{erik}}}).Must(t, http.StatusCreated)
	id := c.Str("id")
	startBy, resolveBy := c.Time(t, "startBy"), c.Time(t, "resolveBy")
	watch := func() { e.stream(dynamo.CasePK("acme", id), dynamo.SLAWatchSK) }
	watch()
	if s := e.schedules("sla"); len(s) != 2 || !s[0].Time.Equal(startBy) || s[0].Zone != "UTC" || !s[1].Time.Equal(resolveBy) {
		t.Fatalf("SLA schedules %+v", s)
	}

	// Started in time: its alert is unscheduled, and a trigger that comes
	// all the same alerts nobody.
	e.Do(&admin, "PATCH", "/v1/cases/"+id, map[string]any{"statusId": "status-in-progress"}, "If-Match", `"1"`).Must(t, http.StatusOK)
	watch()
	if s := e.schedules("sla"); len(s) != 1 || !s[0].Time.Equal(resolveBy) {
		t.Fatalf("after the start: %+v", s)
	}
	e.clock.Advance(startBy.Sub(e.clock.Now()) + time.Minute)
	e.fire(slaTrigger(id, "start", startBy))

	// Moved: a priority with more time moves the resolve target; the old
	// trigger alerts nobody.
	moved := e.Do(&admin, "PATCH", "/v1/cases/"+id, map[string]any{"priorityId": "priority-normal"}, "If-Match", `"2"`).Must(t, http.StatusOK)
	newResolve := moved.Time(t, "resolveBy")
	watch()
	if s := e.schedules("sla"); len(s) != 1 || !s[0].Time.Equal(newResolve) {
		t.Fatalf("after the move: %+v", s)
	}
	e.clock.Advance(resolveBy.Sub(e.clock.Now()) + time.Minute)
	e.fire(slaTrigger(id, "resolve", resolveBy))
	if n := unread(e); n != 0 {
		t.Fatalf("%d notifications before any breach", n)
	}

	// Passed unmet: ten deliveries at once alert once.
	e.clock.Advance(newResolve.Sub(e.clock.Now()) + time.Second)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { e.fire(slaTrigger(id, "resolve", newResolve)) })
	}
	wg.Wait()
	inbox := e.Do(&erikP, "GET", "/v1/notifications", nil).Must(t, http.StatusOK).Items()
	if len(inbox) != 1 || inbox[0]["type"] != "sla-breach" || inbox[0]["caseId"] != id {
		t.Fatalf("inbox %v", inbox)
	}
	breaches := 0
	for _, ev := range e.Do(&admin, "GET", "/v1/cases/"+id+"/events?limit=100", nil).Must(t, http.StatusOK).Items() {
		if ev["type"] == "sla-breached" {
			breaches++
		}
	}
	if breaches != 1 {
		t.Fatalf("%d breach events", breaches)
	}
	if _, err := e.areas.Cases.Breach(context.Background(), "acme", id, "resolve", newResolve); err != nil {
		t.Fatal(err)
	}
}

func unread(e *env) int {
	e.t.Helper()
	return len(e.Do(&erikP, "GET", "/v1/notifications", nil).Must(e.t, http.StatusOK).Items())
}
