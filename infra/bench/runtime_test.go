package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/settings"
)

// runtimeAPI is the Lambda Runtime API a bootstrap talks to, with one
// invocation: the event it hands out first, and the answer (or error)
// it gets back.
type runtimeAPI struct {
	event  []byte
	answer chan []byte
	failed chan string
}

func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const prefix = "/2018-06-01/runtime/"
	path := strings.TrimPrefix(r.URL.Path, prefix)
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.Method == http.MethodGet && path == "invocation/next":
		if a.event == nil { // one invocation only: the next waits until the bootstrap ends
			<-r.Context().Done()
			return
		}
		ev := a.event
		a.event = nil
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", "bench-invocation")
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-north-1:123456789012:function:bench")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
		_, _ = w.Write(ev)
	case r.Method == http.MethodPost && path == "invocation/bench-invocation/response":
		w.WriteHeader(http.StatusAccepted)
		a.answer <- body
	case r.Method == http.MethodPost && (path == "invocation/bench-invocation/error" || path == "init/error"):
		w.WriteHeader(http.StatusAccepted)
		a.failed <- path + ": " + string(body)
	default:
		http.NotFound(w, r)
	}
}

// invokeOnce starts bootstrap with env against a Runtime API of its own
// that hands it event, and answers what it answered first.
func invokeOnce(ctx context.Context, bootstrap string, env []string, event []byte) ([]byte, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	api := &runtimeAPI{event: event, answer: make(chan []byte, 1), failed: make(chan string, 1)}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	cmd := exec.CommandContext(ctx, bootstrap)
	cmd.Env = append(env, "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String())
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	select {
	case a := <-api.answer:
		return a, nil
	case f := <-api.failed:
		return nil, fmt.Errorf("%s\n%s", f, out.String())
	case err := <-exited:
		return nil, fmt.Errorf("exited before answering: %v\n%s", err, out.String())
	case <-ctx.Done():
		return nil, fmt.Errorf("no answer: %v\n%s", ctx.Err(), out.String())
	}
}

// importStaff gives the tenant acme the directory the principals of
// apitest name: boss (admin), agent1 and agent2 (agents, group support).
func importStaff(areas interface {
	ImportDirectory(ctx context.Context, tenant string, users []settings.User, groups []settings.Group) error
}) error {
	return areas.ImportDirectory(context.Background(), "acme", []settings.User{
		{Meta: settings.Meta{ID: "boss"}, Subject: "boss", Name: "Berit Boss", Email: "boss@acme.example", Roles: []string{"admin"}},
		{Meta: settings.Meta{ID: "agent1"}, Subject: "agent1", Name: "Agnes Agent", Email: "agnes@acme.example", Roles: []string{"agent"}},
		{Meta: settings.Meta{ID: "agent2"}, Subject: "agent2", Name: "Arvid Agent", Email: "arvid@acme.example", Roles: []string{"agent"}},
	}, []settings.Group{{Meta: settings.Meta{ID: "support"}, Name: "Support", Members: []string{"agent1", "agent2"}}})
}
