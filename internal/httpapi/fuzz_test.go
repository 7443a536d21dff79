package httpapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// fuzzObject is a body with a field of each kind requests have.
type fuzzObject struct {
	Name   string            `json:"name"`
	Count  *int64            `json:"count,omitempty"`
	On     bool              `json:"on"`
	Tags   []string          `json:"tags,omitempty"`
	Values map[string]any    `json:"values,omitempty"`
	Inner  *fuzzInner        `json:"inner,omitempty"`
	At     *timestamp.Time   `json:"at,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
}

type fuzzInner struct {
	Key   string  `json:"key"`
	Ratio float64 `json:"ratio"`
}

var fuzzNames = []string{"name", "count", "on", "tags", "values", "inner", "at", "labels"}

// refusal checks that err, a refusal of what a client sent, is a problem
// answered with a 4xx status: never a 500.
func refusal(t *testing.T, err error) {
	t.Helper()
	e, ok := errors.AsType[*problem.Error](err)
	if !ok {
		t.Fatalf("refusal %v is not a problem", err)
	}
	if s := problem.Status(e.Code); s < 400 || s > 499 {
		t.Fatalf("refusal %v answers %d", err, s)
	}
}

var bodySeeds = []string{
	`{"name":"Kran","count":3,"on":true,"tags":["a","b"],"values":{"x":1,"y":[true,null]},"inner":{"key":"k","ratio":0.5},"at":"2026-11-26T09:00:00.000Z","labels":{"sv":"Ja"}}`,
	`{}`, `[]`, `null`, `"x"`, `{"name":1}`, `{"Name":"x"}`, `{"name":"a","name":"b"}`, `{"nope":1}`, `{"a":1} {"b":2}`,
	`{"at":"2026-13-40T99:00:00Z"}`, `{"count":1e400}`, `{"inner":{"KEY":"x"}}`, `{"values":{"Deep":{"x":[1,2,{"y":null}]}}}`, "\xef\xbb\xbf{}",
	`{"name":"\u0000\ud800"}`, ` { "name" : "x" } `, `{"tags":null}`,
}

// FuzzDecode: a request body decoded strictly (httpapi.Decode) never
// panics; what it refuses is a 4xx problem; what it takes names only
// fields of the object, exactly as written, and survives a round trip.
func FuzzDecode(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s), "application/json")
	}
	f.Add([]byte(`{}`), "text/plain")
	f.Add([]byte(`{}`), "application/merge-patch+json; charset=utf-8")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		r := httptest.NewRequest("POST", "/x", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		var v fuzzObject
		err := httpapi.Decode(httptest.NewRecorder(), r, &v)
		if err != nil {
			refusal(t, err)
			return
		}
		var top map[string]json.RawMessage
		if json.Unmarshal(body, &top) != nil {
			t.Fatalf("took %q, which is no JSON object", body)
		}
		for k := range top {
			if !slices.Contains(fuzzNames, k) {
				t.Fatalf("took %q with the field %q", body, k)
			}
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("what was taken does not marshal: %v", err)
		}
		var w fuzzObject
		if err := httpapi.Unmarshal(again, &w); err != nil {
			t.Fatalf("what was taken (%s) is refused when sent again: %v", again, err)
		}
		if !reflect.DeepEqual(normal(t, v), normal(t, w)) {
			t.Fatalf("round trip changed %+v into %+v", v, w)
		}
	})
}

// normal is v as JSON values, to compare what a round trip may write
// differently (a number's Go type inside values).
func normal(t *testing.T, v any) any {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// FuzzReadObject: an object body of a create or an update
// (httpapi.ReadObject) never panics; a refusal is a 4xx problem; what it
// takes holds neither the server's fields nor the version, which it takes
// out as the precondition of an update.
func FuzzReadObject(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Add([]byte(`{"id":"x","version":3,"name":"a","createdAt":"2026-11-26T09:00:00.000Z"}`), true)
	f.Add([]byte(`{"version":"3"}`), true)
	readOnly := []string{"id", "createdAt", "updatedAt"}
	f.Fuzz(func(t *testing.T, body []byte, update bool) {
		r := httptest.NewRequest("PATCH", "/x", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		in, err := httpapi.ReadObject(httptest.NewRecorder(), r, update, readOnly)
		if err != nil {
			refusal(t, err)
			return
		}
		var rest map[string]json.RawMessage
		if err := json.Unmarshal(in.Body, &rest); err != nil || rest == nil {
			t.Fatalf("took %q as %q, which is no JSON object", body, in.Body)
		}
		for _, k := range append(readOnly, "version") {
			if _, ok := rest[k]; ok {
				t.Fatalf("took %q with the server's field %q left in", body, k)
			}
		}
		if !update && (in.Version != nil || len(in.Echoed) > 0) {
			t.Fatalf("a create took the server's fields of %q", body)
		}
	})
}

// FuzzMergePatch: a merge patch (RFC 7386) of an object never panics; a
// refusal is a 4xx problem; an empty patch changes nothing; and a patch
// applied twice gives what it gave once (merge patches are idempotent).
func FuzzMergePatch(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"name":null,"tags":["c"],"values":{"x":null,"z":{"a":1}},"inner":null}`))
	f.Add([]byte(`{"inner":{"ratio":2}}`))
	n := int64(2)
	at := timestamp.New(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	old := fuzzObject{Name: "Kran", Count: &n, Tags: []string{"a"}, Values: map[string]any{"x": 1.0, "y": "z"},
		Inner: &fuzzInner{Key: "k", Ratio: 0.25}, At: &at, Labels: map[string]string{"sv": "Ja"}}
	f.Fuzz(func(t *testing.T, patch []byte) {
		var once fuzzObject
		if err := httpapi.MergePatch(old, patch, &once); err != nil {
			refusal(t, err)
			return
		}
		var twice fuzzObject
		if err := httpapi.MergePatch(once, patch, &twice); err != nil {
			t.Fatalf("patch %q taken once is refused the second time: %v", patch, err)
		}
		if !reflect.DeepEqual(normal(t, once), normal(t, twice)) {
			t.Fatalf("patch %q applied twice: %+v, once: %+v", patch, twice, once)
		}
		var same fuzzObject
		if err := httpapi.MergePatch(once, []byte(`{}`), &same); err != nil || !reflect.DeepEqual(normal(t, once), normal(t, same)) {
			t.Fatalf("an empty patch changed %+v into %+v (%v)", once, same, err)
		}
	})
}
