package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Message is one mail ready to send.
type Message struct {
	From             string
	ReplyTo          string
	To               []string
	Subject          string
	Text             string
	ConfigurationSet string
	// Tenant and OutboxID tag the mail, for tracing it back.
	Tenant   string
	OutboxID string
}

// Sender sends a message: SES in the Lambda, files in the local stack.
type Sender interface {
	Send(ctx context.Context, m Message) (messageID string, err error)
}

// Sources are what the mailer reads when it composes a mail: the tenant's
// settings, and the case the mail is about and the contact it goes to,
// through the readers the cases and customers areas own. A case or
// contact that is not found (deleted) means the mail can never be sent.
type Sources struct {
	Settings  settings.Reader
	Cases     cases.Reader
	Customers customers.Reader
	// Links makes the conversation links of mails that ask for one
	// (outbox.Link); nil when this mailer has no link keys, and then such
	// a mail is not sent.
	Links Links
}

// Config is the deployment's mail configuration.
type Config struct {
	// From is the verified sender address; the tenant's name is its
	// display name.
	From string
	// ConfigurationSet is the SES configuration set (events, suppression).
	ConfigurationSet string
	// AppURL is where staff open a case: AppURL + "/cases/<id>".
	AppURL string
	// ReviewURL is where customers leave a review: ReviewURL + "?case=<id>".
	ReviewURL string
}

// Mailer delivers outbox items.
type Mailer struct {
	table  dynamo.Table
	src    Sources
	sender Sender
	cfg    Config
	now    func() time.Time
	log    *slog.Logger
}

// NewMailer returns a mailer of the outbox items in table, composed from
// src and sent by sender.
func NewMailer(table dynamo.Table, src Sources, sender Sender, cfg Config, now func() time.Time, log *slog.Logger) *Mailer {
	return &Mailer{table: table, src: src, sender: sender, cfg: cfg, now: now, log: log}
}

// ErrRejected marks a send the mail service refused for good (the message
// or its recipient): retrying would not help, so the item is marked failed.
var ErrRejected = errors.New("rejected")

// maxAttempts bounds how often one item is tried: past it, the item is
// marked failed, logged, and no longer keeps a sweep or an alarm busy.
const maxAttempts = 10

// keepSent is how long a finished outbox item is kept.
const keepSent = 30 * 24 * time.Hour

// claimFor is how long a claimed item is left to its sender before
// another delivery may take it over (the first one died).
const claimFor = 5 * time.Minute

// Attributes the mailer keeps on an outbox item beside its status
// (outbox.AttrStatus): when it was claimed and how often, and how it ended.
const (
	attrClaimedAt = "claimedAt"
	attrAttempts  = "attempts"
	attrSentAt    = "sentAt"
	attrMessageID = "messageId"
	attrReason    = "reason"
)

// errPermanent marks a mail that can never be sent (no address, a header
// value that is not safe): it is marked failed, not retried.
var errPermanent = errors.New("cannot be sent")

// Deliver sends one outbox item, at most once: it claims the item with a
// conditional update first, so that a replayed stream record or a second
// sweeper finds it claimed or sent and does nothing. If sending fails the
// claim is released and the error returned, so the item is tried again.
func (m *Mailer) Deliver(ctx context.Context, tenant, id string) error {
	k := outbox.Key(tenant, id)
	now := m.now().UTC()
	out, err := m.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(m.table.Name),
		Key:                 k,
		UpdateExpression:    aws.String("SET #s = :sending, #c = :now ADD #a :one"),
		ConditionExpression: aws.String("#s = :pending OR (#s = :sending AND #c < :stale)"),
		ExpressionAttributeNames: map[string]string{
			"#s": outbox.AttrStatus, "#c": attrClaimedAt, "#a": attrAttempts},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":sending": dynamo.S(outbox.Sending), ":pending": dynamo.S(outbox.Pending), ":one": dynamo.N(1),
			":now": dynamo.S(dynamo.KeyTime(now)), ":stale": dynamo.S(dynamo.KeyTime(now.Add(-claimFor)))}, // fixed width: compared as text
		ReturnValues: types.ReturnValueAllNew,
	})
	if dynamo.ConditionFailed(err) {
		return nil // sent already, or being sent by someone else
	}
	if err != nil {
		return fmt.Errorf("claim %s: %w", id, err)
	}
	var item outbox.Mail
	if err := dynamo.DecodeData(out.Attributes, &item); err != nil {
		return m.fail(ctx, k, tenant, id, "undecodable outbox item")
	}
	if attempts := dynamo.Int(out.Attributes, attrAttempts); attempts > maxAttempts {
		return m.fail(ctx, k, tenant, id, fmt.Sprintf("gave up after %d attempts", maxAttempts))
	}
	msg, err := m.compose(ctx, item)
	if errors.Is(err, errPermanent) {
		return m.fail(ctx, k, tenant, id, err.Error())
	}
	if err != nil {
		_ = m.release(ctx, k)
		return fmt.Errorf("compose %s: %w", id, err)
	}
	messageID, err := m.sender.Send(ctx, msg)
	if errors.Is(err, ErrRejected) {
		return m.fail(ctx, k, tenant, id, err.Error())
	}
	if err != nil {
		_ = m.release(ctx, k)
		return fmt.Errorf("send %s: %w", id, err)
	}
	// At least once: if this mark fails every try (or the function dies
	// before it), the claim expires and a sweep sends the mail again.
	for attempt := range 3 {
		if err = m.finish(ctx, k, outbox.Sent, messageID, ""); err == nil {
			return nil
		}
		_ = dynamo.Pause(ctx, attempt)
	}
	return err
}

// fail marks an item that can never be sent, and says so in the log: an
// operator can see which mail did not go out, and why.
func (m *Mailer) fail(ctx context.Context, k map[string]types.AttributeValue, tenant, id, reason string) error {
	m.log.WarnContext(ctx, "mail not sent", "tenant", tenant, "outbox", id, "reason", reason)
	return m.finish(ctx, k, outbox.Failed, "", reason)
}

// release hands a claimed item back, for the next try.
func (m *Mailer) release(ctx context.Context, k map[string]types.AttributeValue) error {
	_, err := m.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(m.table.Name), Key: k,
		UpdateExpression:          aws.String("SET #s = :pending"),
		ConditionExpression:       aws.String("#s = :sending"),
		ExpressionAttributeNames:  map[string]string{"#s": outbox.AttrStatus},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pending": dynamo.S(outbox.Pending), ":sending": dynamo.S(outbox.Sending)},
	})
	return err
}

// finish records the outcome and takes the item out of the pending index.
func (m *Mailer) finish(ctx context.Context, k map[string]types.AttributeValue, status, messageID, reason string) error {
	// The item stays for a while as the record of what was sent, then TTL
	// removes it.
	set := "SET #s = :s, #t = :t, #x = :x"
	values := map[string]types.AttributeValue{":s": dynamo.S(status), ":t": dynamo.S(dynamo.KeyTime(m.now())),
		":x": dynamo.N(m.now().Add(keepSent).Unix())}
	names := map[string]string{"#s": outbox.AttrStatus, "#t": attrSentAt, "#x": dynamo.AttrTTL}
	if messageID != "" {
		set += ", #m = :m"
		values[":m"], names["#m"] = dynamo.S(messageID), attrMessageID
	}
	if reason != "" {
		set += ", #r = :r"
		values[":r"], names["#r"] = dynamo.S(reason), attrReason
	}
	expr := set + " REMOVE GSI3PK, GSI3SK"
	_, err := m.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(m.table.Name), Key: k, UpdateExpression: aws.String(expr),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	})
	if err != nil {
		return fmt.Errorf("record %s: %w", status, err)
	}
	return nil
}
