//go:build bench

package bench

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
	"time"
)

var (
	pairs = flag.Int("pairs", 7, "alternating pairs of cold starts per function")
	only  = flag.String("only", "", "one part of the report: roundtrips, cold or sizes (all when empty)")
	fns   = flag.String("functions", "", "only these functions (comma-separated) in the cold starts and sizes (all when empty)")
	// emulatorLogs prints what the emulator and the bootstrap log of each
	// cold start (its INIT REPORT and INVOKE RTDONE durations).
	emulatorLogs = flag.Bool("logs", false, "print the emulator's log of each cold start on stderr")
)

// The cold start's target of issue 12 (the size's is maxBootstrap).
const maxRatio = 1.10 // cold first answer / the SDK-only Lambda's

// TestReport is make bench: one report of what each operation costs in
// DynamoDB round trips, each function's cold first answer, and the
// bootstrap sizes; printed, and written to build/bench/report.txt.
func TestReport(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "Ärendehantering bench, %s, %s %s/%s, %d CPUs\n", time.Now().UTC().Format("2006-01-02 15:04 MST"),
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	part := func(name string) bool { return *only == "" || *only == name }
	if part("roundtrips") {
		roundTripReport(t, &b)
	}
	names := functionNames(t)
	if *fns != "" {
		names = slices.DeleteFunc(names, func(n string) bool { return !slices.Contains(strings.Split(*fns, ","), n) })
	}
	if part("cold") {
		stage := newStage(t)
		bootstraps := buildAll(t, append([]string{hello, sdkOnly}, names...), goarchHost(), filepath.Join(root, "build", "bench", runtime.GOARCH))
		coldReport(&b, measureCold(t, stage, bootstraps, names, *pairs))
	}
	if part("sizes") {
		bootstraps := buildAll(t, append(names, hello, sdkOnly), "arm64", filepath.Join(root, "build", "bench", "arm64"))
		sizeReport(t, &b, bootstraps, append(names, hello, sdkOnly))
	}
	fmt.Print(b.String())
	if err := os.MkdirAll(filepath.Join(root, "build", "bench"), 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(root, "build", "bench", "report.txt"), []byte(b.String()), 0o644)
	}
}

func coldReport(w io.Writer, rows []coldRow) {
	fmt.Fprintf(w, "\nCold first answer under the AWS Lambda Runtime Interface Emulator (host build; median of %d alternating pairs with\n"+
		"the SDK-only Lambda, which loads config.LoadDefaultConfig and makes a function's first call, a Query; peak: VmHWM after the answer)\n\n", rows[0].pairs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "function\tfirst event\tcold\tSDK-only\tratio\thello\tpeak RSS\tMemorySize\t≤ 1.10×")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f\t%s\t%.1f MiB\t%d MB (%.0f%%)\t%s\n", r.name, r.event, ms(r.fn), ms(r.sdk), r.ratio, ms(r.hello),
			float64(r.peakKB)/1024, r.memoryMB, 100*float64(r.peakKB)/1024/float64(r.memoryMB), met(r.ratio <= maxRatio))
	}
	tw.Flush()
}

func sizeReport(t testing.TB, w io.Writer, bootstraps map[string]string, names []string) {
	t.Helper()
	collate, reflection := collateStub(t), templateReflectionStub(t)
	weights := []struct {
		name    string
		without map[string]int64
	}{
		{"x/text collate", sizesWithout(t, names, "x/text collate", collate)},
		{"template reflection", sizesWithout(t, names, "html/template's reflection", reflection)},
	}
	both := map[string]string{}
	maps.Copy(both, collate)
	maps.Copy(both, reflection)
	withoutBoth := sizesWithout(t, names, "either", both)
	fmt.Fprintf(w, "\nBootstrap sizes (linux/arm64, CGO_ENABLED=0 -tags lambda.norpc -trimpath -ldflags='-s -w'), and what two\n"+
		"things weigh in each, measured by building it again without them (go build -overlay, the work tree untouched):\n"+
		"x/text collate: golang.org/x/text/collate (Swedish name order; its tables hold every language), internal/collation\n"+
		"replaced by byte order; template reflection: text/template, under html/template, calls reflect.Value.MethodByName,\n"+
		"which makes the linker keep every exported method of every type used in an interface, that call removed;\n"+
		"each alone, then both at once: a function whose collation only that reflection keeps loses it with either\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "function\tbytes\tMiB\t≤ 10 MiB\t")
	for _, x := range weights {
		fmt.Fprintf(tw, "%s\t", x.name)
	}
	fmt.Fprintln(tw, "without both\t")
	for _, n := range names {
		fi, err := os.Stat(bootstraps[n])
		if err != nil {
			t.Fatal(err)
		}
		verdict := met(fi.Size() <= maxBootstrap)
		if n == hello || n == sdkOnly {
			verdict = "(yardstick)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\t", n, fi.Size(), float64(fi.Size())/(1<<20), verdict)
		for _, x := range weights {
			if share := fi.Size() - x.without[n]; share >= 4<<10 { // less is build noise: not linked
				fmt.Fprintf(tw, "%.2f MiB\t", float64(share)/(1<<20))
			} else {
				fmt.Fprint(tw, "-\t")
			}
		}
		fmt.Fprintf(tw, "%.2f MiB\t\n", float64(withoutBoth[n])/(1<<20))
	}
	tw.Flush()
}

// collateStub replaces internal/collation with byte order.
func collateStub(t testing.TB) map[string]string {
	orig, err := filepath.Abs(filepath.Join(root, "internal", "collation", "collation.go"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{orig: "package collation\n\nconst MaxKeyLen = 320\n\nfunc Key(name string) string { return name }\n"}
}

// templateReflectionStub replaces text/template's one call of
// reflect.Value.MethodByName (templates then cannot call methods).
func templateReflectionStub(t testing.TB) map[string]string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	orig := filepath.Join(strings.TrimSpace(string(out)), "src", "text", "template", "exec.go")
	src, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	const call = "ptr.MethodByName(fieldName)"
	if !strings.Contains(string(src), call) {
		t.Fatalf("%s no longer calls %s: the template reflection column needs a new stub", orig, call)
	}
	return map[string]string{orig: strings.Replace(string(src), call, "(reflect.Value{})", 1)}
}

// sizesWithout are the sizes of the arm64 bootstraps built with the files
// replaced (path: new content), by name.
func sizesWithout(t testing.TB, names []string, what string, replace map[string]string) map[string]int64 {
	t.Helper()
	dir := t.TempDir()
	paths := map[string]string{}
	for orig, src := range replace {
		stub := filepath.Join(dir, filepath.Base(orig))
		if err := os.WriteFile(stub, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths[orig] = stub
	}
	overlay := filepath.Join(dir, "overlay.json")
	raw, _ := json.Marshal(map[string]map[string]string{"Replace": paths})
	if err := os.WriteFile(overlay, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, n := range names {
		bin := filepath.Join(dir, n)
		cmd := exec.Command("go", "build", "-overlay", overlay, "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", bin, pkgOf(n))
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s without %s: %v\n%s", n, what, err, b)
		}
		fi, err := os.Stat(bin)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = fi.Size()
	}
	return out
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}
