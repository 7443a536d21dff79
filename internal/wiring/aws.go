package wiring

import (
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// The environment Lambda gives every function: its region and the
// credentials of its execution role.
const (
	EnvRegion          = "AWS_REGION"
	EnvAccessKeyID     = "AWS_ACCESS_KEY_ID"
	EnvSecretAccessKey = "AWS_SECRET_ACCESS_KEY"
	EnvSessionToken    = "AWS_SESSION_TOKEN"
)

// AWSConfig is a function's AWS configuration, read with getenv from what
// Lambda puts in the environment: the region (AWS_REGION) and the
// execution role's credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN). Every client keeps the SDK's own default HTTP client
// and retryer.
//
// It stands in for config.LoadDefaultConfig, which reads the same
// variables in a Lambda but links the whole shared-config chain besides
// (profiles, SSO, STS, instance metadata, sign-in): about 1.9 MB of every
// bootstrap, measured (README, What a function weighs).
func AWSConfig(getenv func(string) string) (aws.Config, error) {
	region := getenv(EnvRegion)
	if region == "" {
		return aws.Config{}, errors.New("no region: " + EnvRegion + " is not set")
	}
	id, secret := getenv(EnvAccessKeyID), getenv(EnvSecretAccessKey)
	if id == "" || secret == "" {
		return aws.Config{}, errors.New("no credentials: " + EnvAccessKeyID + " and " + EnvSecretAccessKey + " are not set")
	}
	return aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, getenv(EnvSessionToken)),
	}, nil
}

// Endpoint is the endpoint a function's client of service uses instead of
// AWS's, as the SDK's shared configuration would take it:
// AWS_ENDPOINT_URL_<SERVICE> (the service ID in upper case, spaces as
// underscores: SECRETS_MANAGER, SESV2, SCHEDULER), else AWS_ENDPOINT_URL;
// nil when neither is set (in AWS). The bench points the functions at
// its stand-ins this way.
func Endpoint(getenv func(string) string, serviceID string) *string {
	id := strings.ToUpper(strings.ReplaceAll(serviceID, " ", "_"))
	for _, k := range []string{"AWS_ENDPOINT_URL_" + id, "AWS_ENDPOINT_URL"} {
		if v := getenv(k); v != "" {
			return aws.String(v)
		}
	}
	return nil
}
