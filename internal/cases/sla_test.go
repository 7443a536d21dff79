package cases_test

import (
	"net/http"
	"testing"
	"time"
)

// slaState returns the state and due time of one SLA target ("start" or
// "resolve") of a case answer.
func slaState(t testing.TB, r response, target string) (state string, due time.Time, paused bool) {
	t.Helper()
	s := r.Obj("sla")
	tg, ok := s[target].(map[string]any)
	if !ok {
		t.Fatalf("no sla.%s in %s", target, r.Raw)
	}
	p, _ := tg["paused"].(bool)
	return tg["state"].(string), parseTime(t, tg["due"]), p
}

func wantSLA(t *testing.T, r response, start, resolve string) {
	t.Helper()
	if s, _, _ := slaState(t, r, "start"); s != start {
		t.Errorf("start target %q, want %q (%s)", s, start, r.Obj("sla"))
	}
	if s, _, _ := slaState(t, r, "resolve"); s != resolve {
		t.Errorf("resolve target %q, want %q (%s)", s, resolve, r.Obj("sla"))
	}
}

// TestSLATargetsAndStates: startBy and resolveBy come from the priority;
// startedAt on the first move to an open status, resolvedAt on the move
// to a closed one; the states follow the injected clock.
func TestSLATargetsAndStates(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	// Normal: start within P1D, resolve within P5D.
	id := h.create(t, map[string]any{"title": "Sen start"}).Str("id")
	r := h.get(t, id)
	if !r.Time(t, "startBy").Equal(t0.Add(24*time.Hour)) || !r.Time(t, "resolveBy").Equal(t0.Add(5*24*time.Hour)) {
		t.Fatalf("targets: startBy %s, resolveBy %s", r.Str("startBy"), r.Str("resolveBy"))
	}
	if _, has := r.Body["startedAt"]; has {
		t.Errorf("a new case has startedAt: %s", r.Raw)
	}
	wantSLA(t, r, "on-track", "on-track")

	h.clock.Advance(17 * time.Hour) // 7 h of 24 left: more than a quarter
	wantSLA(t, h.get(t, id), "on-track", "on-track")
	h.clock.Advance(2 * time.Hour) // 5 h left: the last quarter
	wantSLA(t, h.get(t, id), "at-risk", "on-track")
	h.clock.Advance(6 * time.Hour) // 25 h after creation: late
	wantSLA(t, h.get(t, id), "breached", "on-track")

	// The first move to an open status sets startedAt; late stays breached.
	r = h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	if !r.Time(t, "startedAt").Equal(t0.Add(25 * time.Hour)) {
		t.Errorf("startedAt %s", r.Str("startedAt"))
	}
	wantSLA(t, r, "breached", "on-track")
	// A later move to waiting and back to open keeps the first startedAt.
	h.clock.Advance(time.Hour)
	h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	h.clock.Advance(time.Hour)
	r = h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	if !r.Time(t, "startedAt").Equal(t0.Add(25 * time.Hour)) {
		t.Errorf("startedAt moved to %s", r.Str("startedAt"))
	}

	// A case started in time meets its start target; closed in time it
	// meets its resolve target.
	h.clock.Advance(time.Minute)
	created := h.clock.Now()
	id2 := h.create(t, map[string]any{"title": "I tid"}).Str("id")
	h.clock.Advance(2 * time.Hour)
	r = h.patch(t, id2, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	wantSLA(t, r, "met", "on-track")
	h.clock.Advance(4*24*time.Hour - 2*time.Hour + time.Minute) // 4 d 1 min after creation: 23 h 59 min of 5 d left
	wantSLA(t, h.get(t, id2), "met", "at-risk")
	r = h.patch(t, id2, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	if !r.Time(t, "resolvedAt").Equal(h.clock.Now()) {
		t.Errorf("resolvedAt %s, want %s", r.Str("resolvedAt"), h.clock.Now())
	}
	wantSLA(t, r, "met", "met")
	h.clock.Advance(30 * 24 * time.Hour) // met stays met, whatever the clock
	wantSLA(t, h.get(t, id2), "met", "met")
	if !created.Add(5 * 24 * time.Hour).Equal(h.get(t, id2).Time(t, "resolveBy")) {
		t.Errorf("resolveBy moved")
	}

	// A case closed late has a breached resolve target; a case closed
	// without ever being opened is judged on its close for the start.
	id3 := h.create(t, map[string]any{"title": "För sent", "priorityId": prioUrgent}).Str("id") // PT1H / PT8H
	h.clock.Advance(9 * time.Hour)
	wantSLA(t, h.get(t, id3), "breached", "breached")
	r = h.patch(t, id3, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	wantSLA(t, r, "breached", "breached")
	if _, has := r.Body["startedAt"]; has {
		t.Errorf("closed straight from new has startedAt: %s", r.Raw)
	}

	// Reopening clears resolvedAt; the resolve target runs again.
	r = h.patch(t, id3, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	if _, has := r.Body["resolvedAt"]; has {
		t.Errorf("reopened case keeps resolvedAt: %s", r.Raw)
	}
	wantSLA(t, r, "breached", "breached") // started only now, after both targets
}

// TestSLAWaitingMovesResolveBy: time in a waiting-category status does not
// count against resolveBy; the start target does not move.
func TestSLAWaitingMovesResolveBy(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	id := h.create(t, map[string]any{"title": "Väntar", "statusId": statusOpen}).Str("id")
	resolveBy := t0.Add(5 * 24 * time.Hour)

	h.clock.Advance(time.Hour)
	r := h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	if !r.Time(t, "waitingSince").Equal(t0.Add(time.Hour)) {
		t.Errorf("waitingSince %s", r.Str("waitingSince"))
	}
	// While waiting the resolve target is paused and its due moves with the clock.
	h.clock.Advance(48 * time.Hour)
	r = h.get(t, id)
	state, due, paused := slaState(t, r, "resolve")
	if !paused || !due.Equal(resolveBy.Add(48*time.Hour)) || state != "on-track" {
		t.Errorf("while waiting 48 h: resolve %s due %s paused %v", state, due, paused)
	}
	// Four more days of waiting: still on track, the case cannot be late
	// while the customer has it.
	h.clock.Advance(4 * 24 * time.Hour)
	if state, _, _ := slaState(t, h.get(t, id), "resolve"); state != "on-track" {
		t.Errorf("after 6 d waiting the resolve target is %s", state)
	}
	// Back to open: resolveBy moved out by the whole wait.
	waited := 6 * 24 * time.Hour
	r = h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	if !r.Time(t, "resolveBy").Equal(resolveBy.Add(waited)) || r.Num("waitingSeconds") != int64(waited/time.Second) {
		t.Errorf("after waiting: resolveBy %s, waitingSeconds %d", r.Str("resolveBy"), r.Num("waitingSeconds"))
	}
	if _, has := r.Body["waitingSince"]; has {
		t.Errorf("waitingSince kept after the wait: %s", r.Raw)
	}
	if _, _, paused := slaState(t, r, "resolve"); paused {
		t.Errorf("still paused")
	}
	if !r.Time(t, "startBy").Equal(t0.Add(24 * time.Hour)) {
		t.Errorf("startBy moved to %s", r.Str("startBy"))
	}
	// A second wait adds up.
	h.clock.Advance(time.Hour)
	h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	h.clock.Advance(10 * time.Hour)
	r = h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	waited += 10 * time.Hour
	if !r.Time(t, "resolveBy").Equal(resolveBy.Add(waited)) {
		t.Errorf("after two waits: resolveBy %s, want %s", r.Str("resolveBy"), resolveBy.Add(waited))
	}
	// The urgent list is ordered by the moved target.
	entry := h.Do(&agent, "GET", "/v1/cases?sort=urgent", nil).Must(t, http.StatusOK).Items()[0]
	if !parseTime(t, entry["resolveBy"]).Equal(resolveBy.Add(waited)) {
		t.Errorf("list entry resolveBy %v", entry["resolveBy"])
	}
	// Closing from waiting counts the wait too.
	h.clock.Advance(time.Hour)
	h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	h.clock.Advance(5 * time.Hour)
	r = h.patch(t, id, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	waited += 5 * time.Hour
	if !r.Time(t, "resolveBy").Equal(resolveBy.Add(waited)) {
		t.Errorf("closed from waiting: resolveBy %s, want %s", r.Str("resolveBy"), resolveBy.Add(waited))
	}
	wantSLA(t, r, "met", "met")
}

// TestSLAPriorityChange: a priority change recomputes both targets from
// the creation time, keeping the time spent waiting.
func TestSLAPriorityChange(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	id := h.create(t, map[string]any{"title": "Prioritet"}).Str("id")
	h.clock.Advance(2 * time.Hour)
	r := h.patch(t, id, map[string]any{"priorityId": prioUrgent}).Must(t, http.StatusOK) // PT1H / PT8H
	if !r.Time(t, "startBy").Equal(t0.Add(time.Hour)) || !r.Time(t, "resolveBy").Equal(t0.Add(8*time.Hour)) {
		t.Errorf("urgent targets: startBy %s, resolveBy %s", r.Str("startBy"), r.Str("resolveBy"))
	}
	wantSLA(t, r, "breached", "on-track")
	ev := h.events(t, id)
	if before, after, ok := change(ev[len(ev)-1], "priorityId"); !ok || before != prioNormal || after != prioUrgent {
		t.Errorf("priority change event: %v", ev[len(ev)-1])
	}

	// Waiting time is kept across a priority change, also one made while
	// waiting.
	h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	h.clock.Advance(3 * time.Hour)
	r = h.patch(t, id, map[string]any{"priorityId": prioHigh}).Must(t, http.StatusOK) // PT4H / P2D
	if !r.Time(t, "startBy").Equal(t0.Add(4 * time.Hour)) {
		t.Errorf("high startBy %s", r.Str("startBy"))
	}
	if _, due, paused := slaState(t, r, "resolve"); !paused || !due.Equal(t0.Add(48*time.Hour+3*time.Hour)) {
		t.Errorf("high resolve while waiting: due %s paused %v", due, paused)
	}
	h.clock.Advance(2 * time.Hour)
	r = h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	if !r.Time(t, "resolveBy").Equal(t0.Add(48*time.Hour + 5*time.Hour)) {
		t.Errorf("after the wait: resolveBy %s, want created + P2D + 5 h", r.Str("resolveBy"))
	}
	h.clock.Advance(time.Hour)
	r = h.patch(t, id, map[string]any{"priorityId": prioLow}).Must(t, http.StatusOK) // P2D / P10D
	if !r.Time(t, "resolveBy").Equal(t0.Add(10*24*time.Hour + 5*time.Hour)) {
		t.Errorf("low: resolveBy %s, want created + P10D + 5 h", r.Str("resolveBy"))
	}
}

// TestSLATimesToTheMillisecond: with a clock that is not on a whole
// millisecond, every time of a case is written in UTC with exactly three
// fraction digits (trailing zeros kept), the paused resolve target's due
// time too, which moves with the clock.
func TestSLATimesToTheMillisecond(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	h.clock.Advance(1_100_567_891 * time.Nanosecond) // 09:00:01.100567891
	id := h.create(t, map[string]any{"title": "Millisekunder", "statusId": statusOpen}).Str("id")
	h.clock.Advance(time.Hour)
	h.patch(t, id, map[string]any{"statusId": statusWaiting}).Must(t, http.StatusOK)
	h.clock.Advance(2*time.Hour + 555_555_555*time.Nanosecond) // 12:00:01.656123446

	r := h.get(t, id)
	resolve, _ := r.Obj("sla")["resolve"].(map[string]any)
	for field, want := range map[string]any{
		"createdAt":    "2026-11-26T09:00:01.100Z",
		"startedAt":    "2026-11-26T09:00:01.100Z",
		"waitingSince": "2026-11-26T10:00:01.100Z",
		"resolveBy":    "2026-12-01T09:00:01.100Z",
		// resolveBy + the wait so far (2 h 0.556 s, counted to the millisecond)
		"sla.resolve.due": "2026-12-01T11:00:01.656Z",
	} {
		got := r.Body[field]
		if field == "sla.resolve.due" {
			got = resolve["due"]
		}
		if got != want {
			t.Errorf("%s %v, want %s", field, got, want)
		}
	}
}
