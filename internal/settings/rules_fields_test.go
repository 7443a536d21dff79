package settings_test

import (
	"net/http"
	"slices"
	"testing"
)

const fieldsPath = "/v1/settings/case-type-fields"

func TestFieldCreateRefusals(t *testing.T) {
	h := newHarness(t)
	ruleCreate(t, h, fieldsPath, map[string]any{"name": "Befintlig", "kind": "text"})

	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"dropdown without options", map[string]any{"name": "Färg", "kind": "dropdown"}, "options"},
		{"dropdown with empty options", map[string]any{"name": "Färg", "kind": "dropdown", "options": []string{}}, "options"},
		{"dropdown option listed twice", map[string]any{"name": "Färg", "kind": "dropdown", "options": []string{"Röd", "Röd"}}, "options[1]"},
		{"dropdown option twice in other case", map[string]any{"name": "Färg", "kind": "dropdown", "options": []string{"Röd", "röd"}}, "options[1]"},
		{"dropdown later option twice", map[string]any{"name": "Färg", "kind": "dropdown", "options": []string{"Blå", "Röd", "BLÅ"}}, "options[2]"},
		{"dropdown empty option", map[string]any{"name": "Färg", "kind": "dropdown", "options": []string{"Röd", ""}}, "options[1]"},
		{"unknown kind", map[string]any{"name": "Färg", "kind": "checkbox"}, "kind"},
		{"missing kind", map[string]any{"name": "Färg"}, "kind"},
		{"text with options", map[string]any{"name": "Färg", "kind": "text", "options": []string{"Röd"}}, "options"},
		{"number with options", map[string]any{"name": "Antal", "kind": "number", "options": []string{"1", "2"}}, "options"},
		{"name missing", map[string]any{"kind": "text"}, "name"},
		{"name taken in other case", map[string]any{"name": "BEFINTLIG", "kind": "text"}, "name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := ruleRead(t, h, fieldsPath)
			h.Do(&admin, "POST", fieldsPath, tc.body).MustProblem(t, http.StatusBadRequest, tc.field)
			ruleUnchanged(t, h, fieldsPath, before)
		})
	}
}

func TestFieldPatchRefusals(t *testing.T) {
	h := newHarness(t)
	id := ruleID(t, h, fieldsPath, map[string]any{"name": "Färg", "kind": "dropdown", "options": []string{"Röd", "Blå"}})
	path := fieldsPath + "/" + id

	cases := []struct {
		name  string
		patch map[string]any
		field string
	}{
		{"remove every option", map[string]any{"options": []string{}}, "options"},
		{"options twice", map[string]any{"options": []string{"Grön", "GRÖN"}}, "options[1]"},
		{"to text keeping options", map[string]any{"kind": "text"}, "options"},
		{"unknown kind", map[string]any{"kind": "date"}, "kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := ruleRead(t, h, path)
			h.Do(&admin, "PATCH", path, tc.patch, ifMatch(before.Version())...).MustProblem(t, http.StatusBadRequest, tc.field)
			ruleUnchanged(t, h, path, before)
		})
	}

	// Changing a dropdown into text works when the options go with it.
	r := rulePatch(t, h, path, map[string]any{"kind": "text", "options": nil}).Must(t, http.StatusOK)
	if r.Str("kind") != "text" || r.Body["options"] != nil || r.Version() != 2 {
		t.Errorf("dropdown to text: %s", r.Raw)
	}
}

func TestFieldValidDropdownCreated(t *testing.T) {
	h := newHarness(t)
	r := h.Do(&admin, "POST", fieldsPath, map[string]any{"name": "Färg", "kind": "dropdown", "options": []string{"Röd", "Grön", "Blå"}}).
		Must(t, http.StatusCreated)
	id := r.Str("id")
	if id == "" {
		t.Fatalf("no id: %s", r.Raw)
	}
	if got, want := r.Header.Get("Location"), fieldsPath+"/"+id; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag %q, want \"1\"", got)
	}
	if r.Version() != 1 {
		t.Errorf("version %d, want 1", r.Version())
	}
	if r.Str("createdAt") == "" || r.Str("createdAt") != r.Str("updatedAt") {
		t.Errorf("createdAt %q, updatedAt %q", r.Str("createdAt"), r.Str("updatedAt"))
	}

	got := ruleRead(t, h, r.Header.Get("Location"))
	var options []string
	for _, o := range got.Body["options"].([]any) {
		options = append(options, o.(string))
	}
	if !slices.Equal(options, []string{"Röd", "Grön", "Blå"}) || got.Str("kind") != "dropdown" || got.Str("name") != "Färg" {
		t.Errorf("GET answers %s", got.Raw)
	}
	if n := len(ruleRead(t, h, fieldsPath).Items()); n != 1 {
		t.Errorf("%d fields listed, want 1", n)
	}

	// Agents read fields; only admins write them.
	h.Do(&agent, "GET", fieldsPath+"/"+id, nil).Must(t, http.StatusOK)
	before := ruleRead(t, h, fieldsPath)
	h.Do(&agent, "POST", fieldsPath, map[string]any{"name": "Storlek", "kind": "text"}).MustProblem(t, http.StatusForbidden)
	ruleUnchanged(t, h, fieldsPath, before)
}
