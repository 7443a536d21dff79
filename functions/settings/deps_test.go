package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func goListDeps(t *testing.T, dir, pkg string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc", pkg)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list %s listed only %v", pkg, deps)
	}
	return deps
}

// TestZoneDataOnlyWhereZonesAreComputed: the embedded zone database
// (time/tzdata, about 450 KB) is in the bootstraps of the functions that
// compute in a tenant's time zone, and in no other: settings (validates
// zones, previews occurrences), recurring (occurrences), mailer (a
// deadline in a mail), conversations (times on the customer's page).
// Cases and intake link the zone check of recurring definitions only
// through the settings' reference checks, which run on settings writes:
// never in them.
func TestZoneDataOnlyWhereZonesAreComputed(t *testing.T) {
	root := filepath.Join("..", "..")
	want := map[string]bool{"settings": true, "recurring": true, "mailer": true, "conversations": true}
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		got := slices.Contains(goListDeps(t, root, "./functions/"+e.Name()), "time/tzdata")
		if got != want[e.Name()] {
			t.Errorf("functions/%s links time/tzdata: %v, want %v", e.Name(), got, want[e.Name()])
		}
	}
}
