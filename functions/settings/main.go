// Command settings is the Lambda serving the settings area and the staff
// directory (users, groups) behind API Gateway, with the previews and the
// history of recurring cases.
package main

import (
	"context"
	"os"
	"time"
	_ "time/tzdata" // zones are validated, previews computed in them

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/workcloud/arendehantering/internal/wiring"
)

func main() {
	log, table := wiring.Start(context.Background(), os.Getenv)
	// The settings and the staff directory, and the previews and runs of
	// recurring cases; the definitions' case data is checked by the cases
	// area's rules, which is why every area is wired.
	routes := wiring.New(table, time.Now).SettingsRoutes()
	lambda.Start(httpadapter.NewV2(wiring.LambdaHandler(routes, log)).ProxyWithContext)
}
