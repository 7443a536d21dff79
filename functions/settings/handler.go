package main

import (
	"log/slog"
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/settings"
)

// newHandler is the function's whole HTTP stack: identity from the API
// Gateway authorizer context, then the settings routes.
func newHandler(svc *settings.Service, log *slog.Logger) http.Handler {
	mux := httpapi.NewMux(settings.Routes(svc))
	return httpapi.Observe(log, identity.RequestIDFromAPIGateway, identity.Middleware(identity.FromAPIGateway, mux))
}
