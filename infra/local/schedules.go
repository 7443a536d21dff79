package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/recurring"
	"github.com/workcloud/arendehantering/internal/scheduler"
)

// The local stand-ins of EventBridge Scheduler and of the table's stream
// for the recurring function: the in-process scheduler fires triggers at
// their time on the stack's clock, and streamClient hands the changes of
// definitions and SLA watch items to the function as the stream would.

// streamClient is the table's client, telling after each committed
// transaction the changes the recurring function follows.
type streamClient struct {
	dynamo.Client
	changes chan recurring.Change
}

// TransactWriteItems commits, then tells the changes of followed items
// (dropping them when nobody keeps up: the reconciliation heals those of
// definitions).
func (c streamClient) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	out, err := c.Client.TransactWriteItems(ctx, in, opts...)
	if err != nil {
		return out, err
	}
	for _, it := range in.TransactItems {
		var ch recurring.Change
		switch {
		case it.Put != nil:
			ch = recurring.Change{Keys: dynamo.Key(str(it.Put.Item[dynamo.AttrPK]), str(it.Put.Item[dynamo.AttrSK])), New: it.Put.Item}
		case it.Delete != nil:
			ch = recurring.Change{Keys: it.Delete.Key}
		default:
			continue
		}
		if sk := str(ch.Keys[dynamo.AttrSK]); strings.HasPrefix(sk, "RECURRING#") || sk == dynamo.SLAWatchSK {
			select {
			case c.changes <- ch:
			default:
			}
		}
	}
	return out, nil
}

func str(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// runSchedules plays the stream to the recurring function and fires due
// schedules every second, until ctx ends; it reconciles once at start.
func (st *stack) runSchedules(ctx context.Context, log *slog.Logger) {
	if _, err := st.recurring.Reconcile(ctx); err != nil {
		log.Warn("reconcile schedules", "err", err.Error())
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ch := <-st.changes:
			if err := st.recurring.HandleChange(ctx, ch); err != nil {
				log.Warn("schedule change", "err", err.Error())
			}
		case <-t.C:
			st.schedules.Due(ctx)
		}
	}
}

// devSchedule is a schedule as GET /dev/schedules lists it.
type devSchedule struct {
	Name       string          `json:"name"`
	Time       time.Time       `json:"time"`
	Expression string          `json:"expression"`
	Zone       string          `json:"zone"`
	Input      json.RawMessage `json:"input"`
}

// listSchedules answers GET /dev/schedules: what is scheduled, soonest
// first.
func (st *stack) listSchedules(w http.ResponseWriter, _ *http.Request) error {
	out := []devSchedule{}
	for _, s := range st.schedules.List() {
		out = append(out, devSchedule{Name: s.Name, Time: s.Time.UTC(), Expression: s.Expression, Zone: s.Zone, Input: s.Input})
	}
	httpapi.Write(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// fireSchedule answers POST /dev/schedules/{name}/fire: the schedule's
// trigger runs now, whatever its time.
func (st *stack) fireSchedule(w http.ResponseWriter, r *http.Request) error {
	found, err := st.schedules.FireNow(r.Context(), r.PathValue("name"))
	if !found {
		return problem.New(problem.NotFound, "No schedule has the name %q.", r.PathValue("name"))
	}
	if err != nil {
		return problem.Wrap(problem.Unavailable, err, "The trigger failed; the schedule stays and fires again.")
	}
	httpapi.Write(w, http.StatusOK, map[string]bool{"fired": true})
	return nil
}

var _ scheduler.Scheduler = (*scheduler.Local)(nil)
