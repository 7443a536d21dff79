package main

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestHandle(t *testing.T) {
	tests := []struct {
		name    string
		attrs   map[string]string
		want    map[string]any
		wantErr bool
	}{
		{
			name:  "staff user: tenant only",
			attrs: map[string]string{"sub": "u1", "custom:tenant": "acme"},
			want:  map[string]any{"tenant": "acme"},
		},
		{
			name:  "portal user: tenant and customer",
			attrs: map[string]string{"sub": "u2", "custom:tenant": "acme", "custom:customer": "cust-7"},
			want:  map[string]any{"tenant": "acme", "customer": "cust-7"},
		},
		{
			name:  "empty customer is left out",
			attrs: map[string]string{"custom:tenant": "acme", "custom:customer": ""},
			want:  map[string]any{"tenant": "acme"},
		},
		{
			name:    "no tenant",
			attrs:   map[string]string{"sub": "u3", "custom:customer": "cust-7"},
			wantErr: true,
		},
		{
			name:    "empty tenant",
			attrs:   map[string]string{"custom:tenant": ""},
			wantErr: true,
		},
		{
			name:    "no attributes at all",
			attrs:   nil,
			wantErr: true,
		},
		{
			name:    "tenant that could break a key",
			attrs:   map[string]string{"custom:tenant": "acme#other"},
			wantErr: true,
		},
		{
			name:    "invalid customer",
			attrs:   map[string]string{"custom:tenant": "acme", "custom:customer": "a b"},
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev events.CognitoEventUserPoolsPreTokenGenV2_0
			ev.UserName = "someone"
			ev.TriggerSource = "TokenGeneration_Authentication"
			ev.Request.UserAttributes = tt.attrs

			got, err := handle(context.Background(), ev)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("handle: no error, want one (claims %v)",
						got.Response.ClaimsAndScopeOverrideDetails.AccessTokenGeneration.ClaimsToAddOrOverride)
				}
				if _, ok := tt.attrs["custom:tenant"]; !ok && !errors.Is(err, errNoTenant) {
					t.Errorf("handle: error %v, want errNoTenant", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("handle: %v", err)
			}
			details := got.Response.ClaimsAndScopeOverrideDetails
			if claims := details.AccessTokenGeneration.ClaimsToAddOrOverride; !maps.Equal(claims, tt.want) {
				t.Errorf("access token claims = %v, want %v", claims, tt.want)
			}
			// Every route requires the API scope; a direct (SRP) sign-in
			// would carry none without the trigger adding it.
			if scopes := details.AccessTokenGeneration.ScopesToAdd; len(scopes) != 1 || scopes[0] != "arende/api" {
				t.Errorf("access token scopes to add = %v, want [arende/api]", scopes)
			}
			if details.IDTokenGeneration.ClaimsToAddOrOverride != nil {
				t.Errorf("ID token claims = %v, want none", details.IDTokenGeneration.ClaimsToAddOrOverride)
			}
			if details.GroupOverrideDetails.GroupsToOverride != nil {
				t.Errorf("groups overridden: %v", details.GroupOverrideDetails.GroupsToOverride)
			}
		})
	}
}
