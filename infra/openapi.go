// Package infra holds the OpenAPI document of the deployed HTTP API,
// embedded so the local stack (infra/local) can serve it and tests can
// check it against the routes and template.yaml.
package infra

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document of the deployed HTTP API
// (openapi.yaml): every route of every function. The local stack serves it
// at /docs/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
