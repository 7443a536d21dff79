package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/mail"
)

type nullSender struct{}

func (nullSender) Send(context.Context, mail.Message) (string, error) { return "id", nil }

// TestHandlerTellsEventsApart: stream batches answer per-record failures;
// the schedule's event sweeps.
func TestHandlerTellsEventsApart(t *testing.T) {
	db := dynamotest.New(t)
	now := func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	h := newHandler(newMailer(db.Table, nullSender{}, mail.Config{From: "a@b.se"}, now, log), log)

	stream, _ := json.Marshal(events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{{EventName: "INSERT",
		Change: events.DynamoDBStreamRecord{SequenceNumber: "1", NewImage: map[string]events.DynamoDBAttributeValue{"kind": events.NewStringAttribute("CASE")}}}}})
	out, err := h(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	if resp, ok := out.(events.DynamoDBEventResponse); !ok || len(resp.BatchItemFailures) != 0 {
		t.Errorf("stream answer %#v, want a batch response without failures", out)
	}

	schedule := []byte(`{"version":"0","id":"x","detail-type":"Scheduled Event","source":"aws.events","detail":{}}`)
	out, err = h(context.Background(), schedule)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := out.(map[string]int); !ok || m["swept"] != 0 {
		t.Errorf("schedule answer %#v, want a sweep of nothing", out)
	}

	if _, err := h(context.Background(), []byte(`not json`)); err == nil {
		t.Error("an unreadable event was accepted")
	}
}

// TestSweepLogsAnErrorOnlyWhenThereIsOne: a sweep that went well logs no
// err attribute (not err=<nil>); one that failed logs what failed.
func TestSweepLogsAnErrorOnlyWhenThereIsOne(t *testing.T) {
	db := dynamotest.New(t)
	now := func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	h := newHandler(newMailer(db.Table, nullSender{}, mail.Config{From: "a@b.se"}, now, log), log)
	schedule := []byte(`{"version":"0","id":"x","detail-type":"Scheduled Event","source":"aws.events","detail":{}}`)

	if _, err := h(context.Background(), schedule); err != nil {
		t.Fatal(err)
	}
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log %q: %v", buf.String(), err)
	}
	if _, has := line["err"]; has || line["msg"] != "sweep" {
		t.Errorf("a sweep that went well logged %s", buf.String())
	}

	buf.Reset()
	db.Fail(true)
	if _, err := h(context.Background(), schedule); err == nil {
		t.Fatal("a failed sweep reported success")
	}
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log %q: %v", buf.String(), err)
	}
	if e, _ := line["err"].(string); e == "" || e == "<nil>" {
		t.Errorf("a failed sweep logged %s", buf.String())
	}
}
