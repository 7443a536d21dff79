// Package linktoken seals and opens the tokens of the links customers get
// by mail to their case's conversation (/c/<token>): PASETO v4.local
// (XChaCha20 and BLAKE2b, through aidanwoods.dev/go-paseto; no
// cryptography of our own), so that a token is encrypted and
// authenticated and reveals nothing when decoded without the key.
//
// Keys live in a Ring: every key has an ID, the token's footer names the
// key that sealed it, the current key seals and any key of the ring opens,
// so a new key can be added and an old one retired without breaking the
// links already sent. A retired key ID is refused.
package linktoken

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"aidanwoods.dev/go-paseto"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Claims are what a link names: the case of a tenant, the contact it was
// sent to, when it stops working, and the case's link epoch when it was
// made (a switch of customer or contact, or staff revoking the case's
// links, moves the epoch on, and every older link stops working). Locale
// is the contact's language when the link was made, "" for the tenant's.
type Claims struct {
	Tenant  string
	Case    string
	Contact string
	Epoch   int64
	Expires time.Time
	Locale  string
}

// wire is Claims as the token's JSON holds them: short names, exp as
// PASETO's registered claim (RFC 3339).
type wire struct {
	Tenant  string `json:"tnt"`
	Case    string `json:"case"`
	Contact string `json:"cnt"`
	Epoch   int64  `json:"ep"`
	Expires string `json:"exp"`
	Locale  string `json:"loc,omitempty"`
}

// footer is the token's footer: authenticated, not encrypted. It names the
// key only.
type footer struct {
	KeyID string `json:"kid"`
}

// implicit is the implicit assertion every link token is sealed with: a
// token of this purpose cannot pass for one of another made with the same
// key, nor the other way round.
var implicit = []byte("arende/conversation-link/v1")

// MaxLen bounds a token a request may carry; real ones are about 250
// characters.
const MaxLen = 1024

var (
	// ErrInvalid is a token that is not one of ours: malformed, tampered
	// with, sealed with a key the ring does not hold or has retired, or
	// naming something that is not an ID. Nothing about it can be trusted.
	ErrInvalid = errors.New("the link token is not valid")
	// ErrExpired is an authentic token past its expiry: Open answers its
	// claims with it, so that a fresh link can be offered to the contact
	// it names.
	ErrExpired = errors.New("the link token has expired")
)

// Seal makes the token of c with the ring's current key.
func (r *Ring) Seal(c Claims) (string, error) {
	if err := check(c); err != nil {
		return "", err
	}
	raw, err := json.Marshal(wire{Tenant: c.Tenant, Case: c.Case, Contact: c.Contact, Epoch: c.Epoch,
		Expires: c.Expires.UTC().Format(time.RFC3339), Locale: c.Locale})
	if err != nil {
		return "", fmt.Errorf("seal link: %w", err)
	}
	f, err := json.Marshal(footer{KeyID: r.current})
	if err != nil {
		return "", fmt.Errorf("seal link: %w", err)
	}
	tok, err := paseto.NewTokenFromClaimsJSON(raw, f)
	if err != nil {
		return "", fmt.Errorf("seal link: %w", err)
	}
	return tok.V4Encrypt(r.keys[r.current].link, implicit), nil
}

// check refuses claims no link may carry: an expiry too, that RFC 3339
// cannot write (years 1 to 9999), or the sealed link would never open.
func check(c Claims) error {
	year := c.Expires.UTC().Year()
	if !identity.ValidID(c.Tenant) || !identity.ValidID(c.Case) || !identity.ValidID(c.Contact) || c.Epoch < 0 || c.Expires.IsZero() ||
		year < 1 || year > 9999 {
		return fmt.Errorf("seal link: claims %+v are not those of a link", c)
	}
	if c.Locale != "" && !localePattern.MatchString(c.Locale) {
		return fmt.Errorf("seal link: locale %q", c.Locale)
	}
	return nil
}

var localePattern = regexp.MustCompile(`^[a-z]{2}$`)

// Open reads a token sealed by any key of the ring. It answers ErrInvalid
// for anything that is not an authentic token (the cause is not told
// apart: the page says the same whatever it is), and the claims with
// ErrExpired for an authentic one past its expiry at now.
func (r *Ring) Open(token string, now time.Time) (Claims, error) {
	k, err := r.keyOf(token)
	if err != nil {
		return Claims{}, err
	}
	tok, err := paseto.NewParserWithoutExpiryCheck().ParseV4Local(k.link, token, implicit)
	if err != nil {
		return Claims{}, ErrInvalid
	}
	c, err := decode(tok.ClaimsJSON())
	if err != nil {
		return Claims{}, ErrInvalid
	}
	if !now.Before(c.Expires) {
		return c, ErrExpired
	}
	return c, nil
}

// keyOf is the key a token names in its footer, if the ring holds it and
// has not retired it.
func (r *Ring) keyOf(token string) (key, error) {
	if len(token) > MaxLen || !strings.HasPrefix(token, paseto.V4Local.Header()) {
		return key{}, ErrInvalid
	}
	raw, err := paseto.NewParser().UnsafeParseFooter(paseto.V4Local, token)
	if err != nil {
		return key{}, ErrInvalid
	}
	var f footer
	if err := strictJSON(raw, &f); err != nil || r.retired[f.KeyID] {
		return key{}, ErrInvalid
	}
	k, ok := r.keys[f.KeyID]
	if !ok {
		return key{}, ErrInvalid
	}
	return k, nil
}

// decode reads and checks the claims of an authentic token.
func decode(raw []byte) (Claims, error) {
	var w wire
	if err := strictJSON(raw, &w); err != nil {
		return Claims{}, err
	}
	exp, err := time.Parse(time.RFC3339, w.Expires)
	if err != nil {
		return Claims{}, err
	}
	c := Claims{Tenant: w.Tenant, Case: w.Case, Contact: w.Contact, Epoch: w.Epoch, Expires: exp, Locale: w.Locale}
	if err := check(c); err != nil {
		return Claims{}, err
	}
	return c, nil
}

// strictJSON decodes one JSON object into v, refusing unknown names.
func strictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Binding is the value that binds a form to the link it was served on
// (the reply form's CSRF token): a MAC of the token with a key derived
// for this purpose from the key that sealed it. It is as old as the link:
// a form keeps working while its link does, across a rotation too.
func (r *Ring) Binding(token string) (string, error) {
	k, err := r.keyOf(token)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(k.mac(token)), nil
}

// Bound reports whether binding is the Binding of token.
func (r *Ring) Bound(token, binding string) bool {
	want, err := r.Binding(token)
	return err == nil && len(binding) == len(want) && equal(want, binding)
}
