package httpapi

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
)

type loggerKey struct{}

// logHolder is shared by a request's contexts, so that what an inner
// middleware learns (the tenant) reaches the outer access-log line too.
type logHolder struct {
	mu  sync.Mutex
	log *slog.Logger
}

// WithLogger returns ctx carrying log.
func WithLogger(ctx context.Context, log *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, &logHolder{log: log})
}

// Log returns the request-scoped logger (request ID, tenant), or the
// default logger outside a request.
func Log(ctx context.Context) *slog.Logger {
	if h, ok := ctx.Value(loggerKey{}).(*logHolder); ok {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.log
	}
	return slog.Default()
}

// AddLogAttrs adds attributes to every later log line of the request.
func AddLogAttrs(ctx context.Context, args ...any) {
	if h, ok := ctx.Value(loggerKey{}).(*logHolder); ok {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.log = h.log.With(args...)
	}
}

// Fail answers err as problem+json, logged with the request's logger.
func Fail(w http.ResponseWriter, r *http.Request, err error) {
	problem.Write(w, r, Log(r.Context()), err)
}

// HandlerFunc is an HTTP handler that returns its error instead of writing
// it, so every failure is answered the same way.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeHTTP implements http.Handler.
func (f HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := f(w, r); err != nil {
		Fail(w, r, err)
	}
}

// RequestIDFunc extracts the request ID the platform assigned, if any.
type RequestIDFunc func(r *http.Request) string

// Observe wraps next with a request ID, a request-scoped JSON logger, panic
// recovery and one access-log line per request.
func Observe(log *slog.Logger, requestID RequestIDFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := ""
		if requestID != nil {
			id = requestID(r)
		}
		if id == "" {
			id = rand.Text()
		}
		w.Header().Set("X-Request-Id", id)
		reqLog := log.With("requestId", id)
		r = r.WithContext(WithLogger(r.Context(), reqLog))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				// The stack says where it happened; the value alone rarely does.
				Log(r.Context()).ErrorContext(r.Context(), "panic", "panic", p, "stack", string(debug.Stack()))
				if !rec.wrote {
					Fail(rec, r, problem.New(problem.Internal, "internal error"))
				}
			}
			Log(r.Context()).InfoContext(r.Context(), "request",
				"method", r.Method, "path", r.URL.Path, "status", rec.status,
				"durationMs", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// NotFound answers unknown routes as problem+json.
func NotFound(w http.ResponseWriter, r *http.Request) {
	Fail(w, r, problem.New(problem.NotFound, "There is no route %s %s.", r.Method, r.URL.Path))
}
