package recurring

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// occurrenceSchedule is the schedule of the occurrence at of definition
// d of tenant: its name says the tenant, the definition and the instant,
// so that making it twice makes one.
func occurrenceSchedule(tenant string, d *settings.RecurringCase, at time.Time) (scheduler.Schedule, error) {
	sc, err := d.Schedule()
	if err != nil {
		return scheduler.Schedule{}, err
	}
	expr, zone := sc.At(at)
	input, err := json.Marshal(Trigger{Kind: KindOccurrence, Tenant: tenant, DefinitionID: d.ID, ScheduledFor: timestamp.Ptr(at)})
	if err != nil {
		return scheduler.Schedule{}, err
	}
	return scheduler.Schedule{Name: scheduler.Name("rc", tenant, d.ID, at.UTC().Format("20060102T150405Z")),
		Expression: expr, Zone: zone, Time: at, Input: input}, nil
}

// wanted is the schedule definition d (nil: deleted) should have now: its
// next occurrence, or none (paused, ended, deleted).
func (s *Service) wanted(tenant string, d *settings.RecurringCase) (*scheduler.Schedule, error) {
	if d == nil {
		return nil, nil
	}
	next, _, ok := d.NextAfter(s.now())
	if !ok {
		return nil, nil
	}
	sch, err := occurrenceSchedule(tenant, d, next)
	return &sch, err
}

// Sync makes the schedule of the definition its next occurrence, as the
// definition is now (read fresh): it creates the one wanted (if any),
// deletes the one made before (if another), and records which it is. It
// is what a stream record of the definition, a trigger and the
// reconciliation all do, and it may run twice at once: names are
// deterministic, and a schedule left over by a race fires a trigger that
// no longer matches (recorded, no case) and syncs again.
func (s *Service) Sync(ctx context.Context, tenant, id string) error {
	d, _, err := s.definitions.RecurringCase(ctx, tenant, id, true)
	if problem.CodeOf(err) == problem.NotFound {
		d, err = nil, nil
	}
	if err != nil {
		return err
	}
	return s.syncTo(ctx, tenant, id, d)
}

// syncTo is Sync with the definition as read (nil: deleted).
func (s *Service) syncTo(ctx context.Context, tenant, id string, d *settings.RecurringCase) error {
	want, err := s.wanted(tenant, d)
	if err != nil {
		return err
	}
	st, err := s.readState(ctx, tenant, id)
	if err != nil {
		return err
	}
	return s.apply(ctx, tenant, id, st, want)
}

// apply moves the definition's schedule from st to want.
func (s *Service) apply(ctx context.Context, tenant, id string, st state, want *scheduler.Schedule) error {
	if want != nil && st.Name == want.Name {
		return nil
	}
	next := state{}
	if want != nil {
		if err := s.schedules.Create(ctx, *want); err != nil {
			return err
		}
		next = state{Name: want.Name, At: want.Time}
	}
	// One whose time has passed has fired, and deleted itself.
	if st.Name != "" && st.At.After(s.now()) {
		if err := s.schedules.Delete(ctx, st.Name); err != nil {
			return err
		}
	}
	if st.Name == "" && next.Name == "" {
		return nil
	}
	return s.writeState(ctx, tenant, id, next)
}

// Reconcile makes sure every definition has the schedule it should: it
// reads every definition of every tenant from the index (GSI3, a page of
// up to 100 at a time) and their states (one BatchGetItem a page), and
// syncs those whose state is not their next occurrence (a stream record
// that was lost, a chain that broke). It answers how many it synced. It
// runs once a day.
func (s *Service) Reconcile(ctx context.Context) (int, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table.Name),
		IndexName:                 aws.String(dynamo.IndexGSI3),
		KeyConditionExpression:    aws.String("GSI3PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(dynamo.RecurringIndexPK)},
		Limit:                     aws.Int32(dynamo.MaxBatchGet),
	}
	synced := 0
	var errs []error
	for {
		out, err := s.table.Client.Query(ctx, in)
		if err != nil {
			return synced, dynamo.Unavailable("read definitions", err)
		}
		n, err := s.reconcilePage(ctx, out.Items)
		synced += n
		if err != nil {
			errs = append(errs, err)
		}
		if len(out.LastEvaluatedKey) == 0 {
			return synced, errors.Join(errs...)
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

func (s *Service) reconcilePage(ctx context.Context, items []dynamo.Item) (int, error) {
	type def struct {
		tenant string
		d      *settings.RecurringCase
	}
	var defs []def
	var keys [][2]string
	for _, it := range items {
		if tenant, d, ok := settings.RecurringItem(it); ok {
			defs = append(defs, def{tenant, d})
			keys = append(keys, [2]string{tenant, d.ID})
		}
	}
	states, err := s.states(ctx, keys)
	if err != nil {
		return 0, err
	}
	synced := 0
	var errs []error
	for _, x := range defs {
		want, err := s.wanted(x.tenant, x.d)
		st := states[[2]string{x.tenant, x.d.ID}]
		if err == nil && (want == nil && st.Name == "" || want != nil && want.Name == st.Name) {
			continue
		}
		if err := s.Sync(ctx, x.tenant, x.d.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		synced++
	}
	return synced, errors.Join(errs...)
}
