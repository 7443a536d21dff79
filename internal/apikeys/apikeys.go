// Package apikeys is the tenant's API keys (/v1/settings/api-keys): what a
// website form or a server presents in X-Api-Key to create cases through
// website intake (package intake), with the browser origins it may be used
// from, the case types it may create and its rate limit per minute.
//
// A key is "ak.<tenant>.<key id>.<secret>", the secret 32 random bytes
// (base64url, 43 characters). Only its SHA-256 is stored, on the key's
// item, which the tenant and ID in the key name: a key resolves its tenant
// without a scan and, being random and long, is checked with a fast hash
// (microseconds) rather than a password hash. The whole key is shown once,
// in the create's answer. Every request a key authenticates is counted on
// its item by a conditional write that also proves the key is still there
// (a deleted key stops at once: nothing caches keys) and keeps within its
// limit this minute.
package apikeys

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Key is an API key as the API shows it: never its secret.
type Key struct {
	ID        string         `json:"id"`
	Version   int64          `json:"version"`
	CreatedAt timestamp.Time `json:"createdAt"`
	UpdatedAt timestamp.Time `json:"updatedAt"`
	CreatedBy string         `json:"createdBy"`
	// Name says what the key is for ("Felanmälan på webbplatsen").
	Name string `json:"name"`
	// Prefix is the start of the key, to tell keys apart: never enough
	// of the secret to use it.
	Prefix string `json:"prefix"`
	// Origins are the browser origins the key may be used from
	// ("https://www.example.se"); none: only server-to-server calls (a
	// request with an Origin header is refused).
	Origins []string `json:"origins"`
	// CaseTypes are the API-IDs of the case types the key may create;
	// none: every type.
	CaseTypes          []string `json:"caseTypes"`
	RateLimitPerMinute int      `json:"rateLimitPerMinute"`
	// LastUsedAt is when the key last authenticated a request.
	LastUsedAt *timestamp.Time `json:"lastUsedAt,omitempty"`
}

// CurrentVersion returns the version, for the ETag.
func (k *Key) CurrentVersion() int64 { return k.Version }

// Created is the answer of a create: the key with its secret, the only
// time the secret is shown.
type Created struct {
	*Key
	Secret string `json:"key"`
}

// Bounds of what a key holds.
const (
	maxName          = 100
	maxOrigins       = 20
	maxOrigin        = 200
	maxCaseTypes     = 50
	maxKeys          = 50
	defaultRateLimit = 60
	maxRateLimit     = 1000
	maxKeyText       = 200 // a presented key longer than this is no key
)

// input is the body of a create.
type input struct {
	Name               string   `json:"name"`
	Origins            []string `json:"origins"`
	CaseTypes          []string `json:"caseTypes"`
	RateLimitPerMinute *int     `json:"rateLimitPerMinute"`
}

// check validates in against the tenant's settings, with the origins
// normalised, and answers the rate limit (the default when none is sent).
func (in *input) check(snap *settings.Snapshot) (int, error) {
	var errs problem.Fields
	in.Name = strings.TrimSpace(in.Name)
	errs.Text("name", in.Name, 1, maxName)
	errs.Line("name", in.Name)
	if len(in.Origins) > maxOrigins {
		errs.Add("origins", "may hold at most %d origins", maxOrigins)
		in.Origins = nil
	}
	for i := range in.Origins {
		o, ok := NormalOrigin(in.Origins[i])
		switch {
		case !ok:
			errs.Add(fmt.Sprintf("origins[%d]", i), "must be a browser origin: https://host or http://host, with an optional port and nothing after it")
		case slices.Contains(in.Origins[:i], o):
			errs.Add(fmt.Sprintf("origins[%d]", i), "is listed twice")
		}
		in.Origins[i] = o
	}
	if len(in.CaseTypes) > maxCaseTypes {
		errs.Add("caseTypes", "may hold at most %d API-IDs", maxCaseTypes)
		in.CaseTypes = nil
	}
	for i, apiID := range in.CaseTypes {
		switch {
		case TypeByAPIID(snap, apiID) == nil:
			errs.Add(fmt.Sprintf("caseTypes[%d]", i), "no case type has the API-ID %q", apiID)
		case slices.Contains(in.CaseTypes[:i], apiID):
			errs.Add(fmt.Sprintf("caseTypes[%d]", i), "is listed twice")
		}
	}
	limit := defaultRateLimit
	if in.RateLimitPerMinute != nil {
		limit = *in.RateLimitPerMinute
		if limit < 1 || limit > maxRateLimit {
			errs.Add("rateLimitPerMinute", "must be a whole number from 1 to %d", maxRateLimit)
		}
	}
	if in.Origins == nil {
		in.Origins = []string{}
	}
	if in.CaseTypes == nil {
		in.CaseTypes = []string{}
	}
	return limit, errs.Err()
}

// TypeByAPIID is the tenant's case type with the API-ID, nil if none.
func TypeByAPIID(snap *settings.Snapshot, apiID string) *settings.CaseType {
	if apiID == "" {
		return nil
	}
	for _, t := range snap.CaseTypes {
		if t.APIID == apiID {
			return t
		}
	}
	return nil
}

// NormalOrigin is origin as browsers send it in the Origin header
// (scheme and host lower-case, a default port left out, no path), and
// whether it is one: http or https, a host, an optional port, nothing else.
func NormalOrigin(origin string) (string, bool) {
	u, ok := originURL(origin)
	if !ok {
		return "", false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	out := u.Scheme + "://" + host
	if strings.Contains(host, ":") {
		out = u.Scheme + "://[" + host + "]"
	}
	if port != "" {
		out += ":" + port
	}
	return out, true
}

// originURL parses an origin: http or https, a host, nothing but a port
// and a bare "/" after it. An IPv6 zone ("[fe80::1%25en0]") is no part of
// an origin a browser sends.
func originURL(origin string) (*url.URL, bool) {
	if len(origin) > maxOrigin || strings.ContainsAny(origin, " \t\r\n") {
		return nil, false
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || u.Opaque != "" ||
		strings.Contains(u.Host, "%") {
		return nil, false
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return nil, false
	}
	return u, true
}

// keyPrefix starts every key, and keySep separates its parts: tenant and
// key IDs are letters, digits, - and _ (identity.ValidID), the secret
// base64url, so none holds a dot.
const (
	keyPrefix = "ak"
	keySep    = "."
)

// secretLen is the length of a key's secret: 32 random bytes, base64url.
var secretLen = base64.RawURLEncoding.EncodedLen(32)

// newSecret returns a new key of the tenant with the ID, and its prefix.
func newSecret(tenant, id string) (key, prefix string) {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	head := keyPrefix + keySep + tenant + keySep + id + keySep
	return head + secret, head + secret[:4]
}

// hashOf is the SHA-256 of a key, in hex: what is stored.
func hashOf(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Presented is a key as a request presents it: the tenant and ID it
// names, and its hash.
type Presented struct {
	Tenant string
	ID     string
	hash   string
}

// errInvalidKey answers every key that does not authenticate, for
// whatever reason: no hint of which part was wrong.
var errInvalidKey = problem.New(problem.Unauthorized, "Send a valid API key in X-Api-Key.")

// Parse reads the key of X-Api-Key: its shape only (no I/O). A key that
// cannot be one answers 401.
func Parse(header string) (Presented, error) {
	parts := strings.Split(header, keySep)
	if len(header) > maxKeyText || len(parts) != 4 || parts[0] != keyPrefix || !identity.ValidID(parts[1]) ||
		!identity.ValidID(parts[2]) || len(parts[3]) != secretLen {
		return Presented{}, errInvalidKey
	}
	// The decoder skips line breaks: a secret of 43 characters holding one
	// is not 32 bytes.
	if raw, err := base64.RawURLEncoding.DecodeString(parts[3]); err != nil || len(raw) != 32 {
		return Presented{}, errInvalidKey
	}
	return Presented{Tenant: parts[1], ID: parts[2], hash: hashOf(header)}, nil
}

// matches reports whether stored (a key item's hash) is the presented
// key's, in constant time.
func (p Presented) matches(stored string) bool {
	return subtle.ConstantTimeCompare([]byte(p.hash), []byte(stored)) == 1
}
