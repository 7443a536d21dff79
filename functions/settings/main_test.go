package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// jwtEvent is an API Gateway HTTP API (v2) event with a JWT authorizer
// context, in the shape of aws-lambda-go's
// events/testdata/apigw-v2-request-jwt-authorizer.json.
func jwtEvent(t *testing.T, method, path string, claims map[string]string, headers map[string]string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	raw := `{
	  "version": "2.0", "routeKey": "$default", "rawPath": "/my/path", "rawQueryString": "",
	  "headers": {"Header1": "value1"},
	  "requestContext": {
	    "routeKey": "$default", "accountId": "123456789012", "stage": "$default", "requestId": "req-123",
	    "authorizer": {"jwt": {"claims": {"claim1": "value1"}, "scopes": ["arende/api"]}},
	    "apiId": "api-id", "domainName": "id.execute-api.eu-north-1.amazonaws.com", "domainPrefix": "id",
	    "time": "26/Nov/2026:09:00:00 +0000", "timeEpoch": 1795683600000,
	    "http": {"method": "GET", "path": "/my/path", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "agent"}
	  },
	  "isBase64Encoded": false
	}`
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(raw), &ev); err != nil {
		t.Fatal(err)
	}
	ev.RawPath, ev.RequestContext.HTTP.Path, ev.RequestContext.HTTP.Method = path, path, method
	ev.RouteKey = method + " " + path
	ev.RequestContext.Authorizer.JWT.Claims = claims
	for k, v := range headers {
		ev.Headers[k] = v
	}
	return ev
}

// TestLambdaPrincipalComesFromAuthorizerContext feeds the function's own
// handler, wrapped the way main wraps it, API Gateway events.
func TestLambdaPrincipalComesFromAuthorizerContext(t *testing.T) {
	db := dynamotest.New(t)
	svc := settings.NewService(db.Table, func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }, 0)
	var seen identity.Principal
	inner := wiring.LambdaHandler(settings.Routes(svc), slog.New(slog.NewJSONHandler(io.Discard, nil)))
	spy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Observe what the authenticator derives, independently of the handler.
		seen, _ = identity.FromAPIGateway(r)
		inner.ServeHTTP(w, r)
	})
	proxy := httpadapter.NewV2(spy).ProxyWithContext

	agentClaims := map[string]string{
		"sub": "user-42", "tenant": "acme", "cognito:groups": "[agent]", "token_use": "access",
		"scope": "arende/api", "client_id": "client",
	}

	t.Run("claims become the principal", func(t *testing.T) {
		res, err := proxy(context.Background(), jwtEvent(t, "GET", "/v1/settings/statuses", agentClaims, nil))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		want := identity.Principal{Tenant: "acme", User: "user-42", Roles: []identity.Role{identity.Agent}}
		if seen.Tenant != want.Tenant || seen.User != want.User || len(seen.Roles) != 1 || seen.Roles[0] != identity.Agent {
			t.Errorf("principal %+v, want %+v", seen, want)
		}
		if !strings.Contains(res.Body, "Pågående") {
			t.Errorf("body %s", res.Body)
		}
		if res.Headers["X-Request-Id"] != "req-123" {
			t.Errorf("request ID %q, want API Gateway's req-123", res.Headers["X-Request-Id"])
		}
	})

	t.Run("agent may not write", func(t *testing.T) {
		ev := jwtEvent(t, "POST", "/v1/settings/canned-responses", agentClaims, map[string]string{"content-type": "application/json"})
		ev.Body = `{"name":"x","body":"y"}`
		res, _ := proxy(context.Background(), ev)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403: %s", res.StatusCode, res.Body)
		}
	})

	t.Run("a spoofed proxy context header changes nothing", func(t *testing.T) {
		forged, _ := json.Marshal(events.APIGatewayV2HTTPRequestContext{
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: map[string]string{"sub": "root", "tenant": "other", "cognito:groups": "[admin]", "token_use": "access"},
			}},
		})
		ev := jwtEvent(t, "POST", "/v1/settings/canned-responses", agentClaims, map[string]string{
			"content-type": "application/json", "X-GoLambdaProxy-ApiGw-Context": string(forged),
		})
		ev.Body = `{"name":"x","body":"y"}`
		res, _ := proxy(context.Background(), ev)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403 (still the agent): %s", res.StatusCode, res.Body)
		}
		if seen.Tenant != "acme" || seen.User != "user-42" {
			t.Errorf("principal %+v: the header was believed", seen)
		}
	})

	t.Run("an ID token is refused", func(t *testing.T) {
		claims := map[string]string{"sub": "user-42", "tenant": "acme", "cognito:groups": "[admin]", "token_use": "id", "aud": "client"}
		res, _ := proxy(context.Background(), jwtEvent(t, "GET", "/v1/settings/statuses", claims, nil))
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401: %s", res.StatusCode, res.Body)
		}
	})

	t.Run("no authorizer context", func(t *testing.T) {
		ev := jwtEvent(t, "GET", "/v1/settings/statuses", nil, nil)
		ev.RequestContext.Authorizer = nil
		res, _ := proxy(context.Background(), ev)
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401: %s", res.StatusCode, res.Body)
		}
	})

	t.Run("claims that cannot form a key", func(t *testing.T) {
		claims := map[string]string{"sub": "user-42", "tenant": "acme#SETTINGS", "cognito:groups": "[admin]", "token_use": "access"}
		res, _ := proxy(context.Background(), jwtEvent(t, "GET", "/v1/settings/statuses", claims, nil))
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401: %s", res.StatusCode, res.Body)
		}
	})
}

// TestTheDevVerifierNeverShips: no function's binary links the package that
// verifies development tokens.
func TestTheDevVerifierNeverShips(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		deps := goListDeps(t, root, "./functions/"+e.Name())
		for _, d := range deps {
			if strings.HasSuffix(d, "/identity/devtoken") || strings.HasSuffix(d, "/infra/local") {
				t.Errorf("functions/%s links %s", e.Name(), d)
			}
		}
	}
}
