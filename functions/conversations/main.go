// Command conversations is the Lambda serving customer conversations:
// staff messages to a case's customer, the customer's page of a mail link
// (/c/{token}, no JWT: the token is the credential), the portal's
// messages, and revoking a case's links. It reads the link key ring once,
// at cold start, from Secrets Manager.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/wiring"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	ctx := context.Background()
	client, err := dynamo.NewClient(ctx, os.Getenv("DYNAMODB_ENDPOINT"))
	if err != nil {
		log.Error("start", "err", err)
		os.Exit(1)
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Error("start", "err", err)
		os.Exit(1)
	}
	links, err := wiring.LinksFromAWS(ctx, os.Getenv, secretsmanager.NewFromConfig(awsCfg))
	if err != nil {
		log.Error("start", "err", err.Error())
		os.Exit(1)
	}
	table := dynamo.Table{Client: client, Name: os.Getenv("TABLE_NAME")}
	routes := wiring.New(table, time.Now, wiring.WithLinks(links)).Routes(wiring.ConversationsFunction)
	lambda.Start(httpadapter.NewV2(wiring.LambdaHandler(routes, log)).ProxyWithContext)
}
