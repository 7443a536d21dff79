package problem_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/workcloud/arendehantering/internal/problem"
)

// TestWriteKeepsAngleBracketsAndAmpersands: the detail reads as written
// ("Bearer <token>"), not as JSON's HTML escapes (\u003ctoken\u003e).
func TestWriteKeepsAngleBracketsAndAmpersands(t *testing.T) {
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/v1/cases", nil)
	problem.Write(rec, r, slog.New(slog.NewJSONHandler(io.Discard, nil)),
		problem.New(problem.Unauthorized, "Send a token: Authorization: Bearer <token> & try again."))
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q", ct)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `"detail":"Send a token: Authorization: Bearer <token> & try again."`) || strings.Contains(body, `\u003c`) {
		t.Errorf("body %s", body)
	}
}
