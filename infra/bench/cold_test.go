//go:build bench

package bench

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rieModule is the AWS Lambda Runtime Interface Emulator, installed from
// the Go module proxy when it is not at hand (RIE names one).
const rieModule = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@latest"

// findRIE is the emulator: RIE, else build/bench/rie/aws-lambda-rie,
// installed there on the first run.
func findRIE(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("RIE"); p != "" {
		return p
	}
	dir, err := filepath.Abs(filepath.Join(root, "build", "bench", "rie"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "aws-lambda-rie")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	cmd := exec.Command("go", "install", rieModule)
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("install the emulator (%s): %v\n%s", rieModule, err, b)
	}
	return p
}

// coldRun is one cold start: a fresh emulator with bootstrap, sent event
// once. latency is from the invocation sent to the answer read (the
// emulator starts the bootstrap at the first invocation, as Lambda does
// at a cold start); peakKB is the bootstrap's peak resident memory after
// it answered (VmHWM).
type coldRun struct {
	latency time.Duration
	peakKB  int
	answer  []byte
}

func runCold(rie, bootstrap string, env []string, event []byte) (coldRun, error) {
	addr, apiAddr := freeAddr(), freeAddr()
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", addr, "--runtime-api-address", apiAddr, bootstrap)
	cmd.Env, cmd.Dir = env, filepath.Dir(bootstrap)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return coldRun{}, err
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	}()
	if err := waitListening(addr, 5*time.Second); err != nil {
		return coldRun{}, fmt.Errorf("emulator: %v\n%s", err, logs.String())
	}
	start := time.Now()
	res, err := http.Post("http://"+addr+"/2015-03-31/functions/function/invocations", "application/json", bytes.NewReader(event))
	if err != nil {
		return coldRun{}, fmt.Errorf("invoke: %v\n%s", err, logs.String())
	}
	answer, err := io.ReadAll(res.Body)
	res.Body.Close()
	run := coldRun{latency: time.Since(start), answer: answer}
	if err != nil {
		return run, err
	}
	if *emulatorLogs {
		fmt.Fprintln(os.Stderr, logs.String())
	}
	if pid := childOf(cmd.Process.Pid); pid != 0 {
		run.peakKB = peakKB(pid)
	}
	if run.peakKB == 0 {
		return run, fmt.Errorf("no bootstrap process found under the emulator\n%s", logs.String())
	}
	return run, nil
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitListening(addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// childOf is a child process of pid (the emulator's only one: the
// bootstrap), 0 when there is none.
func childOf(pid int) int {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after
		// its closing parenthesis.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			return n
		}
	}
	return 0
}

// peakKB is a process's peak resident set (VmHWM), in KiB.
func peakKB(pid int) int {
	status, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// coldRow is a function's line of the cold-start table.
type coldRow struct {
	name, event      string
	fn, sdk, hello   time.Duration // medians
	ratio            float64       // median of the pairs' ratios
	peakKB, memoryMB int
	pairs            int
}

// measureCold runs pairs alternating pairs of cold starts of each
// function and of the SDK-only yardstick (the function first in even
// pairs, the yardstick first in odd ones), with a hello-world cold start
// in each pair.
func measureCold(t testing.TB, stage *stage, bootstraps map[string]string, names []string, pairs int) []coldRow {
	t.Helper()
	rie := findRIE(t)
	memory := memorySizes(t)
	run := func(name, as string) coldRun {
		ev, _, _ := firstEvent(name, stage.seeded)
		r, err := runCold(rie, bootstraps[name], stage.env(as, memory[as]), ev)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := answerOK(name, r.answer); err != nil {
			t.Fatal(err)
		}
		return r
	}
	var rows []coldRow
	for _, name := range names {
		_, what, ok := firstEvent(name, stage.seeded)
		if !ok {
			t.Fatalf("functions/%s has no first event: give it one in firstEvent", name)
		}
		var fn, sdk, hw []time.Duration
		var ratios []float64
		peak := 0
		for i := range pairs {
			var f, s coldRun
			if i%2 == 0 {
				f, s = run(name, name), run(sdkOnly, name)
			} else {
				s, f = run(sdkOnly, name), run(name, name)
			}
			h := run(hello, name)
			fn, sdk, hw = append(fn, f.latency), append(sdk, s.latency), append(hw, h.latency)
			ratios = append(ratios, float64(f.latency)/float64(s.latency))
			peak = max(peak, f.peakKB)
		}
		rows = append(rows, coldRow{name: name, event: what, fn: median(fn), sdk: median(sdk), hello: median(hw),
			ratio: median(ratios), peakKB: peak, memoryMB: memory[name], pairs: pairs})
	}
	return rows
}

func median[T int64 | float64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
