// Command recurring is the Lambda of recurring cases and SLA alerts: it
// runs the triggers of EventBridge Scheduler (an occurrence of a
// definition, an SLA target of a case, the daily reconciliation) and
// keeps the schedules in step with the table's stream (definitions and
// cases' SLA watch items, by the event source's filter).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"
	_ "time/tzdata" // occurrences are computed in their zone

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	awsscheduler "github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/workcloud/arendehantering/internal/recurring"
	"github.com/workcloud/arendehantering/internal/scheduler/eventbridge"
	"github.com/workcloud/arendehantering/internal/wiring"
)

func main() {
	ctx := context.Background()
	log, table := wiring.Start(ctx, os.Getenv)
	client := awsscheduler.NewFromConfig(wiring.StartAWS(os.Getenv, log), func(o *awsscheduler.Options) {
		o.BaseEndpoint = wiring.Endpoint(os.Getenv, awsscheduler.ServiceID)
	})
	sched := &eventbridge.Scheduler{
		Client:    client,
		Group:     os.Getenv("SCHEDULE_GROUP"),
		TargetARN: os.Getenv("SCHEDULE_TARGET_ARN"),
		RoleARN:   os.Getenv("SCHEDULER_ROLE_ARN"),
		DLQARN:    os.Getenv("SCHEDULE_DLQ_ARN"),
	}
	areas := wiring.New(table, time.Now, wiring.WithScheduler(sched, log))
	lambda.Start(handler(areas.Recurring, log))
}

// handler tells the events apart: a batch of stream records (answered
// with the records that failed), or a trigger of Scheduler (an error
// makes Scheduler retry it, then send it to the dead-letter queue).
func handler(svc *recurring.Service, log *slog.Logger) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var probe struct {
			Records []json.RawMessage `json:"Records"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			return nil, fmt.Errorf("recurring: unreadable event: %w", err)
		}
		if len(probe.Records) > 0 {
			var ev events.DynamoDBEvent
			if err := json.Unmarshal(raw, &ev); err != nil {
				return nil, fmt.Errorf("recurring: unreadable stream event: %w", err)
			}
			return svc.HandleStream(ctx, ev), nil
		}
		if err := svc.Handle(ctx, raw); err != nil {
			log.ErrorContext(ctx, "trigger failed", "trigger", string(raw), "err", err.Error())
			return nil, err
		}
		return map[string]bool{"ok": true}, nil
	}
}
