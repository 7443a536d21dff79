// Package devtoken mints and verifies the development tokens of the local
// stack. Only infra/local imports it: no Lambda binary contains it, so no
// deployed function accepts a token it signed.
package devtoken

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

const issuer = "arendehantering-local"

// Issuer mints and verifies HS256 tokens with one secret.
type Issuer struct {
	secret []byte
	now    func() time.Time
	ttl    time.Duration
}

// NewIssuer returns an issuer signing with secret (at least 32 bytes).
func NewIssuer(secret []byte, now func() time.Time) (*Issuer, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("dev token secret must be at least 32 bytes")
	}
	return &Issuer{secret: secret, now: now, ttl: 12 * time.Hour}, nil
}

// claims mirrors the access-token claims the Lambda authenticator reads.
type claims struct {
	jwt.Claims
	Tenant   string   `json:"tenant"`
	Groups   []string `json:"cognito:groups"`
	Customer string   `json:"customer,omitempty"`
	TokenUse string   `json:"token_use"`
}

// Mint returns a signed token for p, valid for 12 hours.
func (i *Issuer) Mint(p identity.Principal) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: i.secret}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("signer: %w", err)
	}
	now := i.now()
	c := claims{
		Claims: jwt.Claims{
			Issuer: issuer, Subject: p.User,
			IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(i.ttl)),
		},
		Tenant: p.Tenant, Customer: p.Customer, TokenUse: "access",
	}
	for _, r := range p.Roles {
		c.Groups = append(c.Groups, string(r))
	}
	return jwt.Signed(sig).Claims(c).Serialize()
}

// Authenticate verifies the bearer token of r.
func (i *Issuer) Authenticate(r *http.Request) (identity.Principal, error) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		return identity.Principal{}, problem.New(problem.Unauthorized, "Send a token: Authorization: Bearer <token> (POST /dev/tokens mints one).")
	}
	tok, err := jwt.ParseSigned(strings.TrimSpace(raw), []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		return identity.Principal{}, problem.New(problem.Unauthorized, "The token is malformed.")
	}
	var c claims
	if err := tok.Claims(i.secret, &c); err != nil {
		return identity.Principal{}, problem.New(problem.Unauthorized, "The token's signature is not valid.")
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: issuer, Time: i.now()}, time.Minute); err != nil {
		return identity.Principal{}, problem.New(problem.Unauthorized, "The token is not valid: %v.", err)
	}
	if c.TokenUse != "access" {
		return identity.Principal{}, problem.New(problem.Unauthorized, "Use an access token.")
	}
	return identity.Principal{
		Tenant: c.Tenant, User: c.Subject, Customer: c.Customer,
		Roles: identity.ParseRoles(strings.Join(c.Groups, ",")),
	}, nil
}
