package secrets_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/workcloud/arendehantering/internal/secrets"
)

// fake is Secrets Manager: get answers a call.
type fake struct {
	get func(id string) (*secretsmanager.GetSecretValueOutput, error)
}

func (f fake) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	return f.get(aws.ToString(in.SecretId))
}

func TestString(t *testing.T) {
	c := fake{get: func(id string) (*secretsmanager.GetSecretValueOutput, error) {
		switch id {
		case "arn:keys":
			return &secretsmanager.GetSecretValueOutput{SecretString: aws.String(`{"current":"k1"}`)}, nil
		case "arn:binary":
			return &secretsmanager.GetSecretValueOutput{SecretBinary: []byte{1}}, nil
		}
		return nil, errors.New("ResourceNotFoundException")
	}}
	if s, err := secrets.String(context.Background(), c, "arn:keys"); err != nil || s != `{"current":"k1"}` {
		t.Errorf("%q, %v", s, err)
	}
	for _, id := range []string{"", "arn:binary", "arn:missing"} {
		if _, err := secrets.String(context.Background(), c, id); err == nil {
			t.Errorf("%q: no error", id)
		}
	}
}
