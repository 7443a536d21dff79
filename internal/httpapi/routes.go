package httpapi

import (
	"fmt"
	"net/http"
)

// Route is one HTTP route of an area: method, path pattern (Go 1.22 mux
// syntax, which is also API Gateway's), handler.
type Route struct {
	Method  string
	Pattern string
	Handler http.Handler
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
	mux.HandleFunc("/", NotFound)
	return mux
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
