package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/workcloud/arendehantering/internal/identity"
)

// The user pool's custom attributes, as Cognito names them in the event.
const (
	attrTenant   = "custom:tenant"
	attrCustomer = "custom:customer"
)

// apiScope is the resource server's scope every API route requires. Tokens
// from a direct (SRP) sign-in carry no custom scopes, only those from the
// hosted OAuth flow do; adding it here makes both kinds of sign-in work.
const apiScope = "arende/api"

// errNoTenant refuses a token to a user who belongs to no tenant: every API
// call is tenant-scoped, so such a token would be useless at best.
var errNoTenant = errors.New("user has no tenant")

// handle is the trigger: it adds the claims "tenant" and, when set,
// "customer", and the API scope, to the access token. Returning an error makes Cognito refuse
// the sign-in or refresh, so a user without a (valid) tenant never gets a
// token. Groups need nothing here: Cognito puts cognito:groups into the
// access token itself.
func handle(_ context.Context, ev events.CognitoEventUserPoolsPreTokenGenV2_0) (events.CognitoEventUserPoolsPreTokenGenV2_0, error) {
	attrs := ev.Request.UserAttributes
	tenant := attrs[attrTenant]
	if tenant == "" {
		return ev, fmt.Errorf("user %q: %w", ev.UserName, errNoTenant)
	}
	if !identity.ValidID(tenant) {
		return ev, fmt.Errorf("user %q: invalid tenant %q", ev.UserName, tenant)
	}
	claims := map[string]any{identity.ClaimTenant: tenant}
	if customer := attrs[attrCustomer]; customer != "" {
		if !identity.ValidID(customer) {
			return ev, fmt.Errorf("user %q: invalid customer %q", ev.UserName, customer)
		}
		claims[identity.ClaimCustomer] = customer
	}
	gen := &ev.Response.ClaimsAndScopeOverrideDetails.AccessTokenGeneration
	gen.ClaimsToAddOrOverride = claims
	gen.ScopesToAdd = []string{apiScope}
	return ev, nil
}
