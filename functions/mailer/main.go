// Command mailer is the Lambda that sends the outbox: it consumes the
// table's stream (outbox items only, by the event source's filter) and, on
// a schedule, sweeps what the stream could not deliver.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/ses"
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
	// The mailer makes the conversation links of the mails it composes, so
	// that no link rests in the table: it reads the link keys at cold start.
	links, err := wiring.LinksFromAWS(ctx, os.Getenv, secretsmanager.NewFromConfig(awsCfg))
	if err != nil {
		log.Error("start", "err", err.Error())
		os.Exit(1)
	}
	table := dynamo.Table{Client: client, Name: os.Getenv("TABLE_NAME")}
	mailer := newMailer(table, ses.NewSender(sesv2.NewFromConfig(awsCfg)), mail.Config{
		From:             os.Getenv("MAIL_FROM"),
		ConfigurationSet: os.Getenv("SES_CONFIGURATION_SET"),
		AppURL:           os.Getenv("APP_URL"),
		ReviewURL:        os.Getenv("REVIEW_URL"),
	}, time.Now, log, wiring.WithLinks(links))
	lambda.Start(newHandler(mailer, log))
}

// newMailer wires the mailer through the areas, as every function is
// wired: their settings (cached for wiring.SettingsCacheTTL, the 10
// seconds the README promises), cases, customers and conversation links.
func newMailer(table dynamo.Table, sender mail.Sender, cfg mail.Config, now func() time.Time, log *slog.Logger, opts ...wiring.Option) *mail.Mailer {
	return wiring.New(table, now, opts...).Mailer(sender, cfg, log)
}
