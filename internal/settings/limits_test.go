package settings_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestOversizedListsAreRefusedCheaply: a list past its bound is refused
// without looking at its entries, and no answer lists more than 20 errors.
func TestOversizedListsAreRefusedCheaply(t *testing.T) {
	h := newHarness(t)
	options := make([]string, 50000)
	for i := range options {
		options[i] = fmt.Sprint("o", i)
	}
	res := h.Do(&admin, "POST", "/v1/settings/case-type-fields", map[string]any{"name": "Stor", "kind": "dropdown", "options": options}).
		MustProblem(t, http.StatusBadRequest, "options")
	if n := len(res.ProblemFields()); n != 1 {
		t.Errorf("%d field errors, want 1", n)
	}

	items := make([]map[string]any, 5000)
	for i := range items {
		items[i] = map[string]any{"key": fmt.Sprint("k", i), "label": "", "placement": "x", "order": i}
	}
	res = h.Do(&admin, "PUT", "/v1/settings/case-menu", map[string]any{"items": items}, "If-Match", `"1"`).MustProblem(t, http.StatusBadRequest, "items")
	if len(res.Raw) > 4096 {
		t.Errorf("a refusal of %d entries answered %d bytes", len(items), len(res.Raw))
	}

	roles := make([]string, 1000)
	for i := range roles {
		roles[i] = "agent"
	}
	res = h.Do(&admin, "POST", "/v1/users", map[string]any{"name": "A", "email": "a@acme.example", "roles": roles}).MustProblem(t, http.StatusBadRequest, "roles")
	if n := len(res.ProblemFields()); n > 20 {
		t.Errorf("%d field errors listed, want at most 20", n)
	}
}

// TestSizeLimits: one object is at most 32 KiB stored, and a tenant's
// settings at most 1 MiB, so they always load in one or two Query pages.
func TestSizeLimits(t *testing.T) {
	h := newHarness(t)
	long := strings.Repeat("<ä>", 3000) // 9000 characters, under the body limit of 10000
	tasks := make([]map[string]any, 40)
	for i := range tasks {
		tasks[i] = map[string]any{"title": strings.Repeat("x", 200), "dueWithin": "P1D"}
	}
	h.Do(&admin, "POST", "/v1/settings/task-templates", map[string]any{"name": "Enorm", "tasks": tasks}).Must(t, http.StatusCreated)

	fields := make([]map[string]any, 100)
	for i := range fields {
		opts := make([]string, 40)
		for j := range opts {
			opts[j] = fmt.Sprintf("%03d%s", j, strings.Repeat("y", 20))
		}
		fields[i] = map[string]any{"key": fmt.Sprint("f", i), "name": "F", "kind": "dropdown", "options": opts}
	}
	res := h.Do(&admin, "POST", "/v1/settings/report-templates", map[string]any{"name": "Jätte", "fields": fields}).MustProblem(t, http.StatusRequestEntityTooLarge)
	if !strings.Contains(res.Detail(), "at most 32768") {
		t.Errorf("detail %q does not say how large", res.Detail())
	}

	created := 0
	for i := range 200 {
		r := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": fmt.Sprint("Svar ", i), "body": long})
		if r.Status == http.StatusConflict {
			if !strings.Contains(r.Detail(), "size limit") {
				t.Errorf("409 detail %q", r.Detail())
			}
			break
		}
		r.Must(t, http.StatusCreated)
		created++
	}
	if created < 50 || created >= 200 {
		t.Fatalf("%d canned responses of ~9 KB fit, want the 1 MiB budget to stop it between 50 and 200", created)
	}
	// Updates of what exists still work at the limit.
	id := h.Do(&admin, "GET", "/v1/settings/canned-responses", nil).Items()[0]["id"].(string)
	h.Do(&admin, "PATCH", "/v1/settings/canned-responses/"+id, map[string]any{"body": "kort"}, "If-Match", `"1"`).Must(t, http.StatusOK)
}
