package apikeys_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/workcloud/arendehantering/internal/apikeys"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// FuzzParse: whatever X-Api-Key holds, Parse never panics; it refuses
// with 401 (the same answer whatever is wrong) anything that is not a
// key's shape, and what it takes is "ak.<tenant>.<key id>.<secret>" with
// the tenant and key ID it answers, both valid IDs.
func FuzzParse(f *testing.F) {
	secret := base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	for _, s := range []string{"ak.acme.01jd4a7x9gq8w2t5k3m6n0p1rs." + secret, "", "ak...", "ak.acme.k1." + secret + "=",
		"ak.ac.me.k1." + secret, "AK.acme.k1." + secret, "ak.acme.k1." + secret[:42] + "+", "ak.acme.k1." + secret[:42] + "B", "ak.ä.k." + secret} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		p, err := apikeys.Parse(header)
		if err != nil {
			if e, ok := errors.AsType[*problem.Error](err); !ok || e.Code != problem.Unauthorized {
				t.Fatalf("%q refused with %v, not 401", header, err)
			}
			return
		}
		if !identity.ValidID(p.Tenant) || !identity.ValidID(p.ID) {
			t.Fatalf("%q taken as tenant %q, key %q", header, p.Tenant, p.ID)
		}
		prefix := "ak." + p.Tenant + "." + p.ID + "."
		if len(header) <= len(prefix) || header[:len(prefix)] != prefix {
			t.Fatalf("%q taken as tenant %q, key %q", header, p.Tenant, p.ID)
		}
		raw, err := base64.RawURLEncoding.DecodeString(header[len(prefix):])
		if err != nil || len(raw) != 32 {
			t.Fatalf("%q taken with a secret of %d bytes (%v)", header, len(raw), err)
		}
	})
}

// FuzzKeyOfAnyTenant: a key of any tenant and key ID with any secret is
// taken back as that tenant's and ID's.
func FuzzKeyOfAnyTenant(f *testing.F) {
	f.Add("acme", "01jd4a7x9gq8w2t5k3m6n0p1rs", make([]byte, 32))
	f.Add("a-b_C", "k", []byte("0123456789abcdef0123456789abcdef"))
	f.Fuzz(func(t *testing.T, tenant, id string, secret []byte) {
		if !identity.ValidID(tenant) || !identity.ValidID(id) || len(secret) != 32 {
			return
		}
		key := "ak." + tenant + "." + id + "." + base64.RawURLEncoding.EncodeToString(secret)
		p, err := apikeys.Parse(key)
		if err != nil || p.Tenant != tenant || p.ID != id {
			t.Fatalf("%q taken as %q/%q (%v)", key, p.Tenant, p.ID, err)
		}
	})
}

// FuzzNormalOrigin: an origin a key allows (or a browser sends) is
// normalised once for all: the normal form of a normal form is itself,
// and it is an origin again.
func FuzzNormalOrigin(f *testing.F) {
	for _, s := range []string{"https://www.example.se", "HTTPS://WWW.Example.SE:443/", "http://localhost:5173", "http://[::1]:80",
		"https://a.se/path", "ftp://x.se", "https://user@x.se", "https://x.se?q", "https://x.se#f", "https://[fe80::1%25en0]:8443", "https://x.se:0", "https://x.se:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, origin string) {
		n, ok := apikeys.NormalOrigin(origin)
		if !ok {
			return
		}
		again, ok := apikeys.NormalOrigin(n)
		if !ok || again != n {
			t.Fatalf("%q normalises to %q, which normalises to %q (%v)", origin, n, again, ok)
		}
	})
}
