package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/workcloud/arendehantering/internal/problem"
)

// Route is one HTTP route of an area: method, path pattern (Go 1.22 mux
// syntax, which is also API Gateway's), handler.
type Route struct {
	Method  string
	Pattern string
	Handler http.Handler
	// Public is a route reached without a token (the customer's page of a
	// mail link): no authenticator runs before it, and API Gateway's
	// authorizer lets it through. Its handler vouches for what it serves.
	Public bool
}

// String is the route as API Gateway writes a route key: "GET /v1/x/{id}".
func (r Route) String() string { return r.Method + " " + r.Pattern }

// NewMux mounts routes on a new ServeMux, with problem+json for any path
// no route matches.
func NewMux(routes ...[]Route) *http.ServeMux {
	mux := http.NewServeMux()
	for _, rs := range routes {
		Mount(mux, rs)
	}
	mux.Handle("/", methodNotAllowed(mux))
	return mux
}

var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// methodNotAllowed answers a path that exists with another method as 405
// with Allow, and any other path as 404, both as problem+json.
func methodNotAllowed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range methods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			NotFound(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		Fail(w, r, problem.New(problem.MethodNotAllowed, "%s is not allowed here; use %s.", r.Method, strings.Join(allow, ", ")))
	})
}

// Mount registers routes on mux.
func Mount(mux *http.ServeMux, routes []Route) {
	for _, r := range routes {
		mux.Handle(fmt.Sprintf("%s %s", r.Method, r.Pattern), r.Handler)
	}
}

// NewRoute returns a route.
func NewRoute(method, pattern string, h http.Handler) Route {
	return Route{Method: method, Pattern: pattern, Handler: h}
}

// NewPublicRoute returns a route reached without a token (see
// Route.Public).
func NewPublicRoute(method, pattern string, h http.Handler) Route {
	return Route{Method: method, Pattern: pattern, Handler: h, Public: true}
}
