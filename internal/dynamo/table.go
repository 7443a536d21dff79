package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Client is the subset of the DynamoDB API the stores call.
type Client interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
}

var _ Client = (*dynamodb.Client)(nil)

// Table is the single table: a client and its name.
type Table struct {
	Client Client
	Name   string
}

// NewClient builds a DynamoDB client of cfg (a function's: see
// wiring.AWSConfig). A non-empty endpoint (DYNAMODB_ENDPOINT) points it at
// a local server instead, with static credentials and a region of its own,
// so no AWS account is needed.
func NewClient(cfg aws.Config, endpoint string, optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	if endpoint != "" {
		cfg.Region = "eu-north-1"
		cfg.Credentials = credentials.NewStaticCredentialsProvider("local", "local", "")
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			// Local servers do not sign their answers with X-Amz-Crc32.
			o.DisableValidateResponseChecksum = true
		}
		for _, f := range optFns {
			f(o)
		}
	})
}

// Definition is the table as template.yaml declares it, for the local
// stack and the tests to create. A test checks the two agree.
func Definition(name string) *dynamodb.CreateTableInput {
	attr := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	gsi := func(name, pk, sk string) types.GlobalSecondaryIndex {
		return types.GlobalSecondaryIndex{
			IndexName: aws.String(name),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(pk), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}
	}
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			attr(AttrPK), attr(AttrSK), attr(AttrGSI1PK), attr(AttrGSI1SK),
			attr(AttrGSI2PK), attr(AttrGSI2SK), attr(AttrGSI3PK), attr(AttrGSI3SK),
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(AttrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(AttrSK), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			gsi(IndexGSI1, AttrGSI1PK, AttrGSI1SK),
			gsi(IndexGSI2, AttrGSI2PK, AttrGSI2SK),
			gsi(IndexGSI3, AttrGSI3PK, AttrGSI3SK),
		},
	}
}

// AttrData holds an object's JSON. Objects are stored as their API JSON
// rather than as native attributes: they are always read whole, the stored
// shape is the documented one, and only keys, kind and version need to be
// visible to conditions and indexes.
const AttrData = "data"

// Data returns the data attribute of v.
func Data(v any) (types.AttributeValue, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // stored as written: "<" stays one byte, not six
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return S(strings.TrimSuffix(b.String(), "\n")), nil
}

// DataSize returns the size in bytes of an item's data attribute.
func DataSize(item map[string]types.AttributeValue) int {
	if d, ok := item[AttrData].(*types.AttributeValueMemberS); ok {
		return len(d.Value)
	}
	return 0
}

// DecodeData reads the data attribute of item into v.
func DecodeData(item map[string]types.AttributeValue, v any) error {
	d, ok := item[AttrData].(*types.AttributeValueMemberS)
	if !ok {
		return fmt.Errorf("item has no %s attribute", AttrData)
	}
	return json.Unmarshal([]byte(d.Value), v)
}

// Str reads a string attribute, "" when absent.
func Str(item map[string]types.AttributeValue, name string) string {
	if s, ok := item[name].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// Int reads a number attribute, 0 when absent.
func Int(item map[string]types.AttributeValue, name string) int64 {
	n, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	v, _ := strconv.ParseInt(n.Value, 10, 64)
	return v
}

// S is a string attribute value.
func S(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

// N is a number attribute value.
func N(n int64) types.AttributeValue { return &types.AttributeValueMemberN{Value: fmt.Sprint(n)} }

// ConditionFailed reports whether a single-item write (PutItem,
// UpdateItem) failed its condition. Transactions go through Commit, whose
// writes carry their own meaning.
func ConditionFailed(err error) bool {
	_, is := errors.AsType[*types.ConditionalCheckFailedException](err)
	return is
}

// Conflict reports whether a transaction lost a race with another one
// touching the same items: worth retrying after a short pause.
func Conflict(err error) bool {
	if ae, ok := errors.AsType[smithy.APIError](err); ok {
		switch ae.ErrorCode() {
		case "TransactionConflictException", "TransactionInProgressException":
			return true
		}
	}
	if tc, ok := errors.AsType[*types.TransactionCanceledException](err); ok {
		for _, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) == "TransactionConflict" {
				return true
			}
		}
	}
	return false
}

// Unavailable translates an error from DynamoDB into the code the client
// sees: throttling, a transaction conflict and server errors are temporary
// (503 with Retry-After); the rest is internal.
func Unavailable(op string, err error) error {
	if _, ok := errors.AsType[*problem.Error](err); ok {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return problem.Wrap(problem.Unavailable, fmt.Errorf("%s: %w", op, err), "The request took too long; try again.")
	}
	if ae, ok := errors.AsType[smithy.APIError](err); ok {
		code := ae.ErrorCode()
		switch {
		case strings.Contains(code, "Throttl"), code == "ProvisionedThroughputExceededException",
			code == "RequestLimitExceeded", code == "InternalServerError", code == "ServiceUnavailable",
			code == "TransactionConflictException", code == "TransactionInProgressException":
			return problem.Wrap(problem.Unavailable, fmt.Errorf("%s: %w", op, err), "The database is busy; try again shortly.")
		case code == "TransactionCanceledException":
			if tc, ok := errors.AsType[*types.TransactionCanceledException](err); ok {
				for _, r := range tc.CancellationReasons {
					c := aws.ToString(r.Code)
					if c == "TransactionConflict" || c == "ThrottlingError" || c == "ProvisionedThroughputExceeded" {
						return problem.Wrap(problem.Unavailable, fmt.Errorf("%s: %w", op, err), "The database is busy; try again shortly.")
					}
				}
			}
		}
		return problem.Wrap(problem.Internal, fmt.Errorf("%s: %w", op, err), "")
	}
	// Connection failures: the store is unreachable for now.
	return problem.Wrap(problem.Unavailable, fmt.Errorf("%s: %w", op, err), "The database is unreachable; try again shortly.")
}

// Pause waits a little before retry number attempt of a write that lost a
// race: jittered and growing, so that writers who collided do not collide
// again.
func Pause(ctx context.Context, attempt int) error {
	d := time.Duration(5*(attempt+1))*time.Millisecond + time.Duration(rand.Int64N(int64(15*time.Millisecond)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
