package settings_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

const (
	caseFieldsPath    = "/v1/settings/case-fields"
	caseMenuPath      = "/v1/settings/case-menu"
	generalPath       = "/v1/settings/general"
	externalPath      = "/v1/settings/external"
	portalPath        = "/v1/settings/portal"
	conversationsPath = "/v1/settings/conversations"
)

// ruleItems returns a deep copy of the list under key of a decoded
// answer, for editing into a request body.
func ruleItems(t *testing.T, r response, key string) []map[string]any {
	t.Helper()
	raw, err := json.Marshal(r.Body[key])
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// ruleIndex returns the index of the entry whose "key" is key.
func ruleIndex(t *testing.T, list []map[string]any, key string) int {
	t.Helper()
	i := slices.IndexFunc(list, func(m map[string]any) bool { return m["key"] == key })
	if i < 0 {
		t.Fatalf("no %q in %v", key, list)
	}
	return i
}

// ruleRefusedPut sends body to the singleton at path with the current
// version and insists on a 400 naming field, with nothing changed.
func ruleRefusedPut(t *testing.T, h *harness, path string, body any, field string) response {
	t.Helper()
	before := ruleRead(t, h, path)
	r := h.Do(&admin, "PUT", path, body, ifMatch(before.Version())...).MustProblem(t, http.StatusBadRequest, field)
	ruleUnchanged(t, h, path, before)
	return r
}

func TestCaseFieldsRules(t *testing.T) {
	h := newHarness(t)
	fieldsOf := func() []map[string]any { return ruleItems(t, ruleRead(t, h, caseFieldsPath), "fields") }

	cases := []struct {
		name  string
		edit  func(fs []map[string]any) []map[string]any
		field string
	}{
		{"mandatory but inactive", func(fs []map[string]any) []map[string]any {
			i := ruleIndex(t, fs, "deadline")
			fs[i]["active"], fs[i]["mandatory"] = false, true
			return fs
		}, "fields[4].active"},
		{"title not mandatory", func(fs []map[string]any) []map[string]any {
			fs[ruleIndex(t, fs, "title")]["mandatory"] = false
			return fs
		}, "fields[0].mandatory"},
		{"title inactive", func(fs []map[string]any) []map[string]any {
			fs[ruleIndex(t, fs, "title")]["active"] = false
			return fs
		}, "fields[0].mandatory"},
		{"unknown key", func(fs []map[string]any) []map[string]any {
			return append(fs, map[string]any{"key": "colour", "active": true, "mandatory": false})
		}, "fields[9].key"},
		{"unknown key in the middle", func(fs []map[string]any) []map[string]any {
			return slices.Insert(fs, 3, map[string]any{"key": "secret", "active": true, "mandatory": false})
		}, "fields[3].key"},
		{"key listed twice", func(fs []map[string]any) []map[string]any {
			return append(fs, map[string]any{"key": "description", "active": true, "mandatory": false})
		}, "fields[9].key"},
		{"missing key", func(fs []map[string]any) []map[string]any {
			return slices.Delete(fs, ruleIndex(t, fs, "deadline"), ruleIndex(t, fs, "deadline")+1)
		}, "fields"},
		{"no fields at all", func(fs []map[string]any) []map[string]any { return []map[string]any{} }, "fields"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ruleRefusedPut(t, h, caseFieldsPath, map[string]any{"fields": tc.edit(fieldsOf())}, tc.field)
		})
	}

	t.Run("an error names the entry as sent, in any order", func(t *testing.T) {
		fs := fieldsOf()
		slices.Reverse(fs) // title is now last
		fs[len(fs)-1]["mandatory"] = false
		ruleRefusedPut(t, h, caseFieldsPath, map[string]any{"fields": fs}, "fields[8].mandatory")
	})

	t.Run("a version is required", func(t *testing.T) {
		before := ruleRead(t, h, caseFieldsPath)
		h.Do(&admin, "PUT", caseFieldsPath, map[string]any{"fields": fieldsOf()}).MustProblem(t, http.StatusBadRequest, "version")
		h.Do(&admin, "PUT", caseFieldsPath, map[string]any{"fields": fieldsOf()}, ifMatch(before.Version()+1)...).MustProblem(t, http.StatusPreconditionFailed)
		ruleUnchanged(t, h, caseFieldsPath, before)
	})

	t.Run("a valid change", func(t *testing.T) {
		fs := fieldsOf()
		i := ruleIndex(t, fs, "deadline")
		fs[i]["mandatory"] = true
		j := ruleIndex(t, fs, "linkedOrder")
		fs[j]["active"] = false
		r := h.Do(&admin, "PUT", caseFieldsPath, map[string]any{"fields": fs, "version": ruleRead(t, h, caseFieldsPath).Version()}).
			Must(t, http.StatusOK)
		if r.Version() != 2 || r.Header.Get("ETag") != `"2"` {
			t.Errorf("answered version %d, ETag %q; want 2", r.Version(), r.Header.Get("ETag"))
		}
		got := ruleItems(t, ruleRead(t, h, caseFieldsPath), "fields")
		if got[i]["mandatory"] != true || got[j]["active"] != false {
			t.Errorf("stored %v", got)
		}
	})
}

func TestCaseMenuRules(t *testing.T) {
	h := newHarness(t)
	itemsOf := func() []map[string]any { return ruleItems(t, ruleRead(t, h, caseMenuPath), "items") }

	cases := []struct {
		name  string
		edit  func(its []map[string]any) []map[string]any
		field string
	}{
		{"details disabled", func(its []map[string]any) []map[string]any {
			its[ruleIndex(t, its, "details")]["enabled"] = false
			return its
		}, "items[0].enabled"},
		{"details disabled, sent last", func(its []map[string]any) []map[string]any {
			slices.Reverse(its)
			its[ruleIndex(t, its, "details")]["enabled"] = false
			return its
		}, "items[5].enabled"},
		{"details made optional", func(its []map[string]any) []map[string]any {
			its[ruleIndex(t, its, "details")]["mandatory"] = false
			return its
		}, "items[0].mandatory"},
		{"tasks made mandatory", func(its []map[string]any) []map[string]any {
			its[ruleIndex(t, its, "tasks")]["mandatory"] = true
			return its
		}, "items[1].mandatory"},
		{"placement neither main nor dropdown", func(its []map[string]any) []map[string]any {
			its[ruleIndex(t, its, "comments")]["placement"] = "sidebar"
			return its
		}, "items[3].placement"},
		{"placement missing", func(its []map[string]any) []map[string]any {
			delete(its[ruleIndex(t, its, "events")], "placement")
			return its
		}, "items[4].placement"},
		{"two items with one order", func(its []map[string]any) []map[string]any {
			its[ruleIndex(t, its, "events")]["order"] = its[ruleIndex(t, its, "tasks")]["order"]
			return its
		}, "items[4].order"},
		{"unknown item", func(its []map[string]any) []map[string]any {
			return append(its, map[string]any{"key": "invoices", "label": "Fakturor", "enabled": true, "placement": "main", "order": 70})
		}, "items[6].key"},
		{"item missing", func(its []map[string]any) []map[string]any {
			return slices.Delete(its, ruleIndex(t, its, "comments"), ruleIndex(t, its, "comments")+1)
		}, "items"},
		{"empty label", func(its []map[string]any) []map[string]any {
			its[ruleIndex(t, its, "tasks")]["label"] = ""
			return its
		}, "items[1].label"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ruleRefusedPut(t, h, caseMenuPath, map[string]any{"items": tc.edit(itemsOf())}, tc.field)
		})
	}

	t.Run("answered sorted by order", func(t *testing.T) {
		its := itemsOf()
		// New order: events first, then details, ..., sent in reverse of
		// their key order so neither sent nor key order is the answer.
		want := []string{"events", "details", "time-reports", "conversation", "tasks", "comments"}
		for i, k := range want {
			its[ruleIndex(t, its, k)]["order"] = (i + 1) * 5
		}
		its[ruleIndex(t, its, "tasks")]["enabled"] = false
		its[ruleIndex(t, its, "time-reports")]["placement"] = "main"
		slices.Reverse(its)
		r := h.Do(&admin, "PUT", caseMenuPath, map[string]any{"items": its}, ifMatch(1)...).Must(t, http.StatusOK)
		if r.Version() != 2 {
			t.Errorf("version %d, want 2", r.Version())
		}
		for name, got := range map[string][]map[string]any{"PUT": ruleItems(t, r, "items"), "GET": itemsOf()} {
			var keys []string
			for _, it := range got {
				keys = append(keys, it["key"].(string))
			}
			if !slices.Equal(keys, want) {
				t.Errorf("%s answers items %v, want %v", name, keys, want)
			}
			if it := got[ruleIndex(t, got, "tasks")]; it["enabled"] != false {
				t.Errorf("%s: tasks %v, want disabled", name, it)
			}
			if it := got[ruleIndex(t, got, "time-reports")]; it["placement"] != "main" {
				t.Errorf("%s: time-reports %v, want placement main", name, it)
			}
		}
	})
}

func TestGeneralRules(t *testing.T) {
	h := newHarness(t)
	valid := func() map[string]any { return ruleRead(t, h, generalPath).Editable() }

	cases := []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"customerAccess unknown", func(b map[string]any) { b["customerAccess"] = "everyone" }, "customerAccess"},
		{"customerAccess missing", func(b map[string]any) { delete(b, "customerAccess") }, "customerAccess"},
		{"locale unknown", func(b map[string]any) { b["locale"] = "de" }, "locale"},
		{"timeZone not IANA", func(b map[string]any) { b["timeZone"] = "Mars/Olympus" }, "timeZone"},
		{"timeZone Local", func(b map[string]any) { b["timeZone"] = "Local" }, "timeZone"},
		{"timeZone missing", func(b map[string]any) { b["timeZone"] = "" }, "timeZone"},
		{"unknown field", func(b map[string]any) { b["colour"] = "#123456" }, "colour"},
		{"id is the server's", func(b map[string]any) { b["id"] = "x" }, "id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := valid()
			tc.edit(b)
			ruleRefusedPut(t, h, generalPath, b, tc.field)
		})
	}

	t.Run("a valid change", func(t *testing.T) {
		b := valid()
		b["timeZone"], b["locale"], b["customerAccess"] = "Europe/Helsinki", "en", "portal"
		r := h.Do(&admin, "PUT", generalPath, b, ifMatch(1)...).Must(t, http.StatusOK)
		if r.Version() != 2 || r.Str("timeZone") != "Europe/Helsinki" || r.Str("locale") != "en" {
			t.Errorf("answered %s", r.Raw)
		}
		// A stale version is refused with 412 and changes nothing.
		before := ruleRead(t, h, generalPath)
		b["locale"] = "sv"
		h.Do(&admin, "PUT", generalPath, b, ifMatch(1)...).MustProblem(t, http.StatusPreconditionFailed)
		ruleUnchanged(t, h, generalPath, before)
	})
}

func TestExternalRules(t *testing.T) {
	h := newHarness(t)
	typeID := ruleID(t, h, typesPath, map[string]any{"name": "Webbformulär"})
	userID := ruleID(t, h, "/v1/users", map[string]any{"name": "Anna", "email": "anna@example.se", "roles": []string{"agent"}})

	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"unknown type", map[string]any{"typeId": ruleNoSuchID}, "typeId"},
		{"unknown priority", map[string]any{"priorityId": ruleNoSuchID}, "priorityId"},
		{"unknown status", map[string]any{"statusId": ruleNoSuchID}, "statusId"},
		{"a priority is no status", map[string]any{"statusId": "priority-normal"}, "statusId"},
		{"a closed status", map[string]any{"statusId": "status-closed"}, "statusId"},
		{"a waiting status", map[string]any{"statusId": "status-waiting"}, "statusId"},
		{"unknown user", map[string]any{"assignees": map[string]any{"users": []string{ruleNoSuchID}}}, "assignees.users[0]"},
		{"user twice", map[string]any{"assignees": map[string]any{"users": []string{userID, userID}}}, "assignees.users[1]"},
		{"unknown group", map[string]any{"assignees": map[string]any{"groups": []string{ruleNoSuchID}}}, "assignees.groups[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ruleRefusedPut(t, h, externalPath, tc.body, tc.field)
		})
	}

	r := h.Do(&admin, "PUT", externalPath, map[string]any{"typeId": typeID, "priorityId": "priority-high", "statusId": "status-in-progress",
		"assignees": map[string]any{"users": []string{userID}}}, ifMatch(1)...).Must(t, http.StatusOK)
	if r.Version() != 2 || r.Str("typeId") != typeID || r.Str("statusId") != "status-in-progress" {
		t.Errorf("answered %s", r.Raw)
	}
}

func TestPortalRules(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"unknown priority", map[string]any{"priorityId": ruleNoSuchID, "deadlineWithin": "P14D"}, "priorityId"},
		{"deadline not a duration", map[string]any{"priorityId": "priority-low", "deadlineWithin": "14 days"}, "deadlineWithin"},
		{"deadline in months", map[string]any{"priorityId": "priority-low", "deadlineWithin": "P1M"}, "deadlineWithin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ruleRefusedPut(t, h, portalPath, tc.body, tc.field)
		})
	}
	r := h.Do(&admin, "PUT", portalPath, map[string]any{"priorityId": "priority-low", "deadlineWithin": "P7D"}, ifMatch(1)...).Must(t, http.StatusOK)
	if r.Version() != 2 || r.Str("priorityId") != "priority-low" || r.Str("deadlineWithin") != "P7D" {
		t.Errorf("answered %s", r.Raw)
	}
}

func TestConversationsRules(t *testing.T) {
	h := newHarness(t)
	valid := func() map[string]any {
		return map[string]any{"access": "link", "showContact": "company", "linkValidFor": "P30D",
			"companyContact": map[string]any{"name": "Acme Support", "email": "support@acme.se", "phone": "+46 8 123 45"}}
	}
	cases := []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"access unknown", func(b map[string]any) { b["access"] = "mail" }, "access"},
		{"showContact unknown", func(b map[string]any) { b["showContact"] = "nobody" }, "showContact"},
		{"company without name", func(b map[string]any) { b["companyContact"].(map[string]any)["name"] = "" }, "companyContact.name"},
		{"company without email", func(b map[string]any) { b["companyContact"].(map[string]any)["email"] = "" }, "companyContact.email"},
		{"email malformed", func(b map[string]any) { b["companyContact"].(map[string]any)["email"] = "support.acme.se" }, "companyContact.email"},
		{"name with a line break", func(b map[string]any) { b["companyContact"].(map[string]any)["name"] = "Acme\r\nBcc: x@y.se" }, "companyContact.name"},
		{"linkValidFor missing", func(b map[string]any) { b["linkValidFor"] = "" }, "linkValidFor"},
		{"linkValidFor in years", func(b map[string]any) { b["linkValidFor"] = "P1Y" }, "linkValidFor"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := valid()
			tc.edit(b)
			ruleRefusedPut(t, h, conversationsPath, b, tc.field)
		})
	}
	r := h.Do(&admin, "PUT", conversationsPath, valid(), ifMatch(1)...).Must(t, http.StatusOK)
	if r.Version() != 2 || r.Str("showContact") != "company" {
		t.Errorf("answered %s", r.Raw)
	}
}
