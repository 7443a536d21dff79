package recurring

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// A definition's partition (dynamo.RecurringPK) holds its runs, one per
// occurrence ("RUN#<scheduledFor>", removed by TTL after keepRuns), and
// the state of its schedule ("SCHEDULE": which schedule is its next).

const (
	kindRun   = "RECURRINGRUN"
	kindState = "RECURRINGSTATE"
	// keepRuns is how long a run stays in the history.
	keepRuns = 400 * 24 * time.Hour
)

func stateKey(tenant, id string) dynamo.Item {
	return dynamo.Key(dynamo.RecurringPK(tenant, id), dynamo.RecurringStateSK)
}

// runWrite is the put of run, if it is the occurrence's first.
func runWrite(tenant, id string, run Run) (dynamo.Write, error) {
	item, err := dynamo.NewItem(dynamo.RecurringPK(tenant, id), dynamo.RunSK(dynamo.KeyTime(run.ScheduledFor.Time)), kindRun, 1, run, 4<<10, "run")
	if err != nil {
		return dynamo.Write{}, err
	}
	item[dynamo.AttrTTL] = dynamo.N(run.At.Add(keepRuns).Unix())
	return dynamo.Put(item, dynamo.NotExists(), errRunExists), nil
}

// record writes a run that made no case, with what goes with it (the
// admins' notifications), if it is the occurrence's first.
func (s *Service) record(ctx context.Context, tenant, id string, run Run, with []dynamo.Write) error {
	w, err := runWrite(tenant, id, run)
	if err != nil {
		return err
	}
	return s.table.Commit(ctx, "record run", append([]dynamo.Write{w}, with...)...)
}

// Runs answers a page of the definition's runs, newest first.
func (s *Service) Runs(ctx context.Context, tenant, id string, limit int, cursor string) ([]*Run, string, error) {
	pk := dynamo.RecurringPK(tenant, id)
	items, next, err := s.table.Page(ctx, "list runs", dynamo.PageQuery{
		Input: &dynamodb.QueryInput{
			KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :run)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk), ":run": dynamo.S(dynamo.RunSKPrefix)},
			ScanIndexForward:          aws.Bool(false),
		},
		Limit: limit, Cursor: cursor, KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
		Valid: func(k map[string]string) bool {
			return k[dynamo.AttrPK] == pk && strings.HasPrefix(k[dynamo.AttrSK], dynamo.RunSKPrefix)
		},
	})
	if err != nil {
		return nil, "", err
	}
	out := make([]*Run, 0, len(items))
	for _, it := range items {
		var r Run
		if err := dynamo.DecodeData(it, &r); err != nil {
			return nil, "", problem.Wrap(problem.Internal, fmt.Errorf("decode run: %w", err), "")
		}
		out = append(out, &r)
	}
	return out, next, nil
}

// state is the schedule made for a definition's next occurrence.
type state struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// readState reads the state of the definition's schedule (zero: none).
func (s *Service) readState(ctx context.Context, tenant, id string) (state, error) {
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table.Name), Key: stateKey(tenant, id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return state{}, dynamo.Unavailable("read schedule state", err)
	}
	var st state
	if len(out.Item) > 0 {
		if err := dynamo.DecodeData(out.Item, &st); err != nil {
			return state{}, problem.Wrap(problem.Internal, fmt.Errorf("decode schedule state: %w", err), "")
		}
	}
	return st, nil
}

// writeState stores st (none: removes the state).
func (s *Service) writeState(ctx context.Context, tenant, id string, st state) error {
	if st.Name == "" {
		return s.table.Commit(ctx, "drop schedule state", dynamo.Delete(stateKey(tenant, id), dynamo.Cond{}, nil))
	}
	item, err := dynamo.NewItem(dynamo.RecurringPK(tenant, id), dynamo.RecurringStateSK, kindState, 1, st, 1<<10, "schedule state")
	if err != nil {
		return err
	}
	return s.table.Commit(ctx, "write schedule state", dynamo.Put(item, dynamo.Cond{}, nil))
}

// states reads the schedule states of many definitions (BatchGetItem):
// what the reconciliation compares with what should be scheduled.
func (s *Service) states(ctx context.Context, keys [][2]string) (map[[2]string]state, error) {
	if len(keys) == 0 {
		return map[[2]string]state{}, nil
	}
	ks := make([]dynamo.Item, len(keys))
	for i, k := range keys {
		ks[i] = stateKey(k[0], k[1])
	}
	found, err := s.table.GetMany(ctx, "read schedule states", ks)
	if err != nil {
		return nil, err
	}
	out := make(map[[2]string]state, len(keys))
	for i, k := range keys {
		var st state
		if it, ok := found[dynamo.KeyOf(ks[i])]; ok {
			_ = dynamo.DecodeData(it, &st)
		}
		out[k] = st
	}
	return out, nil
}
