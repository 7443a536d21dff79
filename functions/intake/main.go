// Command intake is the Lambda serving website intake (the public API's
// /v1/external routes, authenticated by API keys, with CORS per key), the
// customer portal (/v1/portal) and the API keys (/v1/settings/api-keys).
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/wiring"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	client, err := dynamo.NewClient(context.Background(), os.Getenv("DYNAMODB_ENDPOINT"))
	if err != nil {
		log.Error("start", "err", err)
		os.Exit(1)
	}
	table := dynamo.Table{Client: client, Name: os.Getenv("TABLE_NAME")}
	routes := wiring.New(table, time.Now).Routes(wiring.IntakeFunction)
	lambda.Start(httpadapter.NewV2(wiring.LambdaHandler(routes, log)).ProxyWithContext)
}
