package wiring_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/workcloud/arendehantering/internal/wiring"
)

// TestStart: the table a function starts with is the one its environment
// names, on a client of the endpoint it names.
func TestStart(t *testing.T) {
	var target string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target = r.Header.Get("X-Amz-Target")
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{"Items":[],"Count":0}`))
	}))
	defer srv.Close()
	env := map[string]string{wiring.EnvTableName: "arende-test", wiring.EnvDynamoDBEndpoint: srv.URL}
	log, table := wiring.Start(context.Background(), func(k string) string { return env[k] })
	if log == nil || table.Client == nil {
		t.Fatalf("log %v, client %v", log, table.Client)
	}
	if table.Name != "arende-test" {
		t.Errorf("table %q, want arende-test", table.Name)
	}
	if _, err := table.Client.Query(context.Background(), &dynamodb.QueryInput{TableName: aws.String(table.Name)}); err != nil {
		t.Fatal(err)
	}
	if target != "DynamoDB_20120810.Query" {
		t.Errorf("the endpoint was asked %q", target)
	}
}

// TestAWSConfig: a function's AWS configuration is Lambda's environment:
// its region and its role's credentials, or a start that says what is
// missing; endpoints of stand-ins are taken as the SDK takes them.
func TestAWSConfig(t *testing.T) {
	env := map[string]string{
		wiring.EnvRegion: "eu-north-1", wiring.EnvAccessKeyID: "AKID", wiring.EnvSecretAccessKey: "secret", wiring.EnvSessionToken: "token",
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:2",
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := wiring.AWSConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || cfg.Region != "eu-north-1" || creds.AccessKeyID != "AKID" || creds.SecretAccessKey != "secret" || creds.SessionToken != "token" {
		t.Errorf("config %s %+v %v", cfg.Region, creds, err)
	}
	if got := wiring.Endpoint(getenv, "Secrets Manager"); got == nil || *got != "http://127.0.0.1:2" {
		t.Errorf("secrets manager endpoint %v", got)
	}
	if got := wiring.Endpoint(getenv, "SESv2"); got != nil {
		t.Errorf("SES endpoint %v, want AWS's", *got)
	}
	for _, missing := range []string{wiring.EnvRegion, wiring.EnvAccessKeyID, wiring.EnvSecretAccessKey} {
		v := env[missing]
		delete(env, missing)
		if _, err := wiring.AWSConfig(getenv); err == nil || !strings.Contains(err.Error(), missing) {
			t.Errorf("without %s: %v", missing, err)
		}
		env[missing] = v
	}
}
