package settings_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

const formsPath = "/v1/settings/forms"

// ruleForm is a valid form: every kind of question, in two sections and
// without one.
func ruleForm(name string) map[string]any {
	return map[string]any{
		"name": name,
		"sections": []map[string]any{
			{"key": "unit", "title": "Aggregatet", "help": "Typskylten sitter på sidan."},
			{"key": "visit", "title": "Besöket"},
		},
		"questions": []map[string]any{
			{"key": "summary", "label": "Kort beskrivning", "kind": "text", "required": true},
			{"key": "model", "label": "Modell", "kind": "text", "required": false, "section": "unit"},
			{"key": "fault", "label": "Vad händer?", "kind": "dropdown", "options": []string{"Larmar", "Går inte igång"}, "required": true, "section": "unit"},
			{"key": "age", "label": "Ålder (år)", "kind": "number", "required": false, "section": "unit"},
			{"key": "details", "label": "Berätta mer", "kind": "longtext", "help": "Allt vi bör veta.", "required": false, "section": "visit"},
			{"key": "date", "label": "Önskat datum", "kind": "date", "required": false, "section": "visit"},
			{"key": "accept", "label": "Tekniker får gå in", "kind": "checkbox", "required": true, "section": "visit"},
		},
	}
}

// TestFormRoundTrip: a form is stored as sent and read back the same from
// the object, the list and after a change (version one higher).
func TestFormRoundTrip(t *testing.T) {
	h := newHarness(t)
	sent := ruleForm("Servicebesök")
	created := ruleCreate(t, h, formsPath, sent)
	path := formsPath + "/" + created.Str("id")
	got := ruleRead(t, h, path)
	if got.Version() != 1 || got.Str("name") != "Servicebesök" {
		t.Fatalf("read back %s", got.Raw)
	}
	for _, k := range []string{"sections", "questions"} {
		if !sameJSON(t, got.Body[k], sent[k]) {
			t.Errorf("%s read back as %v, sent %v", k, got.Body[k], sent[k])
		}
	}
	if items := ruleRead(t, h, formsPath).Items(); len(items) != 1 || items[0]["id"] != created.Str("id") {
		t.Errorf("list: %v", items)
	}
	// Agents read forms too; they do not write them.
	h.Do(&agent, "GET", path, nil).Must(t, http.StatusOK)
	h.Do(&agent, "PATCH", path, map[string]any{"name": "x"}, ifMatch(1)...).MustProblem(t, http.StatusForbidden)

	qs := sent["questions"].([]map[string]any)
	changed := rulePatch(t, h, path, map[string]any{"questions": qs[:2], "sections": []map[string]any{{"key": "unit", "title": "Aggregatet"}}}).Must(t, http.StatusOK)
	if changed.Version() != 2 || len(changed.List("questions")) != 2 {
		t.Errorf("after the change: %s", changed.Raw)
	}
	if !sameJSON(t, ruleRead(t, h, path).Body, changed.Body) {
		t.Error("the change answered otherwise than it reads back")
	}
}

// sameJSON reports whether a (decoded JSON) and b (as sent) are the same
// JSON.
func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	return reflect.DeepEqual(normalJSON(t, a), normalJSON(t, b))
}

// TestFormRules: what a form may be, each rule broken once: 400 naming
// the field, and nothing stored.
func TestFormRules(t *testing.T) {
	h := newHarness(t)
	ruleCreate(t, h, formsPath, ruleForm("Befintlig"))
	q := func(key, kind string, more ...any) map[string]any {
		m := map[string]any{"key": key, "label": "Fråga " + key, "kind": kind}
		for i := 0; i+1 < len(more); i += 2 {
			m[more[i].(string)] = more[i+1]
		}
		return m
	}
	many := make([]map[string]any, 101)
	for i := range many {
		many[i] = q(fmt.Sprintf("q%d", i), "text")
	}
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no name", map[string]any{"questions": []any{q("a", "text")}}, "name"},
		{"a name taken", map[string]any{"name": "befintlig", "questions": []any{q("a", "text")}}, "name"},
		{"no questions", map[string]any{"name": "Tom"}, "questions"},
		{"too many questions", map[string]any{"name": "Stor", "questions": many}, "questions"},
		{"a bad key", map[string]any{"name": "F", "questions": []any{q("Modell", "text")}}, "questions[0].key"},
		{"a key twice", map[string]any{"name": "F", "questions": []any{q("a", "text"), q("a", "number")}}, "questions[1].key"},
		{"no label", map[string]any{"name": "F", "questions": []any{map[string]any{"key": "a", "kind": "text"}}}, "questions[0].label"},
		{"a label too long", map[string]any{"name": "F", "questions": []any{q("a", "text", "label", strings.Repeat("x", 201))}}, "questions[0].label"},
		{"help too long", map[string]any{"name": "F", "questions": []any{q("a", "text", "help", strings.Repeat("x", 501))}}, "questions[0].help"},
		{"an unknown kind", map[string]any{"name": "F", "questions": []any{q("a", "radio")}}, "questions[0].kind"},
		{"a dropdown without options", map[string]any{"name": "F", "questions": []any{q("a", "dropdown")}}, "questions[0].options"},
		{"an option twice", map[string]any{"name": "F", "questions": []any{q("a", "dropdown", "options", []string{"Ja", "ja"})}}, "questions[0].options[1]"},
		{"options on a checkbox", map[string]any{"name": "F", "questions": []any{q("a", "checkbox", "options", []string{"Ja"})}}, "questions[0].options"},
		{"an unknown section", map[string]any{"name": "F", "questions": []any{q("a", "text", "section", "x")}}, "questions[0].section"},
		{"a section apart", map[string]any{"name": "F",
			"sections":  []any{map[string]any{"key": "s", "title": "S"}, map[string]any{"key": "t", "title": "T"}},
			"questions": []any{q("a", "text", "section", "s"), q("b", "text", "section", "t"), q("c", "text", "section", "s")}}, "questions[2].section"},
		{"no section after a section", map[string]any{"name": "F", "sections": []any{map[string]any{"key": "s", "title": "S"}},
			"questions": []any{q("a", "text", "section", "s"), q("b", "text")}}, "questions[1].section"},
		{"a section without questions", map[string]any{"name": "F", "sections": []any{map[string]any{"key": "s", "title": "S"}},
			"questions": []any{q("a", "text")}}, "sections[0].key"},
		{"a section without a title", map[string]any{"name": "F", "sections": []any{map[string]any{"key": "s"}},
			"questions": []any{q("a", "text", "section", "s")}}, "sections[0].title"},
		{"a server field", map[string]any{"name": "F", "questions": []any{q("a", "text")}, "version": 3}, "version"},
		{"an unknown field of a question", map[string]any{"name": "F", "questions": []any{q("a", "text", "placeholder", "x")}}, "questions[0].placeholder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := ruleRead(t, h, formsPath)
			h.Do(&admin, "POST", formsPath, tc.body).MustProblem(t, http.StatusBadRequest, tc.field)
			ruleUnchanged(t, h, formsPath, before)
		})
	}
	t.Run("larger than a setting may be", func(t *testing.T) {
		var qs []map[string]any
		for i := range 100 {
			qs = append(qs, q(fmt.Sprintf("q%d", i), "longtext", "label", strings.Repeat("Lång fråga ", 18), "help", strings.Repeat("Hjälp ", 80)))
		}
		before := ruleRead(t, h, formsPath)
		h.Do(&admin, "POST", formsPath, map[string]any{"name": "Jättestor", "questions": qs}).MustProblem(t, http.StatusRequestEntityTooLarge)
		ruleUnchanged(t, h, formsPath, before)
	})
}

// TestCaseTypeDefaultForm: a case type's default form names a form of the
// tenant's and who fills it (staff when not said); a merge patch merges
// into it and null removes it.
func TestCaseTypeDefaultForm(t *testing.T) {
	h := newHarness(t)
	form := ruleID(t, h, formsPath, ruleForm("Servicebesök"))
	ct := ruleCreate(t, h, typesPath, map[string]any{"name": "Service", "defaultForm": map[string]any{"formId": form}})
	if d := ct.Obj("defaultForm"); d["formId"] != form || d["filledBy"] != "staff" || d["requiredBeforeClose"] != false {
		t.Errorf("defaultForm %v", d)
	}
	path := typesPath + "/" + ct.Str("id")
	got := rulePatch(t, h, path, map[string]any{"defaultForm": map[string]any{"filledBy": "customer", "requiredBeforeClose": true}}).Must(t, http.StatusOK)
	if d := got.Obj("defaultForm"); d["formId"] != form || d["filledBy"] != "customer" || d["requiredBeforeClose"] != true {
		t.Errorf("merged defaultForm %v", d)
	}
	for name, tc := range map[string]struct {
		body  map[string]any
		field string
	}{
		"an unknown form":  {map[string]any{"defaultForm": map[string]any{"formId": ruleNoSuchID}}, "defaultForm.formId"},
		"a malformed ID":   {map[string]any{"defaultForm": map[string]any{"formId": "../x"}}, "defaultForm.formId"},
		"no form":          {map[string]any{"defaultForm": map[string]any{"filledBy": "staff"}}, "defaultForm.formId"},
		"filled by nobody": {map[string]any{"defaultForm": map[string]any{"formId": form, "filledBy": "robot"}}, "defaultForm.filledBy"},
	} {
		t.Run(name, func(t *testing.T) {
			body := map[string]any{"name": "Ny typ"}
			for k, v := range tc.body {
				body[k] = v
			}
			h.Do(&admin, "POST", typesPath, body).MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	gone := rulePatch(t, h, path, map[string]any{"defaultForm": nil}).Must(t, http.StatusOK)
	if _, ok := gone.Body["defaultForm"]; ok {
		t.Errorf("defaultForm still there: %s", gone.Raw)
	}
	// Unused now, the form may go.
	h.Do(&admin, "DELETE", formsPath+"/"+form, nil, "If-Match", "*").Must(t, http.StatusNoContent)
}

// normalJSON is v as decoded JSON (maps, slices, float64s).
func normalJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
