package httpapi

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

func TestVersion(t *testing.T) {
	seven := int64(7)
	for _, tc := range []struct {
		ifMatch string
		body    *int64
		want    int64
		code    problem.Code
	}{
		{`"3"`, nil, 3, ""},
		{`3`, nil, 3, ""},
		{`W/"3"`, nil, 3, ""},
		{`*`, nil, AnyVersion, ""},
		{``, &seven, 7, ""},
		{`"7"`, &seven, 7, ""},
		{`"3"`, &seven, 0, problem.Invalid},
		{``, nil, 0, problem.Invalid},
		{`"abc"`, nil, 0, problem.Invalid},
		{`"0"`, nil, 0, problem.Invalid},
	} {
		r := httptest.NewRequest("PATCH", "/x", nil)
		if tc.ifMatch != "" {
			r.Header.Set("If-Match", tc.ifMatch)
		}
		got, err := Version(r, tc.body)
		if tc.code != "" {
			if problem.CodeOf(err) != tc.code {
				t.Errorf("If-Match %q body %v: err %v, want code %s", tc.ifMatch, tc.body, err, tc.code)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("If-Match %q body %v: %d, %v; want %d", tc.ifMatch, tc.body, got, err, tc.want)
		}
	}
}

func TestUnmarshalIsStrict(t *testing.T) {
	type inner struct {
		Users []string        `json:"users"`
		At    *time.Time      `json:"at"`
		Due   *timestamp.Time `json:"due"`
	}
	type meta struct {
		ID string `json:"id"`
	}
	type obj struct {
		meta
		Name  string         `json:"name"`
		When  time.Time      `json:"when"`
		Stamp timestamp.Time `json:"stamp"`
		Inner inner          `json:"inner"`
		List  []inner        `json:"list"`
	}
	for body, field := range map[string]string{
		`{"name":"a"}`: "",
		`{"when":"2026-12-01T16:00:00+01:00","inner":{"at":null}}`: "",
		`{"id":"x","name":"a"}`:                                      "",
		`{"Name":"a"}`:                                               "Name",
		`{"inner":{"Users":[]}}`:                                     "inner.Users",
		`{"list":[{"users":[]},{"USERS":[]}]}`:                       "list[1].USERS",
		`{"other":1}`:                                                "other",
		`{"when":"tomorrow"}`:                                        "when",
		`{"inner":{"at":"2026-13-01"}}`:                              "inner.at",
		`{"when":"9999-12-31T23:59:59-23:59"}`:                       "when",
		`{"when":"0000-01-01T00:00:00+00:01"}`:                       "when",
		`{"inner":{"at":"9999-12-31T23:00:00-01:00"}}`:               "inner.at",
		`{"list":[{"at":"0000-01-01T00:00:00+01:00"}]}`:              "list[0].at",
		`{"when":"9999-12-31T23:59:59+00:00"}`:                       "",
		`{"when":"0000-01-01T00:00:00-01:00"}`:                       "",
		`{"when":"9999-12-31T23:59:59.999Z"}`:                        "",
		`{"name":1}`:                                                 "name",
		`{"stamp":"2026-12-01T16:00:00+01:00","inner":{"due":null}}`: "",
		`{"stamp":"2026-12-01T16:00:00.123456789Z"}`:                 "",
		`{"stamp":"tomorrow"}`:                                       "stamp",
		`{"stamp":"9999-12-31T23:59:59-23:59"}`:                      "stamp",
		`{"inner":{"due":"9999-12-31T23:00:00-01:00"}}`:              "inner.due",
		`{"list":[{"due":"2026-12-01"}]}`:                            "list[0].due",
	} {
		var v obj
		err := Unmarshal([]byte(body), &v)
		if field == "" {
			if err != nil {
				t.Errorf("%s: %v", body, err)
			}
			continue
		}
		e, ok := err.(*problem.Error)
		if !ok || len(e.Fields) != 1 || e.Fields[0].Field != field {
			t.Errorf("%s: %v, want an error naming %s", body, err, field)
		}
	}
}
