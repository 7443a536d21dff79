package proof_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/workcloud/arendehantering/infra"
	"github.com/workcloud/arendehantering/internal/identity"
)

// operation is one route and method of infra/openapi.yaml, with what the
// suites read from it.
type operation struct {
	Method string
	Path   string // as the document writes it: /v1/cases/{id}/tasks/{taskId}
	// Roles are the operation's x-roles: one of them is needed.
	Roles []identity.Role
	// Public: security [] (no token: the customer's page of a link, a
	// CORS preflight); APIKey: security apiKey (website intake).
	Public, APIKey bool
	// Params are the path's parameters, in order.
	Params []string
	// Query are the names of its query parameters.
	Query []string
	// IfMatch: the operation takes If-Match (an update or a delete).
	IfMatch bool
	// Example is the example of its JSON request body, nil if none.
	Example any
	// Form: its body is a form (application/x-www-form-urlencoded).
	Form bool
	// Creates: it answers 201 (a POST that makes an object).
	Creates bool
}

// String is the operation as a route key: "GET /v1/cases/{id}".
func (o operation) String() string { return o.Method + " " + o.Path }

// Write reports whether the operation is a write: POST, PUT, PATCH or
// DELETE (a preview that stores nothing is one too, by its method; the
// fault suite proves it writes nothing).
func (o operation) Write() bool {
	return o.Method == "POST" || o.Method == "PUT" || o.Method == "PATCH" || o.Method == "DELETE"
}

// Needs reports whether role is one of the operation's x-roles.
func (o operation) Needs(role identity.Role) bool { return slices.Contains(o.Roles, role) }

// Staff reports whether staff (admin or agent) may call the operation.
func (o operation) Staff() bool { return o.Needs(identity.Admin) || o.Needs(identity.Agent) }

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

// Prefix is the path up to and including parameter i: the key a
// parameter's value is kept under ("/v1/cases/{id}" for the id of
// "/v1/cases/{id}/tasks").
func (o operation) Prefix(i int) string {
	locs := pathParam.FindAllStringIndex(o.Path, -1)
	return o.Path[:locs[i][1]]
}

// operations reads every operation of infra/openapi.yaml, sorted by path
// and method. An operation the suites cannot classify (no x-roles and not
// public) fails the test: the document must say who may call it.
func operations(t testing.TB) []operation {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(infra.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := operation{Method: method, Path: path}
			for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
				o.Params = append(o.Params, m[1])
			}
			if err := classify(&o, op); err != nil {
				t.Errorf("%s: %v", o, err)
				continue
			}
			for _, p := range slices.Concat(item.Parameters, op.Parameters) {
				switch {
				case p.Value == nil:
				case p.Value.In == "query":
					o.Query = append(o.Query, p.Value.Name)
				case p.Value.In == "header" && p.Value.Name == "If-Match":
					o.IfMatch = true
				}
			}
			o.Example, o.Form = example(op)
			o.Creates = op.Responses != nil && op.Responses.Status(201) != nil
			ops = append(ops, o)
		}
	}
	slices.SortFunc(ops, func(a, b operation) int {
		return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method)
	})
	if len(ops) == 0 {
		t.Fatal("openapi.yaml has no operations")
	}
	return ops
}

// classify reads who may call op: security [] is public, apiKey is
// website intake's key, anything else the bearer token with x-roles.
func classify(o *operation, op *openapi3.Operation) error {
	if op.Security != nil {
		for _, req := range *op.Security {
			if _, ok := req["apiKey"]; ok {
				o.APIKey = true
			}
		}
		if len(*op.Security) == 0 {
			o.Public = true
		}
	}
	raw, ok := op.Extensions["x-roles"]
	if !ok {
		if o.Public || o.APIKey {
			return nil
		}
		return fmt.Errorf("no x-roles and not public: the document must say which roles may call it")
	}
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return fmt.Errorf("x-roles is not a list of roles: %v", raw)
	}
	for _, r := range list {
		role := identity.Role(fmt.Sprint(r))
		if role != identity.Admin && role != identity.Agent && role != identity.Customer {
			return fmt.Errorf("x-roles names %q, which is no role", role)
		}
		o.Roles = append(o.Roles, role)
	}
	return nil
}

// example is the example of op's JSON request body (a copy the caller may
// change), and whether its body is a form.
func example(op *openapi3.Operation) (any, bool) {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil, false
	}
	content := op.RequestBody.Value.Content
	if content.Get("application/x-www-form-urlencoded") != nil {
		return nil, true
	}
	mt := content.Get("application/json")
	if mt == nil || mt.Example == nil {
		return nil, false
	}
	raw, err := json.Marshal(mt.Example)
	if err != nil {
		return nil, false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil, false
	}
	return v, false
}
