// Package bench measures the product: make bench prints one report of
// what each operation costs in DynamoDB round trips, how fast each
// function's bootstrap answers cold under the AWS Lambda Runtime Interface
// Emulator next to two yardsticks, the memory it reached, and how big each
// bootstrap is (the files behind the build tag bench). Without the tag,
// TestEveryFunctionStarts builds every function and has it answer its
// first event, in make test.
package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"gopkg.in/yaml.v3"
)

// root is the module's directory.
var root = filepath.Join("..", "..")

// functionNames are the functions the product deploys: the directories
// of functions/. A function added there is measured without editing
// the bench (it needs an event: see firstEvent).
func functionNames(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

// The yardsticks the functions are measured against (infra/bench/...).
const (
	hello   = "hello"   // the smallest Go Lambda
	sdkOnly = "sdkonly" // the SDK's DynamoDB client, making a function's first call
)

// pkgOf is the package of a function or a yardstick.
func pkgOf(name string) string {
	if name == hello || name == sdkOnly {
		return "./infra/bench/" + name
	}
	return "./functions/" + name
}

// build builds name's bootstrap as the Makefile does for Lambda (static,
// no RPC shim, stripped), for goos/goarch, into out.
func build(name, goarch, out string) error {
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", out, pkgOf(name))
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s for %s: %v\n%s", name, goarch, err, b)
	}
	return nil
}

// buildAll builds names for goarch into dir/<name>/bootstrap, two at a
// time, and answers the paths by name.
func buildAll(t testing.TB, names []string, goarch, dir string) map[string]string {
	t.Helper()
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	errs := make(chan error, len(names))
	sem := make(chan struct{}, max(1, runtime.NumCPU()))
	for _, n := range names {
		out[n] = filepath.Join(dir, n, "bootstrap")
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs <- build(n, goarch, out[n])
		}()
	}
	for range names {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// memorySizes are the functions' MemorySize in template.yaml, by
// function name (the Globals' where a function sets none).
func memorySizes(t testing.TB) map[string]int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Globals struct {
			Function struct {
				MemorySize int `yaml:"MemorySize"`
			} `yaml:"Function"`
		} `yaml:"Globals"`
		Resources map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				MemorySize int `yaml:"MemorySize"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{}
	for _, name := range functionNames(t) {
		for id, r := range doc.Resources {
			if r.Type == "AWS::Serverless::Function" && strings.EqualFold(id, name+"Function") {
				sizes[name] = cmpOr(r.Properties.MemorySize, doc.Globals.Function.MemorySize)
			}
		}
		if sizes[name] == 0 {
			t.Fatalf("template.yaml has no function for functions/%s", name)
		}
	}
	return sizes
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// The principals of the seeded tenant, as API Gateway's JWT authorizer
// hands their claims to a function.
func agentClaims() map[string]string {
	return map[string]string{"sub": "agent1", "tenant": "acme", "cognito:groups": "[agent]", "token_use": "access",
		"scope": "arende/api", "client_id": "bench"}
}

func customerClaims(customer string) map[string]string {
	return map[string]string{"sub": "cust1", "tenant": "acme", "cognito:groups": "[customer]", "customer": customer,
		"token_use": "access", "scope": "arende/api", "client_id": "bench"}
}

// httpEvent is an API Gateway HTTP API (v2) request, with a JWT
// authorizer's claims unless claims is nil (a public route).
func httpEvent(method, path string, claims map[string]string) []byte {
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: method + " " + path, RawPath: path,
		Headers: map[string]string{"accept": "application/json", "user-agent": "bench"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: method + " " + path, AccountID: "123456789012", Stage: "$default", RequestID: "bench-request",
			APIID: "bench", DomainName: "bench.execute-api.eu-north-1.amazonaws.com", DomainPrefix: "bench",
			Time: time.Now().UTC().Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: time.Now().UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1",
				SourceIP: "192.0.2.1", UserAgent: "bench"},
		},
	}
	if claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: []string{"arende/api"}}}
	}
	b, _ := json.Marshal(ev)
	return b
}

// firstEvent is the event a function answers first in the bench, and
// what it is: a staff member's or a customer's most frequent cold call,
// a schedule's sweep, a Cognito sign-in. A function without one fails
// the bench and the start test: give it one here.
func firstEvent(name string, s *seeded) (ev []byte, what string, ok bool) {
	switch name {
	case "settings":
		return httpEvent("GET", "/v1/settings/statuses", agentClaims()), "GET /v1/settings/statuses (agent)", true
	case "cases":
		return httpEvent("GET", "/v1/cases/"+s.caseID, agentClaims()), "GET /v1/cases/{id} (agent)", true
	case "intake":
		return httpEvent("GET", "/v1/portal/cases/"+s.caseID, customerClaims(s.customerID)), "GET /v1/portal/cases/{id} (customer)", true
	case "conversations":
		return httpEvent("GET", "/c/"+s.token, nil), "GET /c/{token} (the customer's page)", true
	case "mailer":
		return []byte(`{"version":"0","id":"bench","detail-type":"Scheduled Event","source":"aws.events","detail":{}}`),
			"scheduled sweep of the outbox", true
	case "recurring":
		return []byte(`{"kind":"reconcile"}`), "daily reconciliation trigger", true
	case "tokenclaims":
		return []byte(`{"version":"2","triggerSource":"TokenGeneration_Authentication","region":"eu-north-1","userPoolId":"eu-north-1_bench",
			"userName":"erik","callerContext":{"awsSdkVersion":"1","clientId":"bench"},
			"request":{"userAttributes":{"sub":"erik","custom:tenant":"acme"},"groupConfiguration":{"groupsToOverride":["agent"]},"scopes":["openid"]},
			"response":{}}`), "Cognito pre-token generation", true
	case hello, sdkOnly:
		return httpEvent("GET", "/v1/settings/statuses", agentClaims()), "GET /v1/settings/statuses", true
	}
	return nil, "", false
}

// answerOK reports whether a function's answer to its first event is a
// success: a 200 from an HTTP function, no error from the others.
func answerOK(name string, answer []byte) error {
	var probe struct {
		StatusCode   *int   `json:"statusCode"`
		Body         string `json:"body"`
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	if err := json.Unmarshal(answer, &probe); err != nil {
		return fmt.Errorf("%s answered %q: %v", name, answer, err)
	}
	if probe.ErrorMessage != "" || probe.ErrorType != "" {
		return fmt.Errorf("%s failed: %s", name, answer)
	}
	if probe.StatusCode != nil && *probe.StatusCode != 200 {
		return fmt.Errorf("%s answered %d: %s", name, *probe.StatusCode, probe.Body)
	}
	if name == "tokenclaims" && !bytes.Contains(answer, []byte(`"tenant":"acme"`)) {
		return fmt.Errorf("tokenclaims answered without the tenant: %s", answer)
	}
	return nil
}

// goarchHost is the architecture bootstraps are built for to run here.
func goarchHost() string { return runtime.GOARCH }
