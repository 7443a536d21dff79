package eventbridge_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsscheduler "github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/scheduler/eventbridge"
)

// request is one request the SDK sent.
type request struct {
	Method, Path, Query string
	Body                map[string]any
}

// fakeScheduler is an httptest server standing in for EventBridge
// Scheduler's endpoint: it records what the real SDK sends and answers
// with answer (status, error type) for each request.
func fakeScheduler(t *testing.T, answer func(r request) (int, string)) (*eventbridge.Scheduler, *[]request) {
	t.Helper()
	var mu sync.Mutex
	var got []request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		req := request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &req.Body); err != nil {
				t.Errorf("body %s: %v", raw, err)
			}
		}
		mu.Lock()
		got = append(got, req)
		mu.Unlock()
		status, errType := answer(req)
		w.Header().Set("Content-Type", "application/json")
		if errType != "" {
			w.Header().Set("X-Amzn-Errortype", errType)
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"Message":"`+errType+`"}`)
			return
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"ScheduleArn":"arn:aws:scheduler:eu-north-1:123456789012:schedule/g/x"}`)
	}))
	t.Cleanup(srv.Close)
	client := awsscheduler.New(awsscheduler.Options{
		Region:       "eu-north-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("id", "secret", ""),
	})
	return &eventbridge.Scheduler{Client: client, Group: "arende-schedules", TargetARN: "arn:aws:lambda:eu-north-1:123456789012:function:recurring",
		RoleARN: "arn:aws:iam::123456789012:role/scheduler", DLQARN: "arn:aws:sqs:eu-north-1:123456789012:dlq"}, &got
}

func ok(request) (int, string) { return http.StatusOK, "" }

// TestCreateSendsAOneTimeSchedule: the SDK request that creates a
// schedule: its name in the path, the group, the at() expression in the
// definition's zone, no flexible window, deleted after it fires, the
// function with the scheduler's role, the trigger as input, retries and
// the dead-letter queue.
func TestCreateSendsAOneTimeSchedule(t *testing.T) {
	s, got := fakeScheduler(t, ok)
	name := scheduler.Name("rc", "acme", "01jdef", "20260330T070000")
	err := s.Create(context.Background(), scheduler.Schedule{Name: name, Expression: "at(2026-03-30T07:00:00)", Zone: "Europe/Stockholm",
		Time: time.Date(2026, 3, 30, 5, 0, 0, 0, time.UTC), Input: []byte(`{"tenant":"acme"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(*got) != 1 {
		t.Fatalf("%d requests", len(*got))
	}
	r := (*got)[0]
	if r.Method != "POST" || r.Path != "/schedules/"+name {
		t.Errorf("%s %s", r.Method, r.Path)
	}
	b := r.Body
	target, _ := b["Target"].(map[string]any)
	retry, _ := target["RetryPolicy"].(map[string]any)
	dlq, _ := target["DeadLetterConfig"].(map[string]any)
	fw, _ := b["FlexibleTimeWindow"].(map[string]any)
	checks := map[string][2]any{
		"GroupName":                  {b["GroupName"], "arende-schedules"},
		"ScheduleExpression":         {b["ScheduleExpression"], "at(2026-03-30T07:00:00)"},
		"ScheduleExpressionTimezone": {b["ScheduleExpressionTimezone"], "Europe/Stockholm"},
		"ActionAfterCompletion":      {b["ActionAfterCompletion"], "DELETE"},
		"FlexibleTimeWindow.Mode":    {fw["Mode"], "OFF"},
		"Target.Arn":                 {target["Arn"], "arn:aws:lambda:eu-north-1:123456789012:function:recurring"},
		"Target.RoleArn":             {target["RoleArn"], "arn:aws:iam::123456789012:role/scheduler"},
		"Target.Input":               {target["Input"], `{"tenant":"acme"}`},
		"Target.DeadLetterConfig":    {dlq["Arn"], "arn:aws:sqs:eu-north-1:123456789012:dlq"},
		"RetryPolicy.Attempts":       {retry["MaximumRetryAttempts"], float64(185)},
		"RetryPolicy.Age":            {retry["MaximumEventAgeInSeconds"], float64(86400)},
	}
	for field, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v", field, c[0], c[1])
		}
	}
}

// TestCreateTwiceAndDeleteGone: a schedule that exists already counts as
// made (ConflictException), one that is gone as deleted
// (ResourceNotFoundException); other failures are errors.
func TestCreateTwiceAndDeleteGone(t *testing.T) {
	s, got := fakeScheduler(t, func(r request) (int, string) {
		switch {
		case r.Method == "POST":
			return http.StatusConflict, "ConflictException"
		case strings.HasSuffix(r.Path, "/gone"):
			return http.StatusNotFound, "ResourceNotFoundException"
		}
		return http.StatusInternalServerError, "InternalServerException"
	})
	if err := s.Create(context.Background(), scheduler.Schedule{Name: "x", Expression: "at(2026-03-30T07:00:00)", Zone: "UTC", Input: []byte(`{}`)}); err != nil {
		t.Errorf("create of an existing schedule: %v", err)
	}
	if err := s.Delete(context.Background(), "gone"); err != nil {
		t.Errorf("delete of a missing schedule: %v", err)
	}
	del := (*got)[len(*got)-1]
	if del.Method != "DELETE" || del.Path != "/schedules/gone" || !strings.Contains(del.Query, "groupName=arende-schedules") {
		t.Errorf("delete sent %s %s?%s", del.Method, del.Path, del.Query)
	}
	if err := s.Delete(context.Background(), "broken"); err == nil {
		t.Error("a failed delete answered nil")
	}
}
