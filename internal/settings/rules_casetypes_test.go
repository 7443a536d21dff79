package settings_test

import (
	"net/http"
	"testing"
)

const typesPath = "/v1/settings/case-types"

// ruleTypeRefs creates one of each object a case type can reference.
type ruleTypeRefs struct {
	field, user, group, taskTemplate, reportTemplate string
}

func newRuleTypeRefs(t *testing.T, h *harness) ruleTypeRefs {
	t.Helper()
	var r ruleTypeRefs
	r.field = ruleID(t, h, fieldsPath, map[string]any{"name": "Serienummer", "kind": "text"})
	r.user = ruleID(t, h, "/v1/users", map[string]any{"name": "Anna Agent", "email": "anna@example.se", "roles": []string{"agent"}})
	r.group = ruleID(t, h, "/v1/groups", map[string]any{"name": "Support", "members": []string{r.user}})
	r.taskTemplate = ruleID(t, h, "/v1/settings/task-templates", map[string]any{"name": "Installation", "tasks": []map[string]any{{"title": "Boka tid", "dueWithin": "P2D"}}})
	r.reportTemplate = ruleID(t, h, "/v1/settings/report-templates", map[string]any{"name": "Servicerapport", "fields": []map[string]any{{"key": "timmar", "name": "Timmar", "kind": "number"}}})
	return r
}

// body returns a case type referencing everything in r, with change
// applied on top.
func (r ruleTypeRefs) body(name string, change func(map[string]any)) map[string]any {
	b := map[string]any{
		"name":             name,
		"visibleInPortal":  true,
		"assignees":        map[string]any{"users": []string{r.user}, "groups": []string{r.group}},
		"fields":           []map[string]any{{"fieldId": r.field, "required": true, "filledBy": "customer"}},
		"taskTemplateId":   r.taskTemplate,
		"reportTemplateId": r.reportTemplate,
	}
	if change != nil {
		change(b)
	}
	return b
}

func TestCaseTypeReferencesMustExist(t *testing.T) {
	h := newHarness(t)
	refs := newRuleTypeRefs(t, h)

	// With every reference present, the type is created.
	existing := ruleCreate(t, h, typesPath, refs.body("Reklamation", nil))
	existingPath := typesPath + "/" + existing.Str("id")

	cases := []struct {
		name   string
		change func(map[string]any)
		field  string
	}{
		{"unknown field", func(b map[string]any) {
			b["fields"] = []map[string]any{{"fieldId": ruleNoSuchID, "filledBy": "staff"}}
		}, "fields[0].fieldId"},
		{"malformed field ID", func(b map[string]any) {
			b["fields"] = []map[string]any{{"fieldId": "../x", "filledBy": "staff"}}
		}, "fields[0].fieldId"},
		{"empty field ID", func(b map[string]any) {
			b["fields"] = []map[string]any{{"fieldId": "", "filledBy": "staff"}}
		}, "fields[0].fieldId"},
		{"field placed twice", func(b map[string]any) {
			b["fields"] = []map[string]any{{"fieldId": refs.field}, {"fieldId": refs.field}}
		}, "fields[1].fieldId"},
		{"unknown user", func(b map[string]any) {
			b["assignees"] = map[string]any{"users": []string{ruleNoSuchID}, "groups": []string{}}
		}, "assignees.users[0]"},
		{"unknown group", func(b map[string]any) {
			b["assignees"] = map[string]any{"users": []string{}, "groups": []string{ruleNoSuchID}}
		}, "assignees.groups[0]"},
		{"a user ID is no group", func(b map[string]any) {
			b["assignees"] = map[string]any{"groups": []string{refs.user}}
		}, "assignees.groups[0]"},
		{"unknown task template", func(b map[string]any) { b["taskTemplateId"] = ruleNoSuchID }, "taskTemplateId"},
		{"a report template is no task template", func(b map[string]any) { b["taskTemplateId"] = refs.reportTemplate }, "taskTemplateId"},
		{"unknown report template", func(b map[string]any) { b["reportTemplateId"] = ruleNoSuchID }, "reportTemplateId"},
		{"filledBy neither customer nor staff", func(b map[string]any) {
			b["fields"] = []map[string]any{{"fieldId": refs.field, "filledBy": "robot"}}
		}, "fields[0].filledBy"},
		{"filledBy in upper case", func(b map[string]any) {
			b["fields"] = []map[string]any{{"fieldId": refs.field, "filledBy": "Customer"}}
		}, "fields[0].filledBy"},
	}
	for _, tc := range cases {
		t.Run("create/"+tc.name, func(t *testing.T) {
			before := ruleRead(t, h, typesPath)
			h.Do(&admin, "POST", typesPath, refs.body("Ny typ", tc.change)).MustProblem(t, http.StatusBadRequest, tc.field)
			ruleUnchanged(t, h, typesPath, before)
		})
		t.Run("patch/"+tc.name, func(t *testing.T) {
			before := ruleRead(t, h, existingPath)
			patch := refs.body(existing.Str("name"), tc.change)
			h.Do(&admin, "PATCH", existingPath, patch, ifMatch(before.Version())...).MustProblem(t, http.StatusBadRequest, tc.field)
			ruleUnchanged(t, h, existingPath, before)
		})
	}

	for _, by := range []string{"customer", "staff"} {
		t.Run("filledBy "+by+" accepted", func(t *testing.T) {
			r := ruleCreate(t, h, typesPath, refs.body("Typ "+by, func(b map[string]any) {
				b["fields"] = []map[string]any{{"fieldId": refs.field, "filledBy": by}}
			}))
			if f := r.Body["fields"].([]any)[0].(map[string]any); f["filledBy"] != by {
				t.Errorf("filledBy %v, want %s", f["filledBy"], by)
			}
		})
	}
}

func TestCaseTypeAPIID(t *testing.T) {
	h := newHarness(t)
	a := ruleCreate(t, h, typesPath, map[string]any{"name": "Reklamation"})
	b := ruleCreate(t, h, typesPath, map[string]any{"name": "Beställning"})
	for _, r := range []response{a, b} {
		if id := r.Str("apiId"); len(id) < 26 {
			t.Errorf("type %s has apiId %q; want at least 26 characters", r.Str("name"), id)
		}
	}
	if a.Str("apiId") == b.Str("apiId") {
		t.Errorf("two types share the apiId %q", a.Str("apiId"))
	}
	if a.Str("apiId") == a.Str("id") {
		t.Errorf("the apiId is the object ID %q; it must be its own value", a.Str("id"))
	}

	path := typesPath + "/" + a.Str("id")
	renamed := rulePatch(t, h, path, map[string]any{"name": "Reklamationer"}).Must(t, http.StatusOK)
	if renamed.Str("name") != "Reklamationer" || renamed.Version() != 2 {
		t.Errorf("rename answered %s", renamed.Raw)
	}
	if renamed.Str("apiId") != a.Str("apiId") {
		t.Errorf("apiId changed by a rename: %q, was %q", renamed.Str("apiId"), a.Str("apiId"))
	}
	if got := ruleRead(t, h, path).Str("apiId"); got != a.Str("apiId") {
		t.Errorf("stored apiId %q, was %q", got, a.Str("apiId"))
	}

	t.Run("PATCH with apiId refused", func(t *testing.T) {
		for _, apiID := range []string{"my-own-api-id-that-is-long-enough", ""} {
			before := ruleRead(t, h, path)
			h.Do(&admin, "PATCH", path, map[string]any{"apiId": apiID}, ifMatch(before.Version())...).
				MustProblem(t, http.StatusBadRequest, "apiId")
			ruleUnchanged(t, h, path, before)
		}
	})
	t.Run("PATCH sending the apiId back unchanged is accepted", func(t *testing.T) {
		before := ruleRead(t, h, path)
		res := h.Do(&admin, "PATCH", path, map[string]any{"apiId": a.Str("apiId"), "id": a.Str("id"), "visibleInPortal": true}, ifMatch(before.Version())...).Must(t, http.StatusOK)
		if res.Str("apiId") != a.Str("apiId") || res.Body["visibleInPortal"] != true {
			t.Errorf("answer %s", res.Raw)
		}
	})
	t.Run("POST with apiId refused", func(t *testing.T) {
		before := ruleRead(t, h, typesPath)
		h.Do(&admin, "POST", typesPath, map[string]any{"name": "Service", "apiId": "my-own-api-id-that-is-long-enough"}).
			MustProblem(t, http.StatusBadRequest, "apiId")
		ruleUnchanged(t, h, typesPath, before)
	})
}
