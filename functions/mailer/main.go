// Command mailer is the Lambda that sends the outbox: it consumes the
// table's stream (outbox items only, by the event source's filter) and, on
// a schedule, sweeps what the stream could not deliver.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"
	_ "time/tzdata" // mails give a deadline in the tenant's zone

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/ses"
	"github.com/workcloud/arendehantering/internal/wiring"
	"github.com/workcloud/arendehantering/internal/wiring/linkkeys"
)

func main() {
	ctx := context.Background()
	log, table := wiring.Start(ctx, os.Getenv)
	// The mailer makes the conversation links of the mails it composes, so
	// that no link rests in the table: it reads the link keys at cold start.
	awsCfg, links := linkkeys.Start(ctx, os.Getenv, log)
	client := sesv2.NewFromConfig(awsCfg, func(o *sesv2.Options) { o.BaseEndpoint = wiring.Endpoint(os.Getenv, sesv2.ServiceID) })
	mailer := newMailer(table, ses.NewSender(client), mail.Config{
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
