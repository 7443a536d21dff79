package identity

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// TestHandler: a public route is reached without a principal (the
// authenticator never runs for it); every other route needs one.
func TestHandler(t *testing.T) {
	ran := 0
	auth := func(r *http.Request) (Principal, error) {
		ran++
		if r.Header.Get("Authorization") == "" {
			return Principal{}, problem.New(problem.Unauthorized, "Authentication is required.")
		}
		return Principal{Tenant: "acme", User: "u1", Roles: []Role{Agent}}, nil
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := FromContext(r.Context())
		w.Header().Set("X-Principal", map[bool]string{true: "yes", false: "no"}[err == nil])
		w.WriteHeader(http.StatusOK)
	})
	h := Handler(auth, []httpapi.Route{httpapi.NewRoute("GET", "/v1/x", ok), httpapi.NewPublicRoute("GET", "/c/{token}", ok)})
	for _, tc := range []struct {
		path, authz string
		status      int
		principal   string
		authRuns    int
	}{
		{"/c/abc", "", http.StatusOK, "no", 0},
		{"/c/abc", "Bearer x", http.StatusOK, "no", 0},
		{"/v1/x", "", http.StatusUnauthorized, "", 1},
		{"/v1/x", "Bearer x", http.StatusOK, "yes", 1},
		{"/nowhere", "Bearer x", http.StatusNotFound, "", 1},
	} {
		ran = 0
		req := httptest.NewRequest("GET", tc.path, nil)
		if tc.authz != "" {
			req.Header.Set("Authorization", tc.authz)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status || rec.Header().Get("X-Principal") != tc.principal || ran != tc.authRuns {
			t.Errorf("%s (%q): %d, principal %q, auth ran %d; want %d, %q, %d", tc.path, tc.authz, rec.Code,
				rec.Header().Get("X-Principal"), ran, tc.status, tc.principal, tc.authRuns)
		}
	}
}
