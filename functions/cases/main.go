// Command cases is the Lambda serving cases (with their tasks, time
// reports, comments and event log), the customers and orders they refer
// to, and the staff's notifications.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/settings"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	client, err := dynamo.NewClient(context.Background(), os.Getenv("DYNAMODB_ENDPOINT"))
	if err != nil {
		log.Error("start", "err", err)
		os.Exit(1)
	}
	table := dynamo.Table{Client: client, Name: os.Getenv("TABLE_NAME")}
	st := settings.NewService(table, time.Now, 10*time.Second)
	lambda.Start(httpadapter.NewV2(newHandler(table, st, time.Now, log)).ProxyWithContext)
}
