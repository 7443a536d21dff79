// Package identity is who is calling: the principal (tenant, user, roles,
// customer) that the platform's authorizer vouched for, and the role checks
// every area uses.
package identity

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Role is what a principal may do.
type Role string

// The roles. Admins change settings; agents work cases; customers use the portal.
const (
	Admin    Role = "admin"
	Agent    Role = "agent"
	Customer Role = "customer"
)

// Principal is the authenticated caller.
type Principal struct {
	Tenant   string `json:"tenant"`
	User     string `json:"user"`
	Roles    []Role `json:"roles"`
	Customer string `json:"customer,omitempty"`
}

// Has reports whether the principal holds role.
func (p Principal) Has(role Role) bool { return slices.Contains(p.Roles, role) }

// IsStaff reports whether the principal is an admin or an agent.
func (p Principal) IsStaff() bool { return p.Has(Admin) || p.Has(Agent) }

// ValidID reports whether s may be used as a tenant, user or customer ID:
// 1 to 64 of the characters a key may hold without ambiguity (A-Z, a-z,
// 0-9, _ and -). A loop, not a regexp: compiling ^[A-Za-z0-9_-]{1,64}$
// took 0.1 ms of every function's cold start.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Validate refuses a principal whose claims could not have come from a
// correctly configured identity provider.
func (p Principal) Validate() error {
	if !ValidID(p.Tenant) || !ValidID(p.User) {
		return problem.New(problem.Unauthorized, "The token carries no valid tenant and user.")
	}
	if len(p.Roles) == 0 {
		return problem.New(problem.Forbidden, "The token carries no role.")
	}
	if p.Customer != "" && !ValidID(p.Customer) {
		return problem.New(problem.Unauthorized, "The token carries an invalid customer.")
	}
	if p.Has(Customer) && p.Customer == "" {
		return problem.New(problem.Unauthorized, "A customer token must name its customer.")
	}
	if p.Has(Customer) && p.IsStaff() {
		return problem.New(problem.Forbidden, "A login is either a customer's or staff's, not both.")
	}
	return nil
}

// ParseRoles reads roles from a claim value in any of the shapes the
// platform flattens a list into: "[admin agent]", `["admin","agent"]`,
// "admin,agent" or "admin agent". Unknown roles are dropped.
func ParseRoles(claim string) []Role {
	claim = strings.Trim(strings.TrimSpace(claim), "[]")
	fields := strings.FieldsFunc(claim, func(r rune) bool { return r == ',' || r == ' ' || r == '"' })
	var roles []Role
	for _, f := range fields {
		r := Role(f)
		if (r == Admin || r == Agent || r == Customer) && !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	return roles
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal of the request. Handlers run only
// behind an authenticating middleware, so absence is an error.
func FromContext(ctx context.Context) (Principal, error) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	if !ok {
		return Principal{}, problem.New(problem.Unauthorized, "Authentication is required.")
	}
	return p, nil
}

// Require returns the principal if it holds any of roles, else Forbidden.
func Require(ctx context.Context, roles ...Role) (Principal, error) {
	p, err := FromContext(ctx)
	if err != nil {
		return p, err
	}
	for _, r := range roles {
		if p.Has(r) {
			return p, nil
		}
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return p, problem.New(problem.Forbidden, "This needs the role %s.", strings.Join(names, " or "))
}

// Authenticator turns a request into a principal.
type Authenticator func(r *http.Request) (Principal, error)

// Middleware authenticates every request with auth, validates the
// principal and puts it, and the tenant in the logger, into the context.
func Middleware(auth Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := auth(r)
		if err == nil {
			err = p.Validate()
		}
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		httpapi.AddLogAttrs(r.Context(), "tenant", p.Tenant, "user", p.User)
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// Handler mounts routes on the real mux: the public ones (Route.Public)
// as they are, every other one behind Middleware with auth. The Lambdas,
// the local stack and the tests serve routes through it.
func Handler(auth Authenticator, routes ...[]httpapi.Route) http.Handler {
	var public, private []httpapi.Route
	for _, rs := range routes {
		for _, r := range rs {
			if r.Public {
				public = append(public, r)
			} else {
				private = append(private, r)
			}
		}
	}
	guarded := Middleware(auth, httpapi.NewMux(private))
	if len(public) == 0 {
		return guarded
	}
	mux := http.NewServeMux()
	httpapi.Mount(mux, public)
	mux.Handle("/", guarded)
	return mux
}
