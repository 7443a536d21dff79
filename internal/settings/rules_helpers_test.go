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

// ruleObject copies a decoded answer for use as a request body, without
// the fields the server owns.
func ruleObject(r response) map[string]any {
	out := map[string]any{}
	for k, v := range r.Body {
		switch k {
		case "id", "createdAt", "updatedAt", "version":
			continue
		}
		out[k] = v
	}
	return out
}
