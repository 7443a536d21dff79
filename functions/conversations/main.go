// Command conversations is the Lambda serving customer conversations:
// staff messages to a case's customer, the customer's page of a mail link
// (/c/{token}, no JWT: the token is the credential), the portal's
// messages, and revoking a case's links. It reads the link key ring once,
// at cold start, from Secrets Manager.
package main

import (
	"context"
	"os"
	"time"
	_ "time/tzdata" // the customer's page shows times in the tenant's zone

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/wiring"
	"github.com/workcloud/arendehantering/internal/wiring/linkkeys"
)

func main() {
	ctx := context.Background()
	go conversations.PreparePage() // while the key ring's read below waits on the network
	log, table := wiring.Start(ctx, os.Getenv)
	_, links := linkkeys.Start(ctx, os.Getenv, log)
	routes := wiring.New(table, time.Now, wiring.WithLinks(links)).ConversationsRoutes()
	lambda.Start(httpadapter.NewV2(wiring.LambdaHandler(routes, log)).ProxyWithContext)
}
