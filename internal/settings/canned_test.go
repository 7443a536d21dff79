package settings_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// TestWrittenBody: what staff write is their own body or a canned
// response's, never both, trimmed and bounded.
func TestWrittenBody(t *testing.T) {
	snap := &settings.Snapshot{Canned: map[string]*settings.CannedResponse{"cr": {Body: " Tack! "}}}
	tests := []struct {
		name, body, canned, want string
		invalid                  []string
	}{
		{name: "own", body: "  Hej  ", want: "Hej"},
		{name: "canned", canned: "cr", want: "Tack!"},
		{name: "both", body: "Hej", canned: "cr", want: "Hej", invalid: []string{"body"}},
		{name: "unknown canned", canned: "nope", invalid: []string{"cannedResponseId", "body"}},
		{name: "empty", body: "   ", invalid: []string{"body"}},
		{name: "too long", body: "Hej hej", want: "Hej hej", invalid: []string{"body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			maxLen := 10
			if tt.name == "too long" {
				maxLen = 5
			}
			var errs problem.Fields
			got := snap.WrittenBody(tt.body, tt.canned, maxLen, &errs)
			if got != tt.want {
				t.Errorf("body %q, want %q", got, tt.want)
			}
			var fields []string
			var pe *problem.Error
			if errors.As(errs.Err(), &pe) {
				for _, f := range pe.Fields {
					fields = append(fields, f.Field)
				}
			}
			if !slices.Equal(fields, tt.invalid) {
				t.Errorf("invalid %v, want %v", fields, tt.invalid)
			}
		})
	}
}
