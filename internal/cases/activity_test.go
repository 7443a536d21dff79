package cases_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/cases"
)

// TestActivityMovesTheCase: a change, a task (created, changed, deleted),
// a time report (the same) and a comment each make the case the most
// recently updated, in every list it is in, without a new version of the
// case; activityAt says when.
func TestActivityMovesTheCase(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	var ids []string
	for _, title := range []string{"a", "b", "c"} {
		h.clock.Advance(time.Minute)
		b := w.validService(title) // assigned agent1 and support
		b["customerId"] = w.custA
		ids = append(ids, h.create(t, b).Str("id"))
	}
	a, b, c := ids[0], ids[1], ids[2]
	task := h.get(t, a).List("tasks")[0]["id"].(string)
	report := func(id string) string {
		return h.Do(&agent, "POST", "/v1/cases/"+id+"/time-reports", map[string]any{"date": "2026-11-26", "minutes": 30,
			"values": map[string]any{"arbete": "Service"}}).Must(t, http.StatusCreated).Str("id")
	}
	var tr string
	for _, step := range []struct {
		name  string
		first string
		do    func()
	}{
		{"comment on a", a, func() {
			h.Do(&agent, "POST", "/v1/cases/"+a+"/comments", map[string]any{"body": "Hej"}).Must(t, http.StatusCreated)
		}},
		{"task on b", b, func() {
			h.Do(&agent, "POST", "/v1/cases/"+b+"/tasks", map[string]any{"title": "Ring"}).Must(t, http.StatusCreated)
		}},
		{"time report on c", c, func() { tr = report(c) }},
		{"task of a done", a, func() {
			h.Do(&agent, "PATCH", "/v1/cases/"+a+"/tasks/"+task, map[string]any{"done": true}, ifMatch(1)...).Must(t, http.StatusOK)
		}},
		{"time report of c changed", c, func() {
			h.Do(&agent, "PATCH", "/v1/cases/"+c+"/time-reports/"+tr, map[string]any{"minutes": 45}, ifMatch(1)...).Must(t, http.StatusOK)
		}},
		{"change of b", b, func() { h.patch(t, b, map[string]any{"title": "b ändrad"}).Must(t, http.StatusOK) }},
		{"task of a deleted", a, func() {
			h.Do(&agent, "DELETE", "/v1/cases/"+a+"/tasks/"+task, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
		}},
		{"time report of c deleted", c, func() {
			h.Do(&agent, "DELETE", "/v1/cases/"+c+"/time-reports/"+tr, nil, ifMatch(2)...).Must(t, http.StatusNoContent)
		}},
	} {
		h.clock.Advance(time.Minute)
		before := h.get(t, step.first)
		step.do()
		after := h.get(t, step.first)
		if !after.Time(t, "activityAt").Equal(h.clock.Now()) {
			t.Errorf("%s: activityAt %v, now %v", step.name, after.Body["activityAt"], h.clock.Now())
		}
		if step.name != "change of b" && (after.Version() != before.Version() || after.Str("updatedAt") != before.Str("updatedAt")) {
			t.Errorf("%s: the case's version went %d -> %d", step.name, before.Version(), after.Version())
		}
		for _, q := range []string{"?sort=updated", "?sort=updated&customer=" + w.custA, "?sort=updated&assignee=" + userAgent1 + "&category=active",
			"?sort=updated&group=" + groupSupp + "&category=new", "?sort=updated&type=" + w.service} {
			if got := h.listIDs(t, q); len(got) != 3 || got[0] != step.first {
				t.Errorf("%s: %s lists %v, want %s first", step.name, q, got, step.first)
			}
		}
		for _, it := range h.Do(&agent, "GET", "/v1/cases?sort=updated", nil).Must(t, http.StatusOK).Items() {
			if it["id"] == step.first && it["activityAt"] != after.Body["activityAt"] {
				t.Errorf("%s: the list's activityAt %v, the case's %v", step.name, it["activityAt"], after.Body["activityAt"])
			}
		}
	}
	h.checkEntries(t, admin.Tenant)
}

// TestActivityOfAChangedCase: work on a case whose lists changed between
// the read and the transaction (its assignees) is read again and moves
// the case in its new lists, leaving no entry in the old ones; on a case
// deleted meanwhile it answers 404 and writes nothing.
func TestActivityOfAChangedCase(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	id := h.create(t, map[string]any{"title": "Flytt", "assignees": map[string]any{"users": []string{userAgent1}}}).Str("id")
	h.listIDs(t, "")
	h.clock.Advance(time.Minute)
	h.probe.onNextTransact(func() {
		h.Do(&admin, "PATCH", "/v1/cases/"+id, map[string]any{"assignees": map[string]any{"users": []string{userAgent2}}}, ifMatch(1)...).Must(t, http.StatusOK)
	})
	c := h.cost(func() {
		h.Do(&agent, "POST", "/v1/cases/"+id+"/tasks", map[string]any{"title": "Ring kunden"}).Must(t, http.StatusCreated)
	})
	if h.probe.hookPending() {
		t.Fatal("the change did not run")
	}
	// The task's read and transaction, the change's read and transaction,
	// then the task's read again and its transaction.
	if c["GetItem"] != 3 || c["TransactWriteItems"] != 3 {
		t.Errorf("cost %v", c)
	}
	if got := h.listIDs(t, "?assignee="+userAgent1); len(got) != 0 {
		t.Errorf("agent1 still lists %v", got)
	}
	if got := h.listIDs(t, "?assignee="+userAgent2+"&sort=updated"); !slices.Equal(got, []string{id}) {
		t.Errorf("agent2 lists %v", got)
	}
	if n := len(h.get(t, id).List("tasks")); n != 1 {
		t.Errorf("%d tasks", n)
	}
	h.checkEntries(t, admin.Tenant)

	gone := h.create(t, map[string]any{"title": "Raderas", "assignees": map[string]any{"users": []string{userAgent1}}}).Str("id")
	h.probe.onNextTransact(func() {
		h.Do(&admin, "DELETE", "/v1/cases/"+gone, nil, ifMatch(1)...).Must(t, http.StatusNoContent)
	})
	h.Do(&agent, "POST", "/v1/cases/"+gone+"/comments", map[string]any{"body": "För sent"}).MustProblem(t, http.StatusNotFound)
	if items := h.partition(t, admin.Tenant, gone); kinds(items)["COMMENT"] != 0 {
		t.Errorf("a comment was written on a deleted case: %v", kinds(items))
	}
	h.checkEntries(t, admin.Tenant)
}

// TestActivityOfAnotherArea: what another area (conversations) writes in
// its own transaction moves the case, and fails with ErrCaseChanged when
// the case changed after Activity read it.
func TestActivityOfAnotherArea(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	old := h.create(t, map[string]any{"title": "Äldre"}).Str("id")
	h.clock.Advance(time.Minute)
	h.create(t, map[string]any{"title": "Nyare"})
	h.clock.Advance(time.Minute)
	ctx := context.Background()
	c := h.cost(func() {
		writes, err := h.svc.Activity(ctx, admin.Tenant, old, h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := h.db.Table.Commit(ctx, "message", writes...); err != nil {
			t.Fatal(err)
		}
	})
	if c["GetItem"] != 1 || c["TransactWriteItems"] != 1 {
		t.Errorf("cost %v", c)
	}
	if got := h.listIDs(t, "?sort=updated"); got[0] != old {
		t.Errorf("after the message: %v", got)
	}
	writes, err := h.svc.Activity(ctx, admin.Tenant, old, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.patch(t, old, map[string]any{"title": "Äldre, ändrad"}).Must(t, http.StatusOK)
	if err := h.db.Table.Commit(ctx, "message", writes...); err != cases.ErrCaseChanged {
		t.Errorf("writes of a case changed since: %v", err)
	}
	if _, err := h.svc.Activity(ctx, admin.Tenant, noSuchID, h.clock.Now()); err == nil {
		t.Error("the activity of no case")
	}
	h.checkEntries(t, admin.Tenant)
}
