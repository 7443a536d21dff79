// Package secrets reads secrets from AWS Secrets Manager: a function reads
// what it needs once, at its cold start, and never puts it in its
// environment or its logs.
package secrets

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Client is the call of Secrets Manager this package makes.
type Client interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

var _ Client = (*secretsmanager.Client)(nil)

// Func is a Client of the call alone (sm.GetSecretValue): what a function
// holds, rather than the SDK client itself (see dynamo.Calls).
type Func func(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)

// GetSecretValue calls f.
func (f Func) GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	return f(ctx, in, optFns...)
}

// String reads the current version of the secret id (its name or ARN) as
// a string.
func String(ctx context.Context, c Client, id string) (string, error) {
	if id == "" {
		return "", fmt.Errorf("read secret: no secret is named")
	}
	out, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		return "", fmt.Errorf("read secret %s: %w", id, err)
	}
	if out.SecretString == nil {
		return "", fmt.Errorf("read secret %s: it holds no string", id)
	}
	return *out.SecretString, nil
}
