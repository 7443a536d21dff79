// Command intake is the Lambda serving website intake (the public API's
// /v1/external routes, authenticated by API keys, with CORS per key), the
// customer portal (/v1/portal) and the API keys (/v1/settings/api-keys).
package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/workcloud/arendehantering/internal/wiring"
)

func main() {
	log, table := wiring.Start(context.Background(), os.Getenv)
	routes := wiring.New(table, time.Now).IntakeRoutes()
	lambda.Start(httpadapter.NewV2(wiring.LambdaHandler(routes, log)).ProxyWithContext)
}
