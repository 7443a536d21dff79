package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/problem"
)

// panicsHere is a handler that panics, so that the stack names it.
func panicsHere(http.ResponseWriter, *http.Request) {
	panic("boom in panicsHere")
}

// TestPanicIsLoggedWithItsStack: a handler that panics answers 500 as
// problem+json, and the log line says where it panicked, not only what.
func TestPanicIsLoggedWithItsStack(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	rec := httptest.NewRecorder()
	Observe(log, nil, http.HandlerFunc(panicsHere)).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusInternalServerError || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		t.Errorf("answered %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var found bool
	for line := range strings.Lines(buf.String()) {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if entry["msg"] != "panic" {
			continue
		}
		found = true
		stack, _ := entry["stack"].(string)
		if !strings.Contains(stack, "panicsHere") || !strings.Contains(stack, "middleware_test.go") {
			t.Errorf("the panic's stack does not say where: %q", stack)
		}
		if entry["panic"] != "boom in panicsHere" || entry["requestId"] == "" {
			t.Errorf("panic line %v", entry)
		}
	}
	if !found {
		t.Errorf("no panic line in %s", buf.String())
	}
}

// TestAnswersAreNotHTMLEscaped: an answer and a problem read as written
// ("Bearer <token>", not "Bearer \u003ctoken\u003e").
func TestAnswersAreNotHTMLEscaped(t *testing.T) {
	rec := httptest.NewRecorder()
	Write(rec, http.StatusOK, map[string]string{"s": "a <b> & c"})
	if !strings.Contains(rec.Body.String(), `"a <b> & c"`) {
		t.Errorf("answer %s", rec.Body)
	}
	rec = httptest.NewRecorder()
	Fail(rec, httptest.NewRequest("GET", "/x", nil), problem.New(problem.Unauthorized, "Send Authorization: Bearer <token> & more."))
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Bearer <token> & more.") {
		t.Errorf("problem %d %s", rec.Code, rec.Body)
	}
}
