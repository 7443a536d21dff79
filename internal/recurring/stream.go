package recurring

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/recurrence"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Change is one change of an item this function follows, as the table's
// stream tells it: the item's key, and its new image (nil when removed).
type Change struct {
	Keys dynamo.Item
	New  dynamo.Item
}

// HandleChange keeps the schedules in step with one change: a definition
// created, changed or deleted is synced (read fresh: the record's image
// may be older than the definition); a case's SLA watch item schedules
// its targets and unschedules the ones it dropped. Other items are none
// of its business (the event source's filter keeps them away).
func (s *Service) HandleChange(ctx context.Context, c Change) error {
	if tenant, id, ok := settings.RecurringKey(c.Keys); ok {
		return s.Sync(ctx, tenant, id)
	}
	if sk, _ := c.Keys[dynamo.AttrSK].(*types.AttributeValueMemberS); sk == nil || sk.Value != dynamo.SLAWatchSK || c.New == nil {
		return nil
	}
	var w cases.SLAWatch
	if err := dynamo.DecodeData(c.New, &w); err != nil {
		return fmt.Errorf("recurring: unreadable SLA watch item: %w", err)
	}
	if !validID(w.Tenant) || !validID(w.CaseID) {
		return nil
	}
	return s.WatchSLA(ctx, w)
}

// slaSchedule is the schedule of a case's target: in UTC, at the due
// time rounded up to a whole second (so that it never fires before the
// target passed), named by the tenant, the case, the target and the due
// time to the millisecond.
func slaSchedule(tenant, caseID string, t cases.SLATarget) (scheduler.Schedule, error) {
	at := t.Due.Time
	if r := at.Truncate(time.Second); !r.Equal(at) {
		at = r.Add(time.Second)
	}
	expr, zone := recurrence.AtIn(at, time.UTC)
	input, err := json.Marshal(Trigger{Kind: KindSLA, Tenant: tenant, CaseID: caseID, Target: t.Target, Due: timestamp.Ptr(t.Due.Time)})
	if err != nil {
		return scheduler.Schedule{}, err
	}
	what := t.Target[:1] + strconv.FormatInt(t.Due.UnixMilli(), 10)
	return scheduler.Schedule{Name: scheduler.Name("sla", tenant, caseID, what), Expression: expr, Zone: zone, Time: at, Input: input}, nil
}

// WatchSLA schedules the alert of each target of w (one already past is
// alerted at once) and deletes the schedules of those it dropped.
func (s *Service) WatchSLA(ctx context.Context, w cases.SLAWatch) error {
	for _, t := range w.Dropped {
		sch, err := slaSchedule(w.Tenant, w.CaseID, t)
		if err != nil {
			return err
		}
		if err := s.schedules.Delete(ctx, sch.Name); err != nil {
			return err
		}
	}
	for _, t := range w.Targets {
		if !t.Due.After(s.now()) {
			if _, err := s.cases.Breach(ctx, w.Tenant, w.CaseID, t.Target, t.Due.Time); err != nil {
				return err
			}
			continue
		}
		sch, err := slaSchedule(w.Tenant, w.CaseID, t)
		if err != nil {
			return err
		}
		if err := s.schedules.Create(ctx, sch); err != nil {
			return err
		}
	}
	return nil
}

// HandleStream runs a batch of the table's stream records and answers
// those that failed, so that only they are retried.
func (s *Service) HandleStream(ctx context.Context, ev events.DynamoDBEvent) events.DynamoDBEventResponse {
	var resp events.DynamoDBEventResponse
	for _, r := range ev.Records {
		c := Change{Keys: itemOf(r.Change.Keys)}
		if len(r.Change.NewImage) > 0 {
			c.New = itemOf(r.Change.NewImage)
		}
		if err := s.HandleChange(ctx, c); err != nil {
			s.log.ErrorContext(ctx, "stream record failed", "sequence", r.Change.SequenceNumber, "err", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
		}
	}
	return resp
}

// itemOf is a stream image as an item: its string and number attributes,
// which are all that keys, kinds and data are.
func itemOf(img map[string]events.DynamoDBAttributeValue) dynamo.Item {
	out := dynamo.Item{}
	for k, v := range img {
		switch v.DataType() {
		case events.DataTypeString:
			out[k] = dynamo.S(v.String())
		case events.DataTypeNumber:
			out[k] = &types.AttributeValueMemberN{Value: v.Number()}
		}
	}
	return out
}
