package httpapi

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"time"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/workcloud/arendehantering/internal/problem"
)

// List is the answer of every collection read: a page of items and, when
// there are more, the cursor of the next page.
type List[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// Stale is the 412 answer to a write based on another version.
func Stale(noun string, current, sent int64) error {
	return problem.New(problem.PreconditionFailed,
		"The %s has changed since you read it (you sent version %d; it is now %d). Read it again and reapply your change.", noun, sent, current)
}

// CheckVersion refuses a write based on another version than the stored
// one (412), and server-owned fields sent back with other values than the
// stored ones (400): a client may send back what it read, unchanged.
func CheckVersion(noun string, old Versioned, sent int64, echoed map[string]json.RawMessage) error {
	if sent != AnyVersion && sent != old.CurrentVersion() {
		return Stale(noun, old.CurrentVersion(), sent)
	}
	if len(echoed) == 0 {
		return nil
	}
	stored, err := json.Marshal(old)
	if err != nil {
		return problem.Wrap(problem.Internal, err, "")
	}
	var current map[string]any
	if err := json.Unmarshal(stored, &current); err != nil {
		return problem.Wrap(problem.Internal, err, "")
	}
	var errs problem.Fields
	for _, k := range slices.Sorted(maps.Keys(echoed)) {
		var sentValue any
		if json.Unmarshal(echoed[k], &sentValue) != nil || !sameValue(sentValue, current[k]) {
			errs.Add(k, "is set by the server; send it unchanged or leave it out")
		}
	}
	return errs.Err()
}

// sameValue compares JSON values, times by instant.
func sameValue(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		at, aerr := time.Parse(time.RFC3339Nano, as)
		bt, berr := time.Parse(time.RFC3339Nano, bs)
		if aerr == nil && berr == nil {
			return at.Equal(bt)
		}
		return as == bs
	}
	return reflect.DeepEqual(a, b)
}

// ObjectRequest is a decoded write body: the fields a client may set, the
// version it read, and any server-owned fields it sent back.
type ObjectRequest struct {
	Body    []byte
	Version *int64
	Echoed  map[string]json.RawMessage
}

// ReadObject reads a JSON object body. The readOnly (server-owned) fields
// are refused on create; on update they may be sent back unchanged
// (CheckVersion), and "version" is taken out as the precondition.
func ReadObject(w http.ResponseWriter, r *http.Request, update bool, readOnly []string) (ObjectRequest, error) {
	var in ObjectRequest
	raw, err := ReadBody(w, r)
	if err != nil {
		return in, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		if err := Unmarshal(raw, &fields); err != nil {
			return in, err
		}
		return in, problem.New(problem.Invalid, "The body must be a JSON object.")
	}
	var errs problem.Fields
	for _, k := range readOnly {
		v, ok := fields[k]
		if !ok {
			continue
		}
		if !update {
			errs.Add(k, "is set by the server and may not be sent")
			continue
		}
		if in.Echoed == nil {
			in.Echoed = map[string]json.RawMessage{}
		}
		in.Echoed[k] = v
		delete(fields, k)
	}
	if v, ok := fields["version"]; ok {
		if !update {
			errs.Add("version", "is set by the server and may not be sent on create")
		} else {
			var n int64
			if err := json.Unmarshal(v, &n); err != nil {
				errs.Add("version", "must be an integer")
			}
			in.Version = &n
		}
		delete(fields, "version")
	}
	if err := errs.Err(); err != nil {
		return in, err
	}
	in.Body, err = json.Marshal(fields)
	if err != nil {
		return in, problem.Wrap(problem.Invalid, err, "The body could not be read.")
	}
	return in, nil
}

// MergePatch applies an RFC 7386 merge patch to what old marshals to and
// decodes the result strictly into into: a patch can change what a client
// may set, nothing else.
func MergePatch(old any, patch []byte, into any) error {
	doc, err := json.Marshal(old)
	if err != nil {
		return problem.Wrap(problem.Internal, err, "")
	}
	merged, err := jsonpatch.MergePatch(doc, patch)
	if err != nil {
		return problem.Wrap(problem.Invalid, err, "The body is not a valid merge patch.")
	}
	return Unmarshal(merged, into)
}

// DeleteVersion returns the version a DELETE is conditioned on. A delete
// must name the version it removes, as an update does, so that nobody
// deletes what someone else just changed unseen: without If-Match it is 428.
func DeleteVersion(r *http.Request) (int64, error) {
	if r.Header.Get("If-Match") == "" {
		return 0, problem.New(problem.PreconditionRequired, "Send If-Match with the version you read (or * to delete whatever version is stored).")
	}
	return Version(r, nil)
}

// ReadUpdate reads the body of an update (see ReadObject) and the version
// it is based on (see Version).
func ReadUpdate(w http.ResponseWriter, r *http.Request, readOnly []string) (ObjectRequest, int64, error) {
	in, err := ReadObject(w, r, true, readOnly)
	if err != nil {
		return in, 0, err
	}
	version, err := Version(r, in.Version)
	return in, version, err
}
