package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// maxBootstrap is issue 12's limit on a function's bootstrap.
const maxBootstrap = 10 << 20

// overBudget are the functions whose bootstrap is over maxBootstrap, each
// with a budget a little above its size today, and why (README, What a
// function weighs). A change that grows one past its budget, or another
// function past maxBootstrap, fails TestBootstrapBudgets: find what it
// linked (make bench's size report; go build -ldflags=-dumpdep) or say
// here why it must.
var overBudget = map[string]int64{
	// x/text collate's tables (1.44 MiB): customers' name keys are
	// written here (9.06 MiB without them).
	"cases": 11_100_000,
	// x/text collate's tables (1.50 MiB): the settings' name keys are
	// written here (9.44 MiB without them).
	"settings": 11_550_000,
	// html/template's reflection (3.69 MiB): the customer's page.
	"conversations": 14_500_000,
}

// TestBootstrapBudgets: every function's arm64 bootstrap, built as the
// Makefile builds it for Lambda, within maxBootstrap or its budget. It
// caught a package-level sync.OnceValue of the customer's page, which
// reached html/template from every function's init (+2 to 6 MB each).
func TestBootstrapBudgets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every function for arm64")
	}
	names := functionNames(t)
	bootstraps := buildAll(t, names, "arm64", t.TempDir())
	for _, name := range names {
		fi, err := os.Stat(bootstraps[name])
		if err != nil {
			t.Fatal(err)
		}
		budget, over := overBudget[name]
		if !over {
			budget = maxBootstrap
		}
		if fi.Size() > budget {
			t.Errorf("functions/%s: bootstrap of %d bytes (%.2f MiB), over its budget of %d: see overBudget", name,
				fi.Size(), float64(fi.Size())/(1<<20), budget)
		}
	}
	for name := range overBudget {
		if _, err := os.Stat(filepath.Join(root, "functions", name)); err != nil {
			t.Errorf("overBudget names %s, which is no function", name)
		}
	}
}
