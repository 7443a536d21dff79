package apitest

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// Response is a decoded answer.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header is the answer's header.
	Header http.Header
	// Raw is the body as sent.
	Raw []byte
	// Body is the body decoded, when it is a JSON object of an
	// application/ media type; else nil.
	Body map[string]any
}

// Must fails the test unless the answer has status want.
func (r Response) Must(t testing.TB, want int) Response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body: %s", r.Status, want, r.Raw)
	}
	return r
}

// MustProblem fails the test unless the answer is application/problem+json
// with status and, if fields are given, per-field errors naming each of
// them (among others).
func (r Response) MustProblem(t testing.TB, status int, fields ...string) Response {
	t.Helper()
	r.Must(t, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body: %s", ct, r.Raw)
	}
	got := r.ProblemFields()
	for _, f := range fields {
		if !slices.Contains(got, f) {
			t.Fatalf("problem names fields %v, want %q among them; body: %s", got, f, r.Raw)
		}
	}
	return r
}

// ProblemFields returns the field names of a problem's per-field errors.
func (r Response) ProblemFields() []string {
	var out []string
	errs, _ := r.Body["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m["field"].(string))
		}
	}
	return out
}

// Detail returns a problem's detail text.
func (r Response) Detail() string { return r.Str("detail") }

// Str returns the string at key of the body ("" if there is none).
func (r Response) Str(key string) string { s, _ := r.Body[key].(string); return s }

// Num returns the number at key of the body as an integer (0 if there is
// none).
func (r Response) Num(key string) int64 { f, _ := r.Body[key].(float64); return int64(f) }

// Version returns the body's version.
func (r Response) Version() int64 { return r.Num("version") }

// Editable is a copy of the body to send back in a write: without the
// fields the server owns (id, createdAt, updatedAt, version).
func (r Response) Editable() map[string]any {
	out := map[string]any{}
	for k, v := range r.Body {
		switch k {
		case "id", "createdAt", "updatedAt", "version":
			continue
		}
		out[k] = v
	}
	return out
}

// Obj returns the object at key of the body (nil if there is none).
func (r Response) Obj(key string) map[string]any { m, _ := r.Body[key].(map[string]any); return m }

// List returns the objects of the array at key of the body.
func (r Response) List(key string) []map[string]any {
	raw, _ := r.Body[key].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		out = append(out, it.(map[string]any))
	}
	return out
}

// Items returns the items of a list answer.
func (r Response) Items() []map[string]any { return r.List("items") }

// IDs returns the IDs of a list answer's items, in order.
func (r Response) IDs() []string {
	var out []string
	for _, it := range r.Items() {
		out = append(out, it["id"].(string))
	}
	return out
}

// Time reads a time at key of the body, written as the API writes every
// time (DateTimeLayout); anything else fails the test.
func (r Response) Time(t testing.TB, key string) time.Time {
	t.Helper()
	return ParseTime(t, r.Body[key])
}

// ParseTime reads a time out of a decoded JSON value, written as the API
// writes every time (DateTimeLayout); anything else fails the test.
func ParseTime(t testing.TB, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	if err := DateTime.Validate(s); err != nil {
		t.Fatalf("%v: %v", v, err)
	}
	tm, err := time.Parse(DateTimeLayout, s)
	if err != nil {
		t.Fatalf("%v is not an RFC 3339 time: %v", v, err)
	}
	return tm
}
