package identity

import (
	"slices"
	"strings"
	"testing"
)

func TestParseRoles(t *testing.T) {
	for claim, want := range map[string][]Role{
		"[admin agent]":       {Admin, Agent},
		`["admin","agent"]`:   {Admin, Agent},
		"admin,agent":         {Admin, Agent},
		"agent":               {Agent},
		"[customer]":          {Customer},
		"[root admin admin]":  {Admin},
		"":                    nil,
		"[Admin]":             nil,
		"administrators,ops ": nil,
	} {
		if got := ParseRoles(claim); !slices.Equal(got, want) {
			t.Errorf("ParseRoles(%q) = %v, want %v", claim, got, want)
		}
	}
}

func TestPrincipalValidate(t *testing.T) {
	for name, tc := range map[string]struct {
		p  Principal
		ok bool
	}{
		"agent":                    {Principal{Tenant: "acme", User: "u1", Roles: []Role{Agent}}, true},
		"customer with customer":   {Principal{Tenant: "acme", User: "u1", Roles: []Role{Customer}, Customer: "c1"}, true},
		"customer without":         {Principal{Tenant: "acme", User: "u1", Roles: []Role{Customer}}, false},
		"no roles":                 {Principal{Tenant: "acme", User: "u1"}, false},
		"key separator in tenant":  {Principal{Tenant: "acme#X", User: "u1", Roles: []Role{Agent}}, false},
		"empty user":               {Principal{Tenant: "acme", Roles: []Role{Agent}}, false},
		"too long tenant":          {Principal{Tenant: string(make([]byte, 65)), User: "u", Roles: []Role{Agent}}, false},
		"customer ID with a slash": {Principal{Tenant: "acme", User: "u1", Roles: []Role{Customer}, Customer: "a/b"}, false},
		"customer and agent":       {Principal{Tenant: "acme", User: "u1", Roles: []Role{Customer, Agent}, Customer: "c1"}, false},
	} {
		if err := tc.p.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", name, err, tc.ok)
		}
	}
}

// TestValidID: 1 to 64 of A-Z, a-z, 0-9, _ and -; nothing else, not even
// a letter outside ASCII or a separator a key uses.
func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"acme": true, "Agent_1-x": true, strings.Repeat("a", 64): true,
		"": false, strings.Repeat("a", 65): false, "a#b": false, "a b": false, "åsa": false, "a/b": false, "a\n": false, "a.b": false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}
