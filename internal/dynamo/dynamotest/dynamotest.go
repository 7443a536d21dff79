// Package dynamotest runs the embedded DynamoDB-compatible server for tests
// and benchmarks: the real SDK client, over HTTP, against a fresh table.
package dynamotest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/logging"
	miniserver "github.com/truora/minidyn/server"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// TableName is the table every test creates.
const TableName = "arende-test"

// Env is a running embedded server with the table created.
type Env struct {
	Server  *miniserver.Server
	Client  *dynamodb.Client
	Counter *dynamo.Counter
	Table   dynamo.Table
}

// New starts an embedded server for the test and creates the table.
func New(tb testing.TB) *Env {
	tb.Helper()
	srv := miniserver.NewServer()
	hs := httptest.NewServer(srv)
	tb.Cleanup(hs.Close)
	counter := dynamo.NewCounter()
	client := dynamo.NewClient(aws.Config{}, hs.URL, counter.Register, func(o *dynamodb.Options) {
		// The SDK's retries, as in production, but without waiting: now and
		// then (about 1 in 200 large answers) the SDK fails reading an answer
		// of this server with "use of closed network connection", which a
		// plain HTTP client never sees; a retry reads it fine.
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 6
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
		if _, bench := tb.(*testing.B); bench {
			// The SDK's warnings of those retries would stand between the
			// figures of make bench.
			o.Logger = logging.Nop{}
		}
	})
	if _, err := client.CreateTable(context.Background(), dynamo.Definition(TableName)); err != nil {
		tb.Fatalf("create table: %v", err)
	}
	counter.Reset()
	return &Env{Server: srv, Client: client, Counter: counter, Table: dynamo.Table{Client: client, Name: TableName}}
}

// Fail switches the server's failure emulation on (every call answers an
// internal server error) or off.
func (e *Env) Fail(on bool) {
	if on {
		e.Server.EmulateFailure(miniserver.FailureConditionInternalServerError)
	} else {
		e.Server.EmulateFailure(miniserver.FailureConditionNone)
	}
}
