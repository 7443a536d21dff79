package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/settings"
)

// newHandler is the function's whole HTTP stack: identity from the API
// Gateway authorizer context, then the cases and directory routes.
func newHandler(table dynamo.Table, st *settings.Service, now func() time.Time, log *slog.Logger) http.Handler {
	dir := customers.NewService(table, now)
	mux := httpapi.NewMux(cases.Routes(cases.NewService(table, st, dir, now)), customers.Routes(dir),
		notifications.Routes(notifications.NewService(table, st, now)))
	return httpapi.Observe(log, identity.RequestIDFromAPIGateway, identity.Middleware(identity.FromAPIGateway, mux))
}
