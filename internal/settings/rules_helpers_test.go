package settings_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// Helpers shared by the rules_*_test.go files. Their names start with
// "rule" so they do not collide with helpers of other test files.

// ruleRead reads path as admin and insists on 200.
func ruleRead(t *testing.T, h *harness, path string) response {
	t.Helper()
	return h.Do(&admin, "GET", path, nil).Must(t, http.StatusOK)
}

// ruleUnchanged re-reads path and fails unless the answer is byte for byte
// the one read before a refused write: nothing changed. For a list it also
// compares the count, for an object the version, so a failure says what
// moved.
func ruleUnchanged(t *testing.T, h *harness, path string, before response) {
	t.Helper()
	after := ruleRead(t, h, path)
	if _, isList := before.Body["items"]; isList {
		if b, a := len(before.Items()), len(after.Items()); b != a {
			t.Errorf("%s: %d items after the refused write, %d before", path, a, b)
		}
	} else if b, a := before.Version(), after.Version(); b != a {
		t.Errorf("%s: version %d after the refused write, %d before", path, a, b)
	}
	if !bytes.Equal(before.Raw, after.Raw) {
		t.Errorf("%s changed although the write was refused:\nbefore: %s\nafter:  %s", path, before.Raw, after.Raw)
	}
}

// ruleCreate posts body to path as admin, insists on 201 and returns the
// created object.
func ruleCreate(t *testing.T, h *harness, path string, body any) response {
	t.Helper()
	return h.Do(&admin, "POST", path, body).Must(t, http.StatusCreated)
}

// ruleID creates an object and returns its ID.
func ruleID(t *testing.T, h *harness, path string, body any) string {
	t.Helper()
	id := ruleCreate(t, h, path, body).Str("id")
	if id == "" {
		t.Fatalf("POST %s answered no id", path)
	}
	return id
}

// rulePatch merge-patches path as admin with the version read now.
func rulePatch(t *testing.T, h *harness, path string, body any) response {
	t.Helper()
	v := ruleRead(t, h, path).Version()
	return h.Do(&admin, "PATCH", path, body, ifMatch(v)...)
}

// ruleMessages is everything a problem says: its detail and the messages
// of its field errors.
func ruleMessages(r response) string {
	parts := []string{r.Detail()}
	errs, _ := r.Body["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			s, _ := m["message"].(string)
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n")
}

// ruleNoSuchID is a well-formed ID that no object has.
const ruleNoSuchID = "01jzzzzzzzzzzzzzzzzzzzzzzz"

// ruleDefaults counts the items with isDefault true and returns the ID of
// the last one.
func ruleDefaults(items []map[string]any) (n int, id string) {
	for _, it := range items {
		if it["isDefault"] == true {
			n++
			id, _ = it["id"].(string)
		}
	}
	return n, id
}

// ruleExactlyOneDefault checks that exactly one object of the collection
// at path is the default, def to begin with: one created as the default
// (body) replaces it; the default can neither stop being it nor be
// deleted; making next the default moves it, and the former default may
// then go. between runs once the created object is the default, with its
// path, for the collection's own rules.
func ruleExactlyOneDefault(t *testing.T, h *harness, path, def, next string, body map[string]any, between func(t *testing.T, def string)) {
	t.Helper()
	def = path + "/" + def
	t.Run("a new default replaces the former", func(t *testing.T) {
		r := ruleCreate(t, h, path, body)
		if r.Body["isDefault"] != true {
			t.Fatalf("created %s", r.Raw)
		}
		items := ruleRead(t, h, path).Items()
		n, id := ruleDefaults(items)
		if n != 1 || id != r.Str("id") {
			t.Errorf("%d defaults, the last %s; want exactly 1, %s: %v", n, id, r.Str("id"), items)
		}
		former := ruleRead(t, h, def)
		if former.Body["isDefault"] != false || former.Version() != 2 {
			t.Errorf("the former default is %s; want isDefault false at version 2", former.Raw)
		}
		def = path + "/" + r.Str("id")
	})
	t.Run("PATCH isDefault false on the default", func(t *testing.T) {
		before := ruleRead(t, h, def)
		h.Do(&admin, "PATCH", def, map[string]any{"isDefault": false}, ifMatch(before.Version())...).
			MustProblem(t, http.StatusBadRequest, "isDefault")
		ruleUnchanged(t, h, def, before)
	})
	if between != nil {
		between(t, def)
	}
	t.Run("deleting the default", func(t *testing.T) {
		before := ruleRead(t, h, path)
		h.Do(&admin, "DELETE", def, nil, "If-Match", "*").MustProblem(t, http.StatusConflict)
		ruleUnchanged(t, h, path, before)
	})
	t.Run("PATCH isDefault true moves the default", func(t *testing.T) {
		r := rulePatch(t, h, path+"/"+next, map[string]any{"isDefault": true}).Must(t, http.StatusOK)
		if r.Body["isDefault"] != true {
			t.Fatalf("patched %s", r.Raw)
		}
		n, id := ruleDefaults(ruleRead(t, h, path).Items())
		if n != 1 || id != next {
			t.Errorf("%d defaults, the last %s; want exactly 1, %s", n, id, next)
		}
		// The former default is an ordinary object now, and may go.
		h.Do(&admin, "DELETE", def, nil, "If-Match", "*").Must(t, http.StatusNoContent)
		h.Do(&admin, "GET", def, nil).MustProblem(t, http.StatusNotFound)
	})
}

// ruleRefusedWrites insists that creating create at the collection path
// and patching the object at object with patch are each refused, as
// sub-tests "create/"+name and "patch/"+name: 400 naming field, and
// nothing changed.
func ruleRefusedWrites(t *testing.T, h *harness, path, object, name, field string, create, patch map[string]any) {
	t.Helper()
	t.Run("create/"+name, func(t *testing.T) {
		before := ruleRead(t, h, path)
		h.Do(&admin, "POST", path, create).MustProblem(t, http.StatusBadRequest, field)
		ruleUnchanged(t, h, path, before)
	})
	t.Run("patch/"+name, func(t *testing.T) {
		before := ruleRead(t, h, object)
		h.Do(&admin, "PATCH", object, patch, ifMatch(before.Version())...).MustProblem(t, http.StatusBadRequest, field)
		ruleUnchanged(t, h, object, before)
	})
}
