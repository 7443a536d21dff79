// Command settings is the Lambda serving the settings area and the staff
// directory (users, groups) behind API Gateway.
package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

func main() {
	log, table := wiring.Start(context.Background(), os.Getenv)
	routes := settings.Routes(wiring.NewSettings(table, time.Now))
	lambda.Start(httpadapter.NewV2(wiring.LambdaHandler(routes, log)).ProxyWithContext)
}
