package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/scheduler"
)

func TestNames(t *testing.T) {
	a := scheduler.Name("rc", "acme", "01jdef", "20260330T070000")
	if a != scheduler.Name("rc", "acme", "01jdef", "20260330T070000") || a == scheduler.Name("rc", "other", "01jdef", "20260330T070000") {
		t.Error("names are not deterministic per tenant")
	}
	long := scheduler.Name("sla", strings.Repeat("t", 100), strings.Repeat("i", 60), "start:2026")
	if len(long) > 64 || strings.ContainsAny(long, ":#/ ") {
		t.Errorf("name %q", long)
	}
}

func TestLocalFiresAtItsTime(t *testing.T) {
	now := time.Date(2026, 3, 30, 4, 0, 0, 0, time.UTC)
	l := scheduler.NewLocal(func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var fired []string
	fail := true
	l.Target(func(_ context.Context, in []byte) error {
		fired = append(fired, string(in))
		if string(in) == "b" && fail {
			fail = false
			return io.ErrUnexpectedEOF
		}
		return nil
	})
	ctx := context.Background()
	_ = l.Create(ctx, scheduler.Schedule{Name: "a", Time: now.Add(time.Hour), Input: []byte("a")})
	_ = l.Create(ctx, scheduler.Schedule{Name: "b", Time: now.Add(2 * time.Hour), Input: []byte("b")})
	_ = l.Create(ctx, scheduler.Schedule{Name: "a", Time: now.Add(5 * time.Hour), Input: []byte("x")}) // exists: left
	if n := l.Due(ctx); n != 0 || len(fired) != 0 {
		t.Fatalf("fired %v before their time", fired)
	}
	now = now.Add(3 * time.Hour)
	if n := l.Due(ctx); n != 1 || strings.Join(fired, ",") != "a,b" {
		t.Fatalf("fired %d: %v", n, fired)
	}
	if left := l.List(); len(left) != 1 || left[0].Name != "b" {
		t.Fatalf("left %v: a failed trigger stays to fire again", left)
	}
	if n := l.Due(ctx); n != 1 || len(l.List()) != 0 {
		t.Fatalf("the retry fired %d, left %v", n, l.List())
	}
	if found, err := l.FireNow(ctx, "none"); found || err != nil {
		t.Errorf("fire of no schedule: %v %v", found, err)
	}
}
