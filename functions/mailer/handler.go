package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/workcloud/arendehantering/internal/mail"
)

// sweepAge is how long an outbox item must have waited before a sweep
// takes it: the stream's own retries come first.
const sweepAge = 2 * time.Minute

// invocation tells the two events apart: stream records, or the schedule.
type invocation struct {
	Records    []json.RawMessage `json:"Records"`
	DetailType string            `json:"detail-type"`
}

// newHandler returns the function's handler: a stream batch answers which
// records failed; a scheduled event sweeps the pending outbox.
func newHandler(m *mail.Mailer, log *slog.Logger) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var inv invocation
		if err := json.Unmarshal(raw, &inv); err != nil {
			return nil, fmt.Errorf("mailer: unreadable event: %w", err)
		}
		if len(inv.Records) > 0 {
			var ev events.DynamoDBEvent
			if err := json.Unmarshal(raw, &ev); err != nil {
				return nil, fmt.Errorf("mailer: unreadable stream event: %w", err)
			}
			resp, err := m.HandleStream(ctx, ev)
			log.InfoContext(ctx, "stream batch", "records", len(ev.Records), "failed", len(resp.BatchItemFailures))
			return resp, err
		}
		n, err := m.Sweep(ctx, sweepAge, 100)
		if err != nil {
			log.ErrorContext(ctx, "sweep", "items", n, "err", err.Error())
		} else {
			log.InfoContext(ctx, "sweep", "items", n)
		}
		return map[string]int{"swept": n}, err
	}
}
