package settings

import (
	"slices"

	"github.com/workcloud/arendehantering/internal/httpapi"
)

// resources are the kinds of stored settings object, each with its routes.
func resources() []resource {
	return []resource{
		general(),
		caseTypes(),
		fields(),
		statuses(),
		priorities(),
		caseFields(),
		cannedResponses(),
		caseMenu(),
		texts{},
		external(),
		portal(),
		conversations(),
		taskTemplates(),
		reportTemplates(),
		forms(),
		usersResource(),
		groupsResource(),
		recurringCases(),
	}
}

// Routes returns every route of the settings area, the one place they are
// listed; template.yaml and infra/openapi.yaml must match (a test checks).
func Routes(svc *Service) []httpapi.Route {
	var routes []httpapi.Route
	for _, r := range resources() {
		routes = slices.Concat(routes, r.routes(svc))
	}
	return slices.Concat(routes, meRoutes(svc))
}
