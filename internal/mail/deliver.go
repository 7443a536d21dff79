package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/outbox"
)

// HandleStream delivers the outbox items of a batch of stream records and
// reports the records that failed, so that only those are retried
// (ReportBatchItemFailures). Records of other items are ignored: the event
// source's filter should not have sent them.
func (m *Mailer) HandleStream(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	for _, r := range ev.Records {
		tenant, id, ok := outboxOf(r.Change.NewImage)
		if !ok {
			continue
		}
		if err := m.Deliver(ctx, tenant, id); err != nil {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
		}
	}
	return resp, nil
}

// outboxOf reads the tenant and ID of an outbox item from its stream image.
func outboxOf(img map[string]events.DynamoDBAttributeValue) (tenant, id string, ok bool) {
	kind, found := img[dynamo.AttrKind]
	if !found || kind.DataType() != events.DataTypeString || kind.String() != outbox.Kind {
		return "", "", false
	}
	data, found := img[dynamo.AttrData]
	if !found || data.DataType() != events.DataTypeString {
		return "", "", false
	}
	var m outbox.Mail
	if err := json.Unmarshal([]byte(data.String()), &m); err != nil || m.Tenant == "" || m.ID == "" {
		return "", "", false
	}
	return m.Tenant, m.ID, true
}

// Sweep delivers the items still pending after olderThan: those whose
// stream deliveries all failed (SES down longer than the retries) or that
// a crashed delivery left claimed. It runs on a schedule in AWS and in a
// loop in the local stack. It answers how many it sent or tried.
func (m *Mailer) Sweep(ctx context.Context, olderThan time.Duration, limit int32) (int, error) {
	before := dynamo.KeyTime(m.now().Add(-olderThan))
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(m.table.Name),
		IndexName:                 aws.String(dynamo.IndexGSI3),
		KeyConditionExpression:    aws.String("GSI3PK = :p AND GSI3SK < :before"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": dynamo.S(dynamo.OutboxPendingPK), ":before": dynamo.S(before + "~")},
		Limit:                     aws.Int32(limit),
	}
	var errs []error
	n := 0
	// A few pages at most: the index is read eventually consistent, so
	// items sent a moment ago may still be listed, and are skipped.
	for page := 0; page < 10 && n < int(limit); page++ {
		if d, ok := ctx.Deadline(); ok && time.Until(d) < 10*time.Second {
			break // leave the rest to the next sweep rather than time out
		}
		out, err := m.table.Client.Query(ctx, in)
		if err != nil {
			return n, fmt.Errorf("sweep outbox: %w", err)
		}
		for _, it := range out.Items {
			sk, _ := it[dynamo.AttrGSI3SK].(*types.AttributeValueMemberS)
			st, _ := it[outbox.AttrStatus].(*types.AttributeValueMemberS)
			if sk == nil || (st != nil && st.Value != outbox.Pending && st.Value != outbox.Sending) {
				continue
			}
			tenant, id, ok := outbox.PendingOf(sk.Value)
			if !ok {
				continue
			}
			n++
			if err := m.Deliver(ctx, tenant, id); err != nil {
				errs = append(errs, err)
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	return n, errors.Join(errs...)
}
