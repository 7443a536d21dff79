// Command cases is the Lambda serving cases (with their tasks, time
// reports, comments and event log), the customers and orders they refer
// to, and the staff's notifications.
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
	routes := wiring.New(table, time.Now).CasesRoutes()
	lambda.Start(httpadapter.NewV2(wiring.LambdaHandler(routes, log)).ProxyWithContext)
}
