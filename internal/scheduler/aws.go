package scheduler

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/scheduler/types"
)

// API is the part of the EventBridge Scheduler client AWS calls.
type API interface {
	CreateSchedule(ctx context.Context, in *scheduler.CreateScheduleInput, optFns ...func(*scheduler.Options)) (*scheduler.CreateScheduleOutput, error)
	DeleteSchedule(ctx context.Context, in *scheduler.DeleteScheduleInput, optFns ...func(*scheduler.Options)) (*scheduler.DeleteScheduleOutput, error)
}

var _ API = (*scheduler.Client)(nil)

// Retries of a schedule's invocation: for up to a day, then the trigger
// goes to the dead-letter queue (an alarm watches it).
const (
	retryAttempts = 185
	retryMaxAge   = 24 * 60 * 60
)

// AWS creates and deletes schedules in one schedule group; each invokes
// one function (Target) with the role Scheduler assumes (Role, which may
// invoke only that function), retries for a day and then sends the
// trigger to a dead-letter queue.
type AWS struct {
	Client    API
	Group     string
	TargetARN string
	RoleARN   string
	DLQARN    string
}

var _ Scheduler = (*AWS)(nil)

// Create makes a one-time schedule that fires at its time exactly (no
// flexible window) and is deleted after it has fired. A schedule of the
// same name is left as it is (ConflictException).
func (a *AWS) Create(ctx context.Context, s Schedule) error {
	target := &types.Target{
		Arn:         aws.String(a.TargetARN),
		RoleArn:     aws.String(a.RoleARN),
		Input:       aws.String(string(s.Input)),
		RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(retryAttempts), MaximumEventAgeInSeconds: aws.Int32(retryMaxAge)},
	}
	if a.DLQARN != "" {
		target.DeadLetterConfig = &types.DeadLetterConfig{Arn: aws.String(a.DLQARN)}
	}
	_, err := a.Client.CreateSchedule(ctx, &scheduler.CreateScheduleInput{
		Name:                       aws.String(s.Name),
		GroupName:                  aws.String(a.Group),
		ScheduleExpression:         aws.String(s.Expression),
		ScheduleExpressionTimezone: aws.String(s.Zone),
		FlexibleTimeWindow:         &types.FlexibleTimeWindow{Mode: types.FlexibleTimeWindowModeOff},
		ActionAfterCompletion:      types.ActionAfterCompletionDelete,
		State:                      types.ScheduleStateEnabled,
		Target:                     target,
	})
	if _, exists := errors.AsType[*types.ConflictException](err); exists {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create schedule %s: %w", s.Name, err)
	}
	return nil
}

// Delete removes the schedule of the name from the group; one that is
// not there (fired and deleted, or never made) counts as removed.
func (a *AWS) Delete(ctx context.Context, name string) error {
	_, err := a.Client.DeleteSchedule(ctx, &scheduler.DeleteScheduleInput{Name: aws.String(name), GroupName: aws.String(a.Group)})
	if _, gone := errors.AsType[*types.ResourceNotFoundException](err); gone {
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete schedule %s: %w", name, err)
	}
	return nil
}
