// Package problem defines the errors every layer returns: each carries a code
// that maps to one HTTP status, and renders as an RFC 9457
// application/problem+json document.
package problem

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Code classifies an error for the client; Status maps it to HTTP.
type Code string

// The codes an error can carry.
const (
	Invalid            Code = "invalid"
	NotFound           Code = "not-found"
	Conflict           Code = "conflict"
	PreconditionFailed Code = "precondition-failed"
	// PreconditionRequired: a destructive request came without If-Match.
	PreconditionRequired Code = "precondition-required"
	Forbidden            Code = "forbidden"
	MethodNotAllowed     Code = "method-not-allowed"
	Unauthorized         Code = "unauthorized"
	TooLarge             Code = "too-large"
	UnsupportedMedia     Code = "unsupported-media-type"
	// TooManyRequests: a limit of how often something may be done (per
	// case, say) was reached; RetryAfter says when it may be done again.
	TooManyRequests Code = "too-many-requests"
	// Unprocessable: the request is well-formed but cannot be done as
	// sent: an Idempotency-Key used before with another body.
	Unprocessable Code = "unprocessable"
	Unavailable   Code = "unavailable"
	Internal      Code = "internal"
)

// FieldError names one invalid field of a request and why it is invalid.
// Field is a dotted path into the JSON body, e.g. "fields[1].fieldId".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error with a code, a message safe to show the client, and
// optionally per-field details. Cause is logged, never sent.
type Error struct {
	Code   Code
	Detail string
	Fields []FieldError
	Cause  error
	// RetryAfter, when set, is answered as Retry-After (whole seconds).
	RetryAfter time.Duration
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Cause != nil {
		b.WriteString(": " + e.Cause.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// New returns an error with a code and a client-safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with a code whose cause is logged but not shown.
func Wrap(code Code, cause error, detail string) *Error {
	return &Error{Code: code, Detail: detail, Cause: cause}
}

// CodeOf returns the code of err, or Internal when it carries none.
func CodeOf(err error) Code {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return Internal
}

// Status maps a code to its HTTP status. It is the one place that does.
func Status(code Code) int {
	switch code {
	case Invalid:
		return http.StatusBadRequest
	case Unauthorized:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	case NotFound:
		return http.StatusNotFound
	case MethodNotAllowed:
		return http.StatusMethodNotAllowed
	case Conflict:
		return http.StatusConflict
	case PreconditionFailed:
		return http.StatusPreconditionFailed
	case PreconditionRequired:
		return http.StatusPreconditionRequired
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case UnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case TooManyRequests:
		return http.StatusTooManyRequests
	case Unprocessable:
		return http.StatusUnprocessableEntity
	case Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// Fields collects per-field validation errors; Err turns them into one
// Invalid error, or nil when there were none.
type Fields struct {
	list  []FieldError
	count int
}

// maxFieldErrors bounds the errors one answer lists, so that a hostile body
// cannot make the answer (and the log) larger than itself.
const maxFieldErrors = 20

// Add records that field is invalid.
func (f *Fields) Add(field, format string, args ...any) {
	f.count++
	if len(f.list) < maxFieldErrors {
		f.list = append(f.list, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

// Len returns how many field errors were recorded.
func (f *Fields) Len() int { return f.count }

// Err returns the collected errors as one Invalid error, or nil.
func (f *Fields) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	detail := "The request has invalid fields."
	if f.count > len(f.list) {
		detail = fmt.Sprintf("The request has %d invalid fields; the first %d are listed.", f.count, len(f.list))
	}
	return &Error{Code: Invalid, Detail: detail, Fields: f.list}
}

// Text checks that a string has between min and max characters (runes),
// the bound every string the API accepts has.
func (f *Fields) Text(field, value string, min, max int) {
	n := len([]rune(value))
	switch {
	case n < min && min == 1:
		f.Add(field, "is required")
	case n < min:
		f.Add(field, "must be at least %d characters", min)
	case n > max:
		f.Add(field, "must be at most %d characters", max)
	}
}

// FieldInvalid is a shortcut for a single invalid field.
func FieldInvalid(field, format string, args ...any) error {
	var f Fields
	f.Add(field, format, args...)
	return f.Err()
}
