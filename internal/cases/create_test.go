package cases_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestCreateNumbersAndDefaults: numbers count 1, 2, 3 per tenant; a case
// starts in the default new status with the default priority; the answer,
// its Location and a later GET agree.
func TestCreateNumbersAndDefaults(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	for i := range 3 {
		h.clock.Advance(time.Minute)
		r := h.create(t, map[string]any{"title": "Ärende"})
		if r.Num("number") != int64(i+1) {
			t.Errorf("case %d got number %d", i+1, r.Num("number"))
		}
		id := r.Str("id")
		if loc := r.Header.Get("Location"); loc != "/v1/cases/"+id {
			t.Errorf("Location %q", loc)
		}
		if r.Header.Get("ETag") != `"1"` || r.Version() != 1 {
			t.Errorf("ETag %q, version %d", r.Header.Get("ETag"), r.Version())
		}
		if r.Str("statusId") != statusNew || r.Str("statusCategory") != "new" || r.Str("priorityId") != prioNormal {
			t.Errorf("defaults: status %q (%q), priority %q", r.Str("statusId"), r.Str("statusCategory"), r.Str("priorityId"))
		}
		if r.Str("createdBy") != agent.User || !r.Time(t, "createdAt").Equal(h.clock.Now()) || r.Str("updatedAt") != r.Str("createdAt") {
			t.Errorf("stamps: %s", r.Raw)
		}
		got := h.get(t, id)
		if got.Num("number") != r.Num("number") || got.Str("title") != "Ärende" || got.Str("statusId") != statusNew {
			t.Errorf("GET answers %s", got.Raw)
		}
	}
	// Another tenant counts from 1.
	if n := h.Do(&intruder, "POST", "/v1/cases", map[string]any{"title": "Annan"}).Must(t, http.StatusCreated).Num("number"); n != 1 {
		t.Errorf("the other tenant's first case has number %d", n)
	}
	// An explicit status and priority are kept.
	r := h.create(t, map[string]any{"title": "Brådskande", "statusId": statusOpen, "priorityId": prioUrgent})
	if r.Str("statusId") != statusOpen || r.Str("statusCategory") != "open" || r.Str("priorityId") != prioUrgent || r.Num("number") != 4 {
		t.Errorf("explicit status and priority: %s", r.Raw)
	}
	// Server-owned fields may not be sent on create.
	for _, f := range []string{"number", "id", "startBy", "version"} {
		h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", f: 7}).MustProblem(t, http.StatusBadRequest, f)
	}
	// Unknown status or priority.
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "statusId": noSuchID}).MustProblem(t, http.StatusBadRequest, "statusId")
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "priorityId": noSuchID}).MustProblem(t, http.StatusBadRequest, "priorityId")
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": ""}).MustProblem(t, http.StatusBadRequest, "title")
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "typeId": noSuchID}).MustProblem(t, http.StatusBadRequest, "typeId")
	// None of the refused creates took a number.
	if n := h.create(t, map[string]any{"title": "Nästa", "typeId": w.question}).Num("number"); n != 5 {
		t.Errorf("after refused creates the next number is %d, want 5", n)
	}
	h.checkIntegrity(t, admin.Tenant)
}

// TestCreateCustomerAndContact: the contact must be one of the customer's;
// a refused create writes nothing and takes no number.
func TestCreateCustomerAndContact(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	r := h.create(t, map[string]any{"title": "Läckage", "customerId": w.custA, "contactId": w.anna})
	if r.Str("customerId") != w.custA || r.Str("contactId") != w.anna {
		t.Errorf("customer and contact: %s", r.Raw)
	}
	h.create(t, map[string]any{"title": "Bara kund", "customerId": w.custB})

	for name, body := range map[string]map[string]any{
		"another customer's contact": {"title": "x", "customerId": w.custA, "contactId": w.cecilia},
		"no such contact":            {"title": "x", "customerId": w.custA, "contactId": noSuchID},
		"contact without customer":   {"title": "x", "contactId": w.anna},
		"malformed contact":          {"title": "x", "customerId": w.custA, "contactId": "not an id"},
	} {
		t.Run(name, func(t *testing.T) {
			h.Do(&agent, "POST", "/v1/cases", body).MustProblem(t, http.StatusBadRequest, "contactId")
		})
	}
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "customerId": noSuchID}).MustProblem(t, http.StatusBadRequest, "customerId")
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "customerId": "bad id!"}).MustProblem(t, http.StatusBadRequest, "customerId")
	// The other tenant's customer does not exist here.
	if n := len(h.listIDs(t, "")); n != 2 {
		t.Errorf("%d cases listed, want 2", n)
	}
	if n := h.create(t, map[string]any{"title": "Nästa"}).Num("number"); n != 3 {
		t.Errorf("after refused creates the next number is %d, want 3", n)
	}
	h.checkIntegrity(t, admin.Tenant)
}

// TestCreateLinkedOrder: the linked order must exist.
func TestCreateLinkedOrder(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	r := h.create(t, map[string]any{"title": "Montering", "customerId": w.custA, "linkedOrderId": w.openOrder})
	if r.Str("linkedOrderId") != w.openOrder {
		t.Errorf("linked order: %s", r.Raw)
	}
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "linkedOrderId": noSuchID}).MustProblem(t, http.StatusBadRequest, "linkedOrderId")
	h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "x", "linkedOrderId": "a/b"}).MustProblem(t, http.StatusBadRequest, "linkedOrderId")
	// Another tenant cannot link this tenant's order.
	h.Do(&intruder, "POST", "/v1/cases", map[string]any{"title": "x", "linkedOrderId": w.openOrder}).MustProblem(t, http.StatusBadRequest, "linkedOrderId")
	h.checkIntegrity(t, admin.Tenant)
}

// TestCreateAssignees: a case without assignees gets its type's; given
// ones are kept and checked.
func TestCreateAssignees(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	assignees := func(r response) (users, groups []string) {
		a := r.Obj("assignees")
		for _, u := range a["users"].([]any) {
			users = append(users, u.(string))
		}
		for _, g := range a["groups"].([]any) {
			groups = append(groups, g.(string))
		}
		return users, groups
	}
	u, g := assignees(h.create(t, w.validService("Standard")))
	if !slices.Equal(u, []string{userAgent1}) || !slices.Equal(g, []string{groupSupp}) {
		t.Errorf("type defaults: users %v, groups %v", u, g)
	}
	body := w.validService("Egen")
	body["assignees"] = map[string]any{"users": []string{userAgent2}}
	u, g = assignees(h.create(t, body))
	if !slices.Equal(u, []string{userAgent2}) || len(g) != 0 {
		t.Errorf("given assignees: users %v, groups %v", u, g)
	}
	body["assignees"] = map[string]any{"users": []string{}, "groups": []string{}}
	u, g = assignees(h.create(t, body))
	if !slices.Equal(u, []string{userAgent1}) || !slices.Equal(g, []string{groupSupp}) {
		t.Errorf("empty assignees take the type's: users %v, groups %v", u, g)
	}
	u, g = assignees(h.create(t, map[string]any{"title": "Utan typ"}))
	if len(u)+len(g) != 0 {
		t.Errorf("a case without type or assignees: users %v, groups %v", u, g)
	}
	body["assignees"] = map[string]any{"users": []string{noSuchID}}
	h.Do(&agent, "POST", "/v1/cases", body).MustProblem(t, http.StatusBadRequest, "assignees.users[0]")
	body["assignees"] = map[string]any{"groups": []string{"nosuchgroup"}}
	h.Do(&agent, "POST", "/v1/cases", body).MustProblem(t, http.StatusBadRequest, "assignees.groups[0]")
	body["assignees"] = map[string]any{"users": []string{userAgent1, userAgent1}}
	h.Do(&agent, "POST", "/v1/cases", body).MustProblem(t, http.StatusBadRequest, "assignees.users[1]")
}

// TestCreateCustomFields: fields are validated against the case type.
func TestCreateCustomFields(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	for _, tc := range []struct {
		name   string
		typeID string
		fields map[string]any
		bad    string // the field named in the 400, "" for 201
	}{
		{"all valid", w.service, map[string]any{w.serial: "SN-9", w.count: 3, w.place: "Hemma"}, ""},
		{"required only", w.service, map[string]any{w.serial: "SN-9"}, ""},
		{"required missing", w.service, map[string]any{w.count: 3}, "fields." + w.serial},
		{"no fields at all", w.service, nil, "fields." + w.serial},
		{"number as text", w.service, map[string]any{w.serial: "SN", w.count: "tre"}, "fields." + w.count},
		{"number as bool", w.service, map[string]any{w.serial: "SN", w.count: true}, "fields." + w.count},
		{"text as number", w.service, map[string]any{w.serial: 12}, "fields." + w.serial},
		{"dropdown outside options", w.service, map[string]any{w.serial: "SN", w.place: "Garage"}, "fields." + w.place},
		{"dropdown by case", w.service, map[string]any{w.serial: "SN", w.place: "hemma"}, "fields." + w.place},
		{"unknown field ID", w.service, map[string]any{w.serial: "SN", noSuchID: "x"}, "fields." + noSuchID},
		{"field of no type", "", map[string]any{w.serial: "SN"}, "fields"},
		{"field of another type", w.question, map[string]any{w.serial: "SN"}, "fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"title": tc.name}
			if tc.typeID != "" {
				body["typeId"] = tc.typeID
			}
			if tc.fields != nil {
				body["fields"] = tc.fields
			}
			res := h.Do(&agent, "POST", "/v1/cases", body)
			if tc.bad != "" {
				res.MustProblem(t, http.StatusBadRequest, tc.bad)
				return
			}
			res.Must(t, http.StatusCreated)
			got := h.get(t, res.Str("id")).Obj("fields")
			for k, v := range tc.fields {
				if n, ok := v.(int); ok {
					v = float64(n)
				}
				if got[k] != v {
					t.Errorf("field %s stored as %v, want %v", k, got[k], v)
				}
			}
		})
	}
	if n := h.checkIntegrity(t, admin.Tenant); n != 2 {
		t.Errorf("%d cases stored, want the 2 valid ones", n)
	}
}

// TestCreateStandardFields: the standard fields that Ärendefält marks
// mandatory are required; inactive ones are refused.
func TestCreateStandardFields(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.putSettings(t, "/v1/settings/case-fields", func(body map[string]any) {
		for _, f := range body["fields"].([]any) {
			m := f.(map[string]any)
			switch m["key"] {
			case "description", "customer", "type":
				m["active"], m["mandatory"] = true, true
			case "deadline", "linkedOrder":
				m["active"], m["mandatory"] = false, false
			}
		}
	})
	valid := func() map[string]any {
		b := w.validService("Komplett")
		b["description"], b["customerId"] = "Beskrivning", w.custA
		return b
	}
	h.create(t, valid())
	for _, tc := range []struct {
		name  string
		edit  func(b map[string]any)
		field string
	}{
		{"mandatory description missing", func(b map[string]any) { delete(b, "description") }, "description"},
		{"mandatory customer missing", func(b map[string]any) { delete(b, "customerId") }, "customerId"},
		{"mandatory type missing", func(b map[string]any) { delete(b, "typeId"); delete(b, "fields") }, "typeId"},
		{"inactive deadline given", func(b map[string]any) { b["deadline"] = "2026-12-24T12:00:00Z" }, "deadline"},
		{"inactive linked order given", func(b map[string]any) { b["linkedOrderId"] = w.openOrder }, "linkedOrderId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := valid()
			tc.edit(b)
			h.Do(&agent, "POST", "/v1/cases", b).MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	// Inactive contact and priority fields too.
	h.putSettings(t, "/v1/settings/case-fields", func(body map[string]any) {
		for _, f := range body["fields"].([]any) {
			m := f.(map[string]any)
			if m["key"] == "contact" || m["key"] == "priority" {
				m["active"], m["mandatory"] = false, false
			}
		}
	})
	b := valid()
	b["contactId"] = w.anna
	h.Do(&agent, "POST", "/v1/cases", b).MustProblem(t, http.StatusBadRequest, "contactId")
	b = valid()
	b["priorityId"] = prioHigh
	h.Do(&agent, "POST", "/v1/cases", b).MustProblem(t, http.StatusBadRequest, "priorityId")
	// Without the inactive field the default priority is used.
	if p := h.create(t, valid()).Str("priorityId"); p != prioNormal {
		t.Errorf("priority %q, want the default", p)
	}
	if n := h.checkIntegrity(t, admin.Tenant); n != 2 {
		t.Errorf("%d cases stored, want 2", n)
	}
}

// TestCreateWritesCaseTasksAndEvent: the type's task template creates the
// tasks, and case, tasks and first event are in the partition.
func TestCreateWritesCaseTasksAndEvent(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	r := h.create(t, w.validService("Installera värmepump"))
	id := r.Str("id")
	d := h.get(t, id)
	tasks := d.List("tasks")
	if len(tasks) != 2 || tasks[0]["title"] != "Boka tid" || tasks[1]["title"] != "Installera" {
		t.Fatalf("tasks from the template: %v", tasks)
	}
	if due := parseTime(t, tasks[0]["due"]); !due.Equal(t0.Add(24 * time.Hour)) {
		t.Errorf("first task due %v, want created + P1D", due)
	}
	if _, has := tasks[1]["due"]; has {
		t.Errorf("second task has a due time: %v", tasks[1])
	}
	for _, task := range tasks {
		if task["done"] != false || task["version"] != float64(1) {
			t.Errorf("template task %v", task)
		}
	}
	listed := h.Do(&agent, "GET", "/v1/cases/"+id+"/tasks", nil).Must(t, http.StatusOK).IDs()
	if len(listed) != 2 || listed[0] != tasks[0]["id"] || listed[1] != tasks[1]["id"] {
		t.Errorf("GET tasks answers %v", listed)
	}
	ev := h.events(t, id)
	if len(ev) != 1 || ev[0]["type"] != "created" || ev[0]["by"] != agent.User {
		t.Fatalf("first event: %v", ev)
	}
	if _, after, ok := change(ev[0], "statusId"); !ok || after != statusNew {
		t.Errorf("created event: %v", ev[0])
	}
	k := kinds(h.partition(t, admin.Tenant, id))
	if k["CASE"] != 1 || k["TASK"] != 2 || k["EVENT"] != 1 {
		t.Errorf("the partition holds %v", k)
	}
	// A type without template, and no type: no tasks.
	for _, body := range []map[string]any{{"title": "Fråga", "typeId": w.question}, {"title": "Ingen typ"}} {
		if n := len(h.get(t, h.create(t, body).Str("id")).List("tasks")); n != 0 {
			t.Errorf("%v got %d tasks", body, n)
		}
	}
}
