package infra_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/workcloud/arendehantering/infra"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/wiring"
	"gopkg.in/yaml.v3"
)

// template reads template.yaml. CloudFormation's short tags (!Ref, !Sub)
// decode as their plain values, which is all these checks need.
func template(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("template.yaml: %v", err)
	}
	return doc
}

func dig(t *testing.T, v any, path ...string) any {
	t.Helper()
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("template: %s is not a map", p)
		}
		v = m[p]
	}
	return v
}

var httpMethods = []string{"get", "post", "put", "patch", "delete", "options"}

// deployedOn reads the routes of one HTTP API of template.yaml (a
// resource's name): each operation and the function its integration
// invokes.
func deployedOn(t *testing.T, tpl map[string]any, api string) map[string]string {
	t.Helper()
	body := dig(t, tpl, "Resources", api, "Properties", "DefinitionBody")
	integrations := dig(t, body, "components", "x-amazon-apigateway-integrations").(map[string]any)
	fnOf := map[string]string{}
	fnRef := regexp.MustCompile(`\$\{(\w+)\.Arn\}`)
	for name, integ := range integrations {
		uri, _ := dig(t, integ, "uri").(string)
		m := fnRef.FindStringSubmatch(uri)
		if m == nil {
			t.Fatalf("integration %s invokes no function: %q", name, uri)
		}
		fnOf["#/components/x-amazon-apigateway-integrations/"+name] = m[1]
	}
	deployed := map[string]string{}
	for path, item := range dig(t, body, "paths").(map[string]any) {
		for _, method := range httpMethods {
			op, ok := item.(map[string]any)[method]
			if !ok {
				continue
			}
			ref, _ := dig(t, op, "x-amazon-apigateway-integration", "$ref").(string)
			deployed[strings.ToUpper(method)+" "+path] = fnOf[ref]
		}
	}
	return deployed
}

// TestRoutesAgree: the mux, template.yaml (API Gateway's routes and the
// function each one reaches) and infra/openapi.yaml list the same routes.
// Routes under wiring.PublicAPIPrefix are on the public API (PublicApi),
// and public; every other on the HTTP API (HttpApi).
func TestRoutesAgree(t *testing.T) {
	// The mux.
	mux := map[string]string{}
	onPublic := map[string]bool{}
	for fn, routes := range (*wiring.Areas)(nil).Functions() {
		for _, r := range routes {
			mux[r.String()] = fn
			onPublic[r.String()] = strings.HasPrefix(r.Pattern, wiring.PublicAPIPrefix)
			if onPublic[r.String()] && !r.Public {
				t.Errorf("%s is on the public API but not a public route", r)
			}
		}
	}

	// template.yaml: the two HTTP APIs.
	tpl := template(t)
	private, public := deployedOn(t, tpl, "HttpApi"), deployedOn(t, tpl, "PublicApi")
	deployed := map[string]string{}
	for route, fn := range private {
		deployed[route] = fn
		if strings.HasPrefix(strings.SplitN(route, " ", 2)[1], wiring.PublicAPIPrefix) {
			t.Errorf("%s is on HttpApi, but its routes take no API key and its CORS would swallow the key's", route)
		}
	}
	for route, fn := range public {
		deployed[route] = fn
		if !onPublic[route] {
			t.Errorf("%s is on PublicApi, which has no authorizer, but it is not a route under %s", route, wiring.PublicAPIPrefix)
		}
	}

	// The OpenAPI document, which must also be valid OpenAPI.
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(infra.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}

	for route, fn := range mux {
		if got, ok := deployed[route]; !ok {
			t.Errorf("%s is served but template.yaml has no such API route", route)
		} else if got != fn {
			t.Errorf("%s reaches %s in template.yaml, want %s", route, got, fn)
		}
		if !documented[route] {
			t.Errorf("%s is served but not in infra/openapi.yaml", route)
		}
	}
	for route := range deployed {
		if _, ok := mux[route]; !ok {
			t.Errorf("%s is in template.yaml but no handler serves it", route)
		}
	}
	for route := range documented {
		if _, ok := mux[route]; !ok {
			t.Errorf("%s is in infra/openapi.yaml but no handler serves it", route)
		}
	}
	if len(mux) == 0 {
		t.Fatal("no routes")
	}
}

// TestEveryRouteNeedsTheScope: API Gateway lets no request without an
// access token of the app's scope through to a function.
func TestEveryRouteNeedsTheScope(t *testing.T) {
	api := dig(t, template(t), "Resources", "HttpApi", "Properties")
	auth := dig(t, api, "Auth").(map[string]any)
	def, _ := auth["DefaultAuthorizer"].(string)
	if def == "" {
		t.Fatal("the HTTP API has no default authorizer")
	}
	jwt := dig(t, auth, "Authorizers", def, "JwtConfiguration")
	if jwt == nil {
		t.Fatalf("authorizer %s is not a JWT authorizer", def)
	}
	scopes, _ := dig(t, auth, "Authorizers", def, "AuthorizationScopes").([]any)
	if !slices.Contains(scopes, any("arende/api")) {
		t.Errorf("authorizer %s does not require the scope arende/api: %v", def, scopes)
	}
}

// TestTableAgrees: the table the local stack and tests create is the one
// template.yaml deploys.
func TestTableAgrees(t *testing.T) {
	props := dig(t, template(t), "Resources", "Table", "Properties")
	want := dynamo.Definition("x")
	var wantIdx []string
	for _, g := range want.GlobalSecondaryIndexes {
		wantIdx = append(wantIdx, aws.ToString(g.IndexName)+":"+aws.ToString(g.KeySchema[0].AttributeName)+"/"+aws.ToString(g.KeySchema[1].AttributeName))
	}
	var gotIdx []string
	for _, g := range dig(t, props, "GlobalSecondaryIndexes").([]any) {
		ks := dig(t, g, "KeySchema").([]any)
		gotIdx = append(gotIdx, dig(t, g, "IndexName").(string)+":"+dig(t, ks[0], "AttributeName").(string)+"/"+dig(t, ks[1], "AttributeName").(string))
	}
	if !slices.Equal(gotIdx, wantIdx) {
		t.Errorf("template GSIs %v, code %v", gotIdx, wantIdx)
	}
	if ttl := dig(t, props, "TimeToLiveSpecification", "AttributeName"); ttl != dynamo.AttrTTL {
		t.Errorf("TTL attribute %v, code uses %s", ttl, dynamo.AttrTTL)
	}
	if dig(t, props, "StreamSpecification", "StreamViewType") != "NEW_IMAGE" ||
		dig(t, props, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled") != true ||
		dig(t, props, "DeletionProtectionEnabled") != true ||
		dig(t, props, "BillingMode") != "PAY_PER_REQUEST" {
		t.Error("the table lacks stream, PITR, deletion protection or on-demand billing")
	}
}

// TestEveryFunctionBuilds: each function in template.yaml is built by a
// Makefile target sam can call, from a folder under functions/, for arm64
// on provided.al2023.
func TestEveryFunctionBuilds(t *testing.T) {
	tpl := template(t)
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	globals := dig(t, tpl, "Globals", "Function")
	if dig(t, globals, "Runtime") != "provided.al2023" || !slices.Contains(dig(t, globals, "Architectures").([]any), any("arm64")) {
		t.Error("functions are not provided.al2023 on arm64")
	}
	n := 0
	for id, res := range dig(t, tpl, "Resources").(map[string]any) {
		if dig(t, res, "Type") != "AWS::Serverless::Function" {
			continue
		}
		n++
		if dig(t, res, "Metadata", "BuildMethod") != "makefile" {
			t.Errorf("%s: BuildMethod is not makefile", id)
		}
		target := regexp.MustCompile(`(?m)^build-` + id + `:\n\t.*-o \$\(ARTIFACTS_DIR\)/bootstrap \./functions/(\w+)`).FindSubmatch(makefile)
		if target == nil {
			t.Errorf("%s: no Makefile target build-%s building ./functions/<name> into $(ARTIFACTS_DIR)/bootstrap", id, id)
			continue
		}
		if _, err := os.Stat("../functions/" + string(target[1]) + "/main.go"); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
	if n == 0 {
		t.Error("no functions in template.yaml")
	}
}

// TestProblemCodesDocumented: every code an answer can carry is in the API
// document, with its meaning, and in the enum of the Problem schema.
func TestProblemCodesDocumented(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(infra.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	code := doc.Components.Schemas["Problem"].Value.Properties["code"].Value
	for _, k := range problem.Catalog {
		if !slices.Contains(code.Enum, any(string(k.Code))) {
			t.Errorf("Problem.code enum lacks %s", k.Code)
		}
		if !strings.Contains(code.Description, "`"+string(k.Code)+"` (") {
			t.Errorf("Problem.code description does not explain %s", k.Code)
		}
	}
	if len(code.Enum) != len(problem.Catalog) {
		t.Errorf("Problem.code enum has %d codes, the catalog %d", len(code.Enum), len(problem.Catalog))
	}
}

// TestDateTimesDocumented: every property that holds a date-time is
// declared format: date-time (so that the check of every answer in the
// tests, apitest, holds it to the written form), and every example in the
// document writes date-times as the API does: RFC 3339 UTC with exactly
// three fraction digits.
func TestDateTimesDocumented(t *testing.T) {
	var raw map[string]any
	if err := yaml.Unmarshal(infra.OpenAPI, &raw); err != nil {
		t.Fatal(err)
	}
	isDateTime := func(name string) bool {
		return strings.HasSuffix(name, "At") || strings.HasSuffix(name, "Since") ||
			slices.Contains([]string{"at", "due", "deadline", "startBy", "resolveBy"}, name)
	}
	found := 0
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for name, p := range props {
					if s, ok := p.(map[string]any); ok && isDateTime(name) {
						found++
						if s["format"] != "date-time" {
							t.Errorf("%s/properties/%s is not declared format: date-time", path, name)
						}
					}
				}
			}
			for k, sub := range v {
				walk(sub, path+"/"+k)
			}
		case []any:
			for i, sub := range v {
				walk(sub, fmt.Sprintf("%s/%d", path, i))
			}
		}
	}
	walk(raw, "#")
	if found == 0 {
		t.Error("no date-time properties found")
	}

	// The examples, checked by the document's validation with format
	// date-time as strict as the answers' check.
	lax := openapi3.SchemaStringFormats["date-time"]
	openapi3.DefineStringFormatValidator("date-time", apitest.DateTime)
	t.Cleanup(func() { openapi3.DefineStringFormatValidator("date-time", lax) })
	doc, err := openapi3.NewLoader().LoadFromData(infra.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("openapi.yaml does not write date-times as the API does: %v", err)
	}
}

// TestPublicAPIAnswersItsOwnCORS: the public API (website intake) has no
// authorizer and no CORS configuration, so that API Gateway neither
// refuses its requests for want of a token nor answers preflights and
// replaces CORS headers itself: the intake function answers them per API
// key, its OPTIONS routes included. (The HTTP API configures CORS for the
// staff app and the portal, which is why intake is an API of its own.)
func TestPublicAPIAnswersItsOwnCORS(t *testing.T) {
	tpl := template(t)
	props := dig(t, tpl, "Resources", "PublicApi", "Properties").(map[string]any)
	for _, k := range []string{"Auth", "CorsConfiguration"} {
		if _, ok := props[k]; ok {
			t.Errorf("PublicApi has %s", k)
		}
	}
	if _, ok := dig(t, props, "DefinitionBody").(map[string]any)["x-amazon-apigateway-cors"]; ok {
		t.Error("PublicApi's definition configures CORS")
	}
	if dig(t, tpl, "Resources", "HttpApi", "Properties", "DefinitionBody", "x-amazon-apigateway-cors") == nil {
		t.Error("HttpApi no longer configures CORS: reconsider whether intake needs an API of its own")
	}
	public := deployedOn(t, tpl, "PublicApi")
	for route := range public {
		if path := strings.SplitN(route, " ", 2)[1]; public["OPTIONS "+path] == "" {
			t.Errorf("%s has no OPTIONS route on PublicApi: its preflight would not reach the function", route)
		}
	}
	if len(public) == 0 {
		t.Error("PublicApi has no routes")
	}
}
