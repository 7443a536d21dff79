//go:build bench

package bench

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"text/tabwriter"
	"time"
)

var (
	pairs = flag.Int("pairs", 7, "alternating pairs of cold starts per function")
	only  = flag.String("only", "", "one part of the report: roundtrips, cold or sizes (all when empty)")
	// emulatorLogs prints what the emulator and the bootstrap log of each
	// cold start (its INIT REPORT and INVOKE RTDONE durations).
	emulatorLogs = flag.Bool("logs", false, "print the emulator's log of each cold start on stderr")
)

// The targets of issue 12.
const (
	maxBootstrap = 10 << 20 // bytes, each
	maxRatio     = 1.10     // cold first answer / the SDK-only Lambda's
)

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
	collate := collateShares(t, names)
	fmt.Fprintf(w, "\nBootstrap sizes (linux/arm64, CGO_ENABLED=0 -tags lambda.norpc -trimpath -ldflags='-s -w'); x/text collate: what\n"+
		"golang.org/x/text/collate (Swedish name order, its tables of every language) weighs in it, measured by building it again\n"+
		"with internal/collation replaced by byte order (go build -overlay)\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "function\tbytes\tMiB\t≤ 10 MiB\tx/text collate\twithout it\t")
	for _, n := range names {
		fi, err := os.Stat(bootstraps[n])
		if err != nil {
			t.Fatal(err)
		}
		verdict := met(fi.Size() <= maxBootstrap)
		if n == hello || n == sdkOnly {
			verdict = "(yardstick)"
		}
		share, without := "", ""
		if c, ok := collate[n]; ok {
			share, without = fmt.Sprintf("%.2f MiB", float64(fi.Size()-c)/(1<<20)), fmt.Sprintf("%.2f MiB", float64(c)/(1<<20))
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\t%s\t%s\t\n", n, fi.Size(), float64(fi.Size())/(1<<20), verdict, share, without)
	}
	tw.Flush()
}

// collateShares are the sizes of the functions' arm64 bootstraps built
// with internal/collation in byte order (an overlay of the build, the
// work tree untouched), by name: the size without x/text's collation.
func collateShares(t testing.TB, names []string) map[string]int64 {
	t.Helper()
	dir := t.TempDir()
	stub := filepath.Join(dir, "collation.go")
	src := "package collation\n\nimport \"strings\"\n\nconst MaxKeyLen = 320\n\n" +
		"func Compare(a, b string) int { return strings.Compare(a, b) }\n\nfunc Key(name string) string { return name }\n"
	orig, err := filepath.Abs(filepath.Join(root, "internal", "collation", "collation.go"))
	if err != nil {
		t.Fatal(err)
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(stub, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]map[string]string{"Replace": {orig: stub}})
	if err := os.WriteFile(overlay, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, n := range names {
		if n == hello || n == sdkOnly || n == "tokenclaims" {
			continue
		}
		bin := filepath.Join(dir, n)
		cmd := exec.Command("go", "build", "-overlay", overlay, "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", bin, pkgOf(n))
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s without x/text collate: %v\n%s", n, err, b)
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
