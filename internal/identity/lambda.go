package identity

import (
	"net/http"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/workcloud/arendehantering/internal/problem"
)

// The claims the Cognito pre-token-generation trigger puts into access
// tokens (see functions/tokenclaims), and the ones Cognito sets itself.
const (
	ClaimTenant   = "tenant"
	ClaimCustomer = "customer"
	ClaimGroups   = "cognito:groups"
	ClaimSubject  = "sub"
	ClaimTokenUse = "token_use"
)

// FromAPIGateway authenticates a request that API Gateway's JWT authorizer
// has already verified: the claims come from the request context the Lambda
// adapter attached, never from a header a client could send.
func FromAPIGateway(r *http.Request) (Principal, error) {
	rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if !ok || rc.Authorizer == nil || rc.Authorizer.JWT == nil {
		return Principal{}, problem.New(problem.Unauthorized, "Authentication is required.")
	}
	claims := rc.Authorizer.JWT.Claims
	// Only access tokens authorize API calls; an ID token of the same
	// client must not, even though it is signed by the same pool.
	if use := claims[ClaimTokenUse]; use != "" && use != "access" {
		return Principal{}, problem.New(problem.Unauthorized, "Use an access token, not an %s token.", use)
	}
	return Principal{
		Tenant:   claims[ClaimTenant],
		User:     claims[ClaimSubject],
		Roles:    ParseRoles(claims[ClaimGroups]),
		Customer: claims[ClaimCustomer],
	}, nil
}

// RequestIDFromAPIGateway returns API Gateway's request ID.
func RequestIDFromAPIGateway(r *http.Request) string {
	if rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok {
		return rc.RequestID
	}
	return ""
}
