// Package httpapi is the HTTP plumbing every area shares: strict JSON
// bodies, JSON answers, versions from If-Match, request logging.
package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// ReadBody reads a JSON request body of at most MaxBodyBytes. It accepts
// application/json and application/merge-patch+json.
func ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "application/merge-patch+json") {
			return nil, problem.New(problem.UnsupportedMedia, "Send the body as application/json (with curl: --json '{...}').")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, problem.New(problem.TooLarge, "The body may be at most %d bytes.", MaxBodyBytes)
		}
		return nil, problem.Wrap(problem.Invalid, err, "The body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, problem.New(problem.Invalid, "A JSON body is required.")
	}
	return body, nil
}

// Unmarshal decodes one JSON object into v, refusing unknown fields,
// trailing data and values of the wrong type, with the field named. Field
// names must match exactly: Go's decoder alone would take "Name" for "name".
func Unmarshal(body []byte, v any) error {
	if err := exactNames(body, reflect.TypeOf(v), ""); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeProblem(err)
	}
	if dec.More() {
		return problem.New(problem.Invalid, "The body must hold exactly one JSON object.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return problem.New(problem.Invalid, "The body must hold exactly one JSON object.")
	}
	return nil
}

// Decode reads and decodes a JSON body strictly into v.
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := ReadBody(w, r)
	if err != nil {
		return err
	}
	return Unmarshal(body, v)
}

func decodeProblem(err error) error {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		field := te.Field
		if field == "" {
			return problem.New(problem.Invalid, "The body must be a JSON object.")
		}
		return problem.FieldInvalid(field, "must be a %s", jsonKind(te.Type.Kind().String()))
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return problem.New(problem.Invalid, "The body is not valid JSON (at byte %d).", se.Offset)
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return problem.FieldInvalid(strings.Trim(name, `"`), "is not a field of this object (it may be read-only)")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return problem.New(problem.Invalid, "The body is not complete JSON.")
	}
	return problem.Wrap(problem.Invalid, err, "The body could not be decoded.")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int", "int64", "int32", "float64", "uint", "uint64":
		return "number"
	case "slice", "array":
		return "array"
	default:
		return "object"
	}
}

// Write answers v as JSON with status.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Versioned is an object with a version, answered with an ETag.
type Versioned interface{ CurrentVersion() int64 }

// WriteObject answers an object with its version as a strong ETag, so a
// client can send it back in If-Match.
func WriteObject(w http.ResponseWriter, status int, v Versioned) {
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(v.CurrentVersion(), 10)))
	Write(w, status, v)
}

// Created answers 201 with the object and its Location.
func Created(w http.ResponseWriter, location string, v Versioned) {
	w.Header().Set("Location", location)
	WriteObject(w, http.StatusCreated, v)
}

// AnyVersion is the version of If-Match: *, which matches whatever version
// the object has (RFC 9110): the client knowingly overwrites.
const AnyVersion int64 = -1

// Version returns the version a write is conditioned on: the If-Match
// header ("3" or 3, or * for AnyVersion), else the body's version. A write
// without one is refused, so no client overwrites a change it has not seen.
func Version(r *http.Request, bodyVersion *int64) (int64, error) {
	if h := strings.TrimSpace(r.Header.Get("If-Match")); h == "*" {
		return AnyVersion, nil
	} else if h != "" {
		v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
		if err != nil || v < 1 {
			return 0, problem.FieldInvalid("If-Match", "must be the object's version, e.g. \"3\"")
		}
		if bodyVersion != nil && *bodyVersion != v {
			return 0, problem.FieldInvalid("version", "differs from If-Match")
		}
		return v, nil
	}
	if bodyVersion != nil {
		if *bodyVersion < 1 {
			return 0, problem.FieldInvalid("version", "must be at least 1")
		}
		return *bodyVersion, nil
	}
	return 0, &problem.Error{Code: problem.Invalid, Detail: "Send the version you read, in If-Match or as \"version\" in the body.",
		Fields: []problem.FieldError{{Field: "version", Message: "is required (If-Match header or body)"}}}
}

// exactNames refuses object keys that are not, letter for letter, a JSON
// field name of t (recursively through structs, slices and pointers).
// Values of the wrong shape are left for the decoder to report.
func exactNames(raw []byte, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType || t == stampType {
		return checkTime(raw, strings.TrimSuffix(path, "."))
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return nil
		}
		fields := jsonFields(t)
		for name, value := range obj {
			ft, ok := fields[name]
			if !ok {
				return problem.FieldInvalid(path+name, "is not a field of this object (names are case-sensitive; it may be read-only)")
			}
			if err := exactNames(value, ft, path+name+"."); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return nil
		}
		for i, value := range list {
			if err := exactNames(value, t.Elem(), fmt.Sprintf("%s[%d].", strings.TrimSuffix(path, "."), i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonFields maps the JSON names of a struct's fields, embedded ones
// included, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				maps.Copy(out, jsonFields(ft))
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// The date-time types: timestamp.Time, which every object uses, and
// time.Time.
var (
	timeType  = reflect.TypeFor[time.Time]()
	stampType = reflect.TypeFor[timestamp.Time]()
)

// checkTime refuses, naming field, a date-time value that is not RFC 3339
// (the decoder's own error names no field), and one whose instant lies
// outside the years 0000 to 9999 in UTC: every area stores and answers
// times in UTC, and such a time has no RFC 3339 form there (it would fail
// on the way out, as a 500, after the request was accepted).
func checkTime(raw []byte, field string) error {
	notTime := problem.FieldInvalid(field, "must be a date and time in RFC 3339, e.g. 2026-12-01T16:00:00+01:00")
	var s *string
	if json.Unmarshal(raw, &s) != nil {
		return notTime
	}
	if s == nil {
		return nil // null: no time
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return notTime
	}
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return problem.FieldInvalid(field, "must lie within the years 0000 to 9999 in UTC (%s is in the year %d there)", *s, y)
	}
	return nil
}
