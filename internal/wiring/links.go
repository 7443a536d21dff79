package wiring

import (
	"context"
	"fmt"
	"strings"

	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/secrets"
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

// LinksFromAWS is the links configuration of a function in AWS: the key
// ring read once from Secrets Manager (the secret named by
// EnvLinkKeysSecret), and the URLs, read with getenv (main's os.Getenv).
func LinksFromAWS(ctx context.Context, getenv func(string) string, sm secrets.Client) (conversations.Links, error) {
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
