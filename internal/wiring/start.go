package wiring

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// The environment of every function, as the template gives it.
const (
	// EnvTableName names the table.
	EnvTableName = "TABLE_NAME"
	// EnvDynamoDBEndpoint points the DynamoDB client at a local server;
	// empty (AWS's own) in AWS.
	EnvDynamoDBEndpoint = "DYNAMODB_ENDPOINT"
)

// Start is what every function builds first, at its cold start: its log
// (JSON on stdout) and its table, a DynamoDB client and the table
// EnvTableName names, read with getenv (main's os.Getenv: only main reads
// the environment). The client is AWS's, of AWSConfig, or the local
// server's EnvDynamoDBEndpoint names. A function that cannot start ends
// there (Exit).
func Start(ctx context.Context, getenv func(string) string) (*slog.Logger, dynamo.Table) {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	endpoint := getenv(EnvDynamoDBEndpoint)
	var cfg aws.Config
	if endpoint == "" {
		cfg = StartAWS(getenv, log)
	}
	return log, dynamo.Table{Client: dynamo.Calls(dynamo.NewClient(cfg, endpoint)), Name: getenv(EnvTableName)}
}

// StartAWS is the AWS configuration of a function that calls AWS
// (AWSConfig); a function without one ends there (Exit).
func StartAWS(getenv func(string) string, log *slog.Logger) aws.Config {
	cfg, err := AWSConfig(getenv)
	if err != nil {
		Exit(log, err)
	}
	return cfg
}

// Exit ends a function whose cold start failed: err is logged, and the
// process exits with status 1 (Lambda reports the failed start).
func Exit(log *slog.Logger, err error) {
	log.Error("start", "err", err)
	os.Exit(1)
}
