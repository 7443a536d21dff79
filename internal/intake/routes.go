package intake

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/apikeys"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Routes are the routes of website intake, the one place they are listed;
// template.yaml (the public API: no JWT authorizer, no CORS configuration
// of API Gateway's) and infra/openapi.yaml must match. They are public:
// the key in X-Api-Key authenticates them, and they answer CORS, the
// preflight included, for the origins of the key.
func Routes(s *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewPublicRoute("GET", "/v1/external/case-types/{apiId}", httpapi.HandlerFunc(s.handleForm)),
		httpapi.NewPublicRoute("OPTIONS", "/v1/external/case-types/{apiId}", httpapi.HandlerFunc(s.handlePreflight)),
		httpapi.NewPublicRoute("POST", "/v1/external/cases", httpapi.HandlerFunc(s.handleSubmit)),
		httpapi.NewPublicRoute("OPTIONS", "/v1/external/cases", httpapi.HandlerFunc(s.handlePreflight)),
	}
}

// The CORS answers of website intake.
const (
	corsMethods = "GET, POST"
	corsHeaders = "Content-Type, X-Api-Key, Idempotency-Key"
	corsExpose  = "Retry-After, Idempotent-Replayed, X-Request-Id"
	corsMaxAge  = "600"
	// ReplayHeader marks an answer given again for an Idempotency-Key.
	ReplayHeader = "Idempotent-Replayed"
)

// allowOrigin answers CORS for the request's origin when the key g allows
// it (g nil: the key did not authenticate; no CORS answer).
func allowOrigin(w http.ResponseWriter, r *http.Request, g *apikeys.Grant) {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" || g == nil || !g.AllowsOrigin(origin) {
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Expose-Headers", corsExpose)
}

// presented reads the request's API key, and names it in the request's
// log lines.
func presented(r *http.Request) (apikeys.Presented, error) {
	key, err := apikeys.Parse(r.Header.Get("X-Api-Key"))
	if err == nil {
		httpapi.AddLogAttrs(r.Context(), "tenant", key.Tenant, "apiKey", key.ID)
	}
	return key, err
}

func (s *Service) handleForm(w http.ResponseWriter, r *http.Request) error {
	key, err := presented(r)
	if err != nil {
		return err
	}
	form, g, err := s.Form(r.Context(), key, r.Header.Get("Origin"), r.PathValue("apiId"))
	allowOrigin(w, r, g)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, form)
	return nil
}

func (s *Service) handleSubmit(w http.ResponseWriter, r *http.Request) error {
	key, err := presented(r)
	if err != nil {
		return err
	}
	sub := Submission{Key: key, Origin: r.Header.Get("Origin"), IdempotencyKey: r.Header.Get("Idempotency-Key")}
	body, err := httpapi.ReadBody(w, r)
	if err == nil {
		err = httpapi.Unmarshal(body, &sub.In)
	}
	sub.Invalid = err
	a, g, err := s.Submit(r.Context(), sub)
	allowOrigin(w, r, g)
	if err != nil {
		return err
	}
	if a.Replayed {
		w.Header().Set(ReplayHeader, "true")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(a.Status)
	_, _ = w.Write(append(a.Body, '\n'))
	return nil
}

// handlePreflight answers a CORS preflight: the methods and headers of
// website intake for an origin some key allows (the request itself is
// checked against its own key), 403 without CORS for any other.
func (s *Service) handlePreflight(w http.ResponseWriter, r *http.Request) error {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" {
		return problem.New(problem.Invalid, "A CORS preflight carries the Origin header.")
	}
	ok, err := s.Preflight(r.Context(), origin)
	if err != nil {
		return err
	}
	if !ok {
		return problem.New(problem.Forbidden, "No API key allows the origin %s.", origin)
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Methods", corsMethods)
	h.Set("Access-Control-Allow-Headers", corsHeaders)
	h.Set("Access-Control-Max-Age", corsMaxAge)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
