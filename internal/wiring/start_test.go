package wiring_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/workcloud/arendehantering/internal/wiring"
)

// TestStart: the table a function starts with is the one its environment
// names, on a client of the endpoint it names.
func TestStart(t *testing.T) {
	env := map[string]string{wiring.EnvTableName: "arende-test", wiring.EnvDynamoDBEndpoint: "http://127.0.0.1:1"}
	log, table := wiring.Start(context.Background(), func(k string) string { return env[k] })
	if log == nil || table.Client == nil {
		t.Fatalf("log %v, client %v", log, table.Client)
	}
	if table.Name != "arende-test" {
		t.Errorf("table %q, want arende-test", table.Name)
	}
	c, ok := table.Client.(*dynamodb.Client)
	if !ok {
		t.Fatalf("client %T", table.Client)
	}
	if got := c.Options().BaseEndpoint; got == nil || *got != "http://127.0.0.1:1" {
		t.Errorf("endpoint %v", got)
	}
}
