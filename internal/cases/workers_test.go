package cases_test

import (
	"slices"
	"testing"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/settings"
)

// TestWorkers: a case's workers are its assigned users, else its groups'
// members; each once, in order, and only users of the tenant.
func TestWorkers(t *testing.T) {
	snap := &settings.Snapshot{
		Users: map[string]*settings.User{"anna": {}, "bo": {}, "cia": {}},
		Groups: map[string]*settings.Group{"support": {Members: []string{"bo", "gone", "anna"}},
			"field": {Members: []string{"anna", "cia"}}},
	}
	tests := []struct {
		name   string
		assign settings.Assignees
		want   []string
	}{
		{"users", settings.Assignees{Users: []string{"cia", "gone", "anna", "cia"}, Groups: []string{"support"}}, []string{"cia", "anna"}},
		{"groups when no user", settings.Assignees{Users: []string{"gone"}, Groups: []string{"support", "nope", "field"}}, []string{"bo", "anna", "cia"}},
		{"nobody", settings.Assignees{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cases.Workers(snap, &cases.Case{Assignees: tt.assign}); !slices.Equal(got, tt.want) {
				t.Errorf("workers %v, want %v", got, tt.want)
			}
		})
	}
}
