package bench

import (
	"context"
	"testing"
	"time"
)

// TestEveryFunctionStarts: every function builds as the Makefile builds
// it for Lambda, starts with the environment the template gives it (its
// AWS configuration from Lambda's variables, its link keys from Secrets
// Manager where it has links) and answers its first event; here against
// the embedded DynamoDB server and a stand-in of the other services,
// through a Runtime API of the test's own.
func TestEveryFunctionStarts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every function")
	}
	stage := newStage(t)
	names := functionNames(t)
	memory := memorySizes(t)
	bootstraps := buildAll(t, names, goarchHost(), t.TempDir())
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ev, _, ok := firstEvent(name, stage.seeded)
			if !ok {
				t.Fatalf("functions/%s has no first event: give it one in firstEvent", name)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			answer, err := invokeOnce(ctx, bootstraps[name], stage.env(name, memory[name]), ev)
			if err != nil {
				t.Fatal(err)
			}
			if err := answerOK(name, answer); err != nil {
				t.Error(err)
			}
		})
	}
}
