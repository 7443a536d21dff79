package settings

import (
	"slices"

	"github.com/workcloud/arendehantering/internal/httpapi"
)

// Routes returns every route of the settings area, the one place they are
// listed; template.yaml and infra/openapi.yaml must match (a test checks).
func Routes(svc *Service) []httpapi.Route {
	var routes []httpapi.Route
	for _, rs := range [][]httpapi.Route{
		general().routes(svc),
		caseTypes().routes(svc),
		fields().routes(svc),
		statuses().routes(svc),
		priorities().routes(svc),
		caseFields().routes(svc),
		cannedResponses().routes(svc),
		caseMenu().routes(svc),
		textRoutes(svc),
		external().routes(svc),
		portal().routes(svc),
		conversations().routes(svc),
		taskTemplates().routes(svc),
		reportTemplates().routes(svc),
		usersResource().routes(svc),
		groupsResource().routes(svc),
		meRoutes(svc),
	} {
		routes = slices.Concat(routes, rs)
	}
	return routes
}
