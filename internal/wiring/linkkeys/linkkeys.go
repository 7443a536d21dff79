// Package linkkeys starts what a function that makes or opens
// conversation links needs (the conversations and mailer functions): the
// AWS configuration, and the links' key ring, read once from Secrets
// Manager at cold start. Only those functions import it, so only they
// link the Secrets Manager client and run its package init.
package linkkeys

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/secrets"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// The configuration of conversation links, as the functions that need it
// (conversations, mailer) are given it by the template.
const (
	// EnvLinkKeysSecret is the ARN of the Secrets Manager secret holding
	// the link key ring (its JSON: see linktoken.ParseRing).
	EnvLinkKeysSecret = "LINK_KEYS_SECRET_ARN"
	// EnvPublicBaseURL is where links point: <PUBLIC_BASE_URL>/c/<token>
	// (the mailer's, which seals them).
	EnvPublicBaseURL = "PUBLIC_BASE_URL"
	// EnvPortalURL is the customer portal, for tenants in portal mode.
	EnvPortalURL = "PORTAL_URL"
)

// FromAWS is the links configuration of a function in AWS: the key
// ring read once from Secrets Manager (the secret named by
// EnvLinkKeysSecret), and the URLs, read with getenv (main's os.Getenv).
func FromAWS(ctx context.Context, getenv func(string) string, sm secrets.Client) (conversations.Links, error) {
	raw, err := secrets.String(ctx, sm, getenv(EnvLinkKeysSecret))
	if err != nil {
		return conversations.Links{}, fmt.Errorf("link keys: %w", err)
	}
	ring, err := linktoken.ParseRing([]byte(raw))
	if err != nil {
		return conversations.Links{}, err
	}
	base := getenv(EnvPublicBaseURL) // the mailer's: the function that seals links
	if base != "" && !strings.HasPrefix(base, "https://") && !strings.HasPrefix(base, "http://") {
		return conversations.Links{}, fmt.Errorf("%s %q is not an http(s) URL", EnvPublicBaseURL, base)
	}
	return conversations.Links{Ring: ring, BaseURL: base, PortalURL: getenv(EnvPortalURL)}, nil
}

// Start is what a function that makes or opens conversation links
// (conversations, mailer) builds next, at its cold start: the AWS
// configuration, and the links configuration read with it (FromAWS),
// their key ring from Secrets Manager. A function that cannot start ends
// there (wiring.Exit).
func Start(ctx context.Context, getenv func(string) string, log *slog.Logger) (aws.Config, conversations.Links) {
	awsCfg := wiring.StartAWS(getenv, log)
	sm := secretsmanager.NewFromConfig(awsCfg, func(o *secretsmanager.Options) {
		o.BaseEndpoint = wiring.Endpoint(getenv, secretsmanager.ServiceID)
	})
	// The call, not the client: see dynamo.Calls.
	links, err := FromAWS(ctx, getenv, secrets.Func(sm.GetSecretValue))
	if err != nil {
		wiring.Exit(log, err)
	}
	return awsCfg, links
}
