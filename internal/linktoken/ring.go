package linktoken

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"aidanwoods.dev/go-paseto"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Ring is the keys of the links: the current one seals, any one opens.
// The keys are derived from secret strings (a secret store holds those),
// one 32-byte key per purpose, with HKDF-SHA256.
type Ring struct {
	current string
	keys    map[string]key
	retired map[string]bool
}

// key is one key of the ring: the PASETO key and the key of form
// bindings, both derived from one secret.
type key struct {
	link paseto.V4SymmetricKey
	form []byte
}

func (k key) mac(token string) []byte {
	h := hmac.New(sha256.New, k.form)
	h.Write([]byte(token))
	return h.Sum(nil)
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// MinSecretLen is the shortest secret string a key may be derived from.
const MinSecretLen = 32

// validKeyID: a key ID is 1 to 32 of the characters of an ID.
func validKeyID(id string) bool { return len(id) <= 32 && identity.ValidID(id) }

// The names of the secret's JSON that are not key IDs.
const (
	fieldCurrent = "current"
	fieldRetired = "retired"
)

// NewRing returns the ring of the secrets by key ID, sealing with the key
// current; the retired key IDs are refused when a token names them (their
// secrets may be left out).
func NewRing(current string, secrets map[string]string, retired ...string) (*Ring, error) {
	r := &Ring{current: current, keys: map[string]key{}, retired: map[string]bool{}}
	for _, id := range retired {
		if !validKeyID(id) {
			return nil, fmt.Errorf("link keys: retired key ID %q: IDs are 1-32 letters, digits, - or _", id)
		}
		r.retired[id] = true
	}
	for _, id := range slices.Sorted(maps.Keys(secrets)) {
		s := secrets[id]
		switch {
		case !validKeyID(id) || id == fieldCurrent || id == fieldRetired:
			return nil, fmt.Errorf("link keys: key ID %q: IDs are 1-32 letters, digits, - or _, not current or retired", id)
		case len(s) < MinSecretLen:
			return nil, fmt.Errorf("link keys: the secret of key %s has %d characters; at least %d are needed", id, len(s), MinSecretLen)
		}
		k, err := derive(id, s)
		if err != nil {
			return nil, err
		}
		r.keys[id] = k
	}
	if _, ok := r.keys[current]; !ok || r.retired[current] {
		return nil, fmt.Errorf("link keys: the current key %q is not a key of the ring, or is retired", current)
	}
	return r, nil
}

// derive makes the keys of one secret: the link key and the form key, for
// two purposes, never one for both.
func derive(id, secret string) (key, error) {
	lk, err := hkdf.Key(sha256.New, []byte(secret), nil, "arende link v4.local "+id, 32)
	if err != nil {
		return key{}, fmt.Errorf("link keys: derive %s: %w", id, err)
	}
	fk, err := hkdf.Key(sha256.New, []byte(secret), nil, "arende reply form "+id, 32)
	if err != nil {
		return key{}, fmt.Errorf("link keys: derive %s: %w", id, err)
	}
	link, err := paseto.V4SymmetricKeyFromBytes(lk)
	if err != nil {
		return key{}, fmt.Errorf("link keys: %s: %w", id, err)
	}
	return key{link: link, form: fk}, nil
}

// ParseRing reads a ring from the JSON of the secret that holds it:
//
//	{"current": "k2", "k1": "<secret>", "k2": "<secret>", "retired": ["k0"]}
//
// Every member but current and retired is a key ID with its secret string
// (at least MinSecretLen characters; the template generates 64). retired
// may also be one string of comma-separated IDs.
func ParseRing(secret []byte) (*Ring, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(secret, &doc); err != nil {
		return nil, fmt.Errorf("link keys: the secret is not a JSON object: %w", err)
	}
	var current string
	if err := json.Unmarshal(doc[fieldCurrent], &current); err != nil || current == "" {
		return nil, fmt.Errorf(`link keys: the secret has no "current" key ID`)
	}
	retired, err := retiredIDs(doc[fieldRetired])
	if err != nil {
		return nil, err
	}
	secrets := map[string]string{}
	for id, raw := range doc {
		if id == fieldCurrent || id == fieldRetired {
			continue
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("link keys: the secret of key %q is not a string", id)
		}
		secrets[id] = s
	}
	return NewRing(current, secrets, retired...)
}

// retiredIDs reads the retired member: absent, a list of IDs or one
// comma-separated string.
func retiredIDs(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf(`link keys: "retired" is neither a list of key IDs nor a string of them`)
	}
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			list = append(list, id)
		}
	}
	return list, nil
}

// Generate returns a ring of one random key: the local stack's when no
// keys are configured, and the tests'. Its links stop working when the
// process ends.
func Generate(id string) *Ring {
	r, err := NewRing(id, map[string]string{id: rand.Text() + rand.Text()})
	if err != nil {
		panic(err) // a fixed, valid ID and a long random secret: cannot fail
	}
	return r
}

// KeyIDs are the IDs of the keys that open tokens, the current first.
func (r *Ring) KeyIDs() []string {
	ids := []string{r.current}
	for _, id := range slices.Sorted(maps.Keys(r.keys)) {
		if id != r.current {
			ids = append(ids, id)
		}
	}
	return ids
}
