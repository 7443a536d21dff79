// Package eventbridge is the scheduler of recurring cases and SLA alerts
// in AWS: EventBridge Scheduler's one-time schedules. Only the recurring
// function, which makes schedules, imports it (and links the SDK's
// Scheduler client); the functions that only read schedules' data do not.
package eventbridge

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsscheduler "github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/workcloud/arendehantering/internal/scheduler"
)

// API is the part of the EventBridge Scheduler client Scheduler calls.
type API interface {
	CreateSchedule(ctx context.Context, in *awsscheduler.CreateScheduleInput, optFns ...func(*awsscheduler.Options)) (*awsscheduler.CreateScheduleOutput, error)
	DeleteSchedule(ctx context.Context, in *awsscheduler.DeleteScheduleInput, optFns ...func(*awsscheduler.Options)) (*awsscheduler.DeleteScheduleOutput, error)
}

var _ API = (*awsscheduler.Client)(nil)

// Retries of a schedule's invocation: for up to a day, then the trigger
// goes to the dead-letter queue (an alarm watches it).
const (
	retryAttempts = 185
	retryMaxAge   = 24 * 60 * 60
)

// Scheduler creates and deletes schedules in one schedule group; each invokes
// one function (Target) with the role Scheduler assumes (Role, which may
// invoke only that function), retries for a day and then sends the
// trigger to a dead-letter queue.
type Scheduler struct {
	Client    API
	Group     string
	TargetARN string
	RoleARN   string
	DLQARN    string
}

var _ scheduler.Scheduler = (*Scheduler)(nil)

// Create makes a one-time schedule that fires at its time exactly (no
// flexible window) and is deleted after it has fired. A schedule of the
// same name is left as it is (ConflictException).
func (a *Scheduler) Create(ctx context.Context, s scheduler.Schedule) error {
	target := &types.Target{
		Arn:         aws.String(a.TargetARN),
		RoleArn:     aws.String(a.RoleARN),
		Input:       aws.String(string(s.Input)),
		RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(retryAttempts), MaximumEventAgeInSeconds: aws.Int32(retryMaxAge)},
	}
	if a.DLQARN != "" {
		target.DeadLetterConfig = &types.DeadLetterConfig{Arn: aws.String(a.DLQARN)}
	}
	_, err := a.Client.CreateSchedule(ctx, &awsscheduler.CreateScheduleInput{
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
func (a *Scheduler) Delete(ctx context.Context, name string) error {
	_, err := a.Client.DeleteSchedule(ctx, &awsscheduler.DeleteScheduleInput{Name: aws.String(name), GroupName: aws.String(a.Group)})
	if _, gone := errors.AsType[*types.ResourceNotFoundException](err); gone {
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete schedule %s: %w", name, err)
	}
	return nil
}
