package settings_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestDeleteReferenced deletes objects still referenced: each answers 409
// naming who uses it and changes nothing; once the reference is gone the
// delete succeeds and the object is gone.
func TestDeleteReferenced(t *testing.T) {
	type setup struct {
		path   string   // the object to delete
		list   string   // its collection
		users  []string // what the 409 detail must name
		unlink func()   // removes the reference
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, h *harness) setup
	}{
		{"field a type uses", func(t *testing.T, h *harness) setup {
			f := ruleID(t, h, fieldsPath, map[string]any{"name": "Serienummer", "kind": "text"})
			ct := ruleID(t, h, typesPath, map[string]any{"name": "Reklamation", "fields": []map[string]any{{"fieldId": f, "filledBy": "customer"}}})
			ct2 := ruleID(t, h, typesPath, map[string]any{"name": "Garanti", "fields": []map[string]any{{"fieldId": f}}})
			return setup{fieldsPath + "/" + f, fieldsPath, []string{"Reklamation", "Garanti"}, func() {
				rulePatch(t, h, typesPath+"/"+ct, map[string]any{"fields": []any{}}).Must(t, http.StatusOK)
				h.Do(&admin, "DELETE", typesPath+"/"+ct2, nil, "If-Match", "*").Must(t, http.StatusNoContent)
			}}
		}},
		{"status the external settings use", func(t *testing.T, h *harness) setup {
			st := ruleID(t, h, statusesPath, map[string]any{"name": "Från webben", "color": "#123456", "category": "open", "order": 15})
			h.Do(&admin, "PUT", externalPath, map[string]any{"statusId": st}, ifMatch(1)...).Must(t, http.StatusOK)
			return setup{statusesPath + "/" + st, statusesPath, []string{"external"}, func() {
				h.Do(&admin, "PUT", externalPath, map[string]any{}, ifMatch(2)...).Must(t, http.StatusOK)
			}}
		}},
		{"priority the external settings use", func(t *testing.T, h *harness) setup {
			p := ruleID(t, h, prioritiesPath, map[string]any{"name": "Webb", "color": "#123456", "startWithin": "PT2H", "resolveWithin": "P1D", "order": 5})
			h.Do(&admin, "PUT", externalPath, map[string]any{"priorityId": p}, ifMatch(1)...).Must(t, http.StatusOK)
			return setup{prioritiesPath + "/" + p, prioritiesPath, []string{"external"}, func() {
				h.Do(&admin, "PUT", externalPath, map[string]any{}, ifMatch(2)...).Must(t, http.StatusOK)
			}}
		}},
		{"priority the portal settings use", func(t *testing.T, h *harness) setup {
			p := ruleID(t, h, prioritiesPath, map[string]any{"name": "Portal", "color": "#123456", "startWithin": "PT2H", "resolveWithin": "P1D", "order": 5})
			h.Do(&admin, "PUT", portalPath, map[string]any{"priorityId": p}, ifMatch(1)...).Must(t, http.StatusOK)
			return setup{prioritiesPath + "/" + p, prioritiesPath, []string{"portal"}, func() {
				h.Do(&admin, "PUT", portalPath, map[string]any{"priorityId": "priority-low"}, ifMatch(2)...).Must(t, http.StatusOK)
			}}
		}},
		{"case type the external settings use", func(t *testing.T, h *harness) setup {
			ct := ruleID(t, h, typesPath, map[string]any{"name": "Webbformulär"})
			h.Do(&admin, "PUT", externalPath, map[string]any{"typeId": ct}, ifMatch(1)...).Must(t, http.StatusOK)
			return setup{typesPath + "/" + ct, typesPath, []string{"external"}, func() {
				h.Do(&admin, "PUT", externalPath, map[string]any{}, ifMatch(2)...).Must(t, http.StatusOK)
			}}
		}},
		{"task template a type links", func(t *testing.T, h *harness) setup {
			tt := ruleID(t, h, "/v1/settings/task-templates", map[string]any{"name": "Installation", "tasks": []map[string]any{{"title": "Boka tid"}}})
			ct := ruleID(t, h, typesPath, map[string]any{"name": "Nyinstallation", "taskTemplateId": tt})
			return setup{"/v1/settings/task-templates/" + tt, "/v1/settings/task-templates", []string{"Nyinstallation"}, func() {
				rulePatch(t, h, typesPath+"/"+ct, map[string]any{"taskTemplateId": nil}).Must(t, http.StatusOK)
			}}
		}},
		{"report template a type links", func(t *testing.T, h *harness) setup {
			rt := ruleID(t, h, "/v1/settings/report-templates", map[string]any{"name": "Servicerapport",
				"fields": []map[string]any{{"key": "timmar", "name": "Timmar", "kind": "number", "required": true}}})
			ct := ruleID(t, h, typesPath, map[string]any{"name": "Service", "reportTemplateId": rt})
			return setup{"/v1/settings/report-templates/" + rt, "/v1/settings/report-templates", []string{"Service"}, func() {
				rulePatch(t, h, typesPath+"/"+ct, map[string]any{"reportTemplateId": ""}).Must(t, http.StatusOK)
			}}
		}},
		{"form a type gives its cases", func(t *testing.T, h *harness) setup {
			f := ruleID(t, h, formsPath, ruleForm("Servicebesök"))
			ct := ruleID(t, h, typesPath, map[string]any{"name": "Service", "defaultForm": map[string]any{"formId": f, "filledBy": "customer"}})
			return setup{formsPath + "/" + f, formsPath, []string{"Service"}, func() {
				rulePatch(t, h, typesPath+"/"+ct, map[string]any{"defaultForm": nil}).Must(t, http.StatusOK)
			}}
		}},
		{"user who is a member of a group", func(t *testing.T, h *harness) setup {
			u := ruleID(t, h, "/v1/users", map[string]any{"name": "Anna Agent", "email": "anna@example.se", "roles": []string{"agent"}})
			other := ruleID(t, h, "/v1/users", map[string]any{"name": "Bo Agent", "email": "bo@example.se", "roles": []string{"agent"}})
			g := ruleID(t, h, "/v1/groups", map[string]any{"name": "Kundtjänst", "members": []string{other, u}})
			return setup{"/v1/users/" + u, "/v1/users", []string{"Kundtjänst"}, func() {
				rulePatch(t, h, "/v1/groups/"+g, map[string]any{"members": []string{other}}).Must(t, http.StatusOK)
			}}
		}},
		{"user a type assigns", func(t *testing.T, h *harness) setup {
			u := ruleID(t, h, "/v1/users", map[string]any{"name": "Anna Agent", "email": "anna@example.se", "roles": []string{"agent"}})
			ct := ruleID(t, h, typesPath, map[string]any{"name": "Reklamation", "assignees": map[string]any{"users": []string{u}}})
			return setup{"/v1/users/" + u, "/v1/users", []string{"Reklamation"}, func() {
				rulePatch(t, h, typesPath+"/"+ct, map[string]any{"assignees": map[string]any{"users": []string{}}}).Must(t, http.StatusOK)
			}}
		}},
		{"user the external settings assign", func(t *testing.T, h *harness) setup {
			u := ruleID(t, h, "/v1/users", map[string]any{"name": "Anna Agent", "email": "anna@example.se", "roles": []string{"agent"}})
			h.Do(&admin, "PUT", externalPath, map[string]any{"assignees": map[string]any{"users": []string{u}}}, ifMatch(1)...).Must(t, http.StatusOK)
			return setup{"/v1/users/" + u, "/v1/users", []string{"external"}, func() {
				h.Do(&admin, "PUT", externalPath, map[string]any{}, ifMatch(2)...).Must(t, http.StatusOK)
			}}
		}},
		{"group a type assigns", func(t *testing.T, h *harness) setup {
			g := ruleID(t, h, "/v1/groups", map[string]any{"name": "Kundtjänst"})
			ct := ruleID(t, h, typesPath, map[string]any{"name": "Reklamation", "assignees": map[string]any{"groups": []string{g}}})
			return setup{"/v1/groups/" + g, "/v1/groups", []string{"Reklamation"}, func() {
				rulePatch(t, h, typesPath+"/"+ct, map[string]any{"assignees": map[string]any{"users": []string{}, "groups": []string{}}}).Must(t, http.StatusOK)
			}}
		}},
		{"group the external settings assign", func(t *testing.T, h *harness) setup {
			g := ruleID(t, h, "/v1/groups", map[string]any{"name": "Kundtjänst"})
			h.Do(&admin, "PUT", externalPath, map[string]any{"assignees": map[string]any{"groups": []string{g}}}, ifMatch(1)...).Must(t, http.StatusOK)
			return setup{"/v1/groups/" + g, "/v1/groups", []string{"external"}, func() {
				h.Do(&admin, "PUT", externalPath, map[string]any{}, ifMatch(2)...).Must(t, http.StatusOK)
			}}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			s := tc.setup(t, h)

			before, obj := ruleRead(t, h, s.list), ruleRead(t, h, s.path)
			r := h.Do(&admin, "DELETE", s.path, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
			for _, u := range s.users {
				if !strings.Contains(r.Detail(), u) {
					t.Errorf("the 409 does not name %q: %s", u, r.Detail())
				}
			}
			if name := obj.Str("name"); name != "" && !strings.Contains(r.Detail(), name) {
				t.Errorf("the 409 does not name the object %q: %s", name, r.Detail())
			}
			// With If-Match too.
			h.Do(&admin, "DELETE", s.path, nil, ifMatch(obj.Version())...).MustProblem(t, http.StatusConflict)
			ruleUnchanged(t, h, s.list, before)
			ruleUnchanged(t, h, s.path, obj)

			s.unlink()
			h.Do(&admin, "DELETE", s.path, nil, ifMatch(obj.Version())...).Must(t, http.StatusNoContent)
			h.Do(&admin, "GET", s.path, nil).MustProblem(t, http.StatusNotFound)
			if got, want := len(ruleRead(t, h, s.list).Items()), len(before.Items())-1; got != want {
				t.Errorf("%d items listed after the delete, want %d", got, want)
			}
			h.Do(&admin, "DELETE", s.path, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
		})
	}
}

// TestDeleteRules covers deletes refused for other reasons than a
// reference, and who may delete.
func TestDeleteRules(t *testing.T) {
	h := newHarness(t)
	id := ruleID(t, h, fieldsPath, map[string]any{"name": "Serienummer", "kind": "text"})
	path := fieldsPath + "/" + id

	t.Run("stale If-Match", func(t *testing.T) {
		before := ruleRead(t, h, fieldsPath)
		h.Do(&admin, "DELETE", path, nil, ifMatch(2)...).MustProblem(t, http.StatusPreconditionFailed)
		ruleUnchanged(t, h, fieldsPath, before)
	})
	t.Run("an agent may not delete", func(t *testing.T) {
		before := ruleRead(t, h, fieldsPath)
		h.Do(&agent, "DELETE", path, nil, "If-Match", "*").MustProblem(t, http.StatusForbidden)
		h.Do(&customer, "DELETE", path, nil, "If-Match", "*").MustProblem(t, http.StatusForbidden)
		ruleUnchanged(t, h, fieldsPath, before)
	})
	t.Run("another tenant sees nothing to delete", func(t *testing.T) {
		before := ruleRead(t, h, fieldsPath)
		h.Do(&intruder, "DELETE", path, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
		ruleUnchanged(t, h, fieldsPath, before)
	})
	t.Run("unknown and malformed IDs", func(t *testing.T) {
		h.Do(&admin, "DELETE", fieldsPath+"/"+ruleNoSuchID, nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
		h.Do(&admin, "DELETE", fieldsPath+"/a.b", nil, "If-Match", "*").MustProblem(t, http.StatusNotFound)
	})
	t.Run("unreferenced", func(t *testing.T) {
		h.Do(&admin, "DELETE", path, nil, "If-Match", "*").Must(t, http.StatusNoContent)
		h.Do(&admin, "GET", path, nil).MustProblem(t, http.StatusNotFound)
	})
}
