// Package ses sends mail with Amazon SES v2.
package ses

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/workcloud/arendehantering/internal/mail"
)

// Client is the part of the SES v2 API the sender calls.
type Client interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, optFns ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

var _ Client = (*sesv2.Client)(nil)

// Sender sends messages as SES "simple" mails.
type Sender struct {
	client Client
}

var _ mail.Sender = (*Sender)(nil)

// NewSender returns a sender over an SES v2 client.
func NewSender(client Client) *Sender { return &Sender{client: client} }

// Send sends m. Header values are checked again here, so that nothing with
// a line break reaches SES whatever called it.
func (s *Sender) Send(ctx context.Context, m mail.Message) (string, error) {
	for _, h := range append([]string{m.From, m.ReplyTo, m.Subject}, m.To...) {
		if !mail.HeaderSafe(h) {
			return "", fmt.Errorf("ses: header value with a control character refused")
		}
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(m.From),
		Destination:      &types.Destination{ToAddresses: m.To},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(m.Subject), Charset: aws.String("UTF-8")},
			Body:    &types.Body{Text: &types.Content{Data: aws.String(m.Text), Charset: aws.String("UTF-8")}},
		}},
		EmailTags: []types.MessageTag{
			{Name: aws.String("tenant"), Value: aws.String(m.Tenant)},
			{Name: aws.String("outbox"), Value: aws.String(m.OutboxID)},
		},
	}
	if m.ReplyTo != "" {
		in.ReplyToAddresses = []string{m.ReplyTo}
	}
	if m.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(m.ConfigurationSet)
	}
	out, err := s.client.SendEmail(ctx, in)
	var rejected *types.MessageRejected
	if errors.As(err, &rejected) {
		return "", fmt.Errorf("ses send: %w: %v", mail.ErrRejected, err)
	}
	if err != nil {
		return "", fmt.Errorf("ses send: %w", err)
	}
	return aws.ToString(out.MessageId), nil
}
