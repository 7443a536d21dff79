package linktoken_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/linktoken"
)

var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func claims() linktoken.Claims {
	return linktoken.Claims{Tenant: "acme", Case: "01jd4g7k2mp5r8t1w4y7a0c3ef", Contact: "01jd4g7k2mp5r8t1w4y7a0c3eg",
		Epoch: 2, Expires: now.Add(30 * 24 * time.Hour), Locale: "en"}
}

func ring(t *testing.T, current string, secrets map[string]string, retired ...string) *linktoken.Ring {
	t.Helper()
	r, err := linktoken.NewRing(current, secrets, retired...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const (
	secret1 = "0123456789abcdef0123456789abcdef-one"
	secret2 = "0123456789abcdef0123456789abcdef-two"
)

func seal(t *testing.T, r *linktoken.Ring, c linktoken.Claims) string {
	t.Helper()
	tok, err := r.Seal(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestRoundTrip(t *testing.T) {
	r := ring(t, "k1", map[string]string{"k1": secret1})
	tok := seal(t, r, claims())
	got, err := r.Open(tok, now)
	if err != nil {
		t.Fatal(err)
	}
	want := claims()
	if got.Tenant != want.Tenant || got.Case != want.Case || got.Contact != want.Contact || got.Epoch != want.Epoch ||
		!got.Expires.Equal(want.Expires) || got.Locale != want.Locale {
		t.Errorf("opened %+v, sealed %+v", got, want)
	}
	t.Logf("token: %d bytes", len(tok))
	if len(tok) > 300 {
		t.Errorf("a token of %d bytes makes a long link", len(tok))
	}
}

// TestRevealsNothing: without the key, the token shows the key ID in its
// footer and nothing of what it names.
func TestRevealsNothing(t *testing.T) {
	r := ring(t, "k1", map[string]string{"k1": secret1})
	c := claims()
	tok := seal(t, r, c)
	parts := strings.Split(tok, ".")
	if len(parts) != 4 || parts[0] != "v4" || parts[1] != "local" {
		t.Fatalf("token %q is not v4.local with a footer", tok)
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	foot, err := base64.RawURLEncoding.DecodeString(parts[3])
	if err != nil {
		t.Fatal(err)
	}
	if string(foot) != `{"kid":"k1"}` {
		t.Errorf("footer %s", foot)
	}
	for _, s := range []string{c.Tenant, c.Case, c.Contact, `"ep"`, "2026"} {
		if strings.Contains(string(body), s) || strings.Contains(tok, s) {
			t.Errorf("the token shows %q", s)
		}
	}
}

// TestTampered: changing any byte of the token makes it invalid.
func TestTampered(t *testing.T) {
	r := ring(t, "k1", map[string]string{"k1": secret1})
	tok := seal(t, r, claims())
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
	for i := range len(tok) {
		b := []byte(tok)
		// Another character of the token's alphabet: the token still
		// parses as base64url where it did.
		b[i] = alphabet[(strings.IndexByte(alphabet, b[i])+1)%len(alphabet)]
		if _, err := r.Open(string(b), now); !errors.Is(err, linktoken.ErrInvalid) {
			// A changed last character of a base64 group may decode to the
			// same bytes (its unused low bits): then the token is the same.
			if string(b) != tok && decodesSame(string(b), tok) {
				continue
			}
			t.Errorf("byte %d changed (%q): %v, want ErrInvalid", i, b[i], err)
		}
	}
	for _, bad := range []string{"", "v4.local.", "v4.local.x", tok + "x", tok[:len(tok)-1], "v4.public." + tok[9:],
		strings.Repeat("a", linktoken.MaxLen+1), strings.Split(tok, ".")[0] + ".local." + strings.Split(tok, ".")[2]} {
		if _, err := r.Open(bad, now); !errors.Is(err, linktoken.ErrInvalid) {
			t.Errorf("%.40q: %v, want ErrInvalid", bad, err)
		}
	}
}

// decodesSame reports whether two tokens carry the same bytes.
func decodesSame(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		if i < 2 {
			if pa[i] != pb[i] {
				return false
			}
			continue
		}
		da, errA := base64.RawURLEncoding.DecodeString(pa[i])
		db, errB := base64.RawURLEncoding.DecodeString(pb[i])
		if errA != nil || errB != nil || string(da) != string(db) {
			return false
		}
	}
	return true
}

func TestWrongKey(t *testing.T) {
	tok := seal(t, ring(t, "k1", map[string]string{"k1": secret1}), claims())
	// The same key ID, another secret: another deployment, or a guess.
	other := ring(t, "k1", map[string]string{"k1": secret2})
	if _, err := other.Open(tok, now); !errors.Is(err, linktoken.ErrInvalid) {
		t.Errorf("opened with another key: %v", err)
	}
	// A ring without the key ID.
	if _, err := ring(t, "k2", map[string]string{"k2": secret1}).Open(tok, now); !errors.Is(err, linktoken.ErrInvalid) {
		t.Errorf("opened by a ring without its key ID: %v", err)
	}
	// Generated rings differ.
	if _, err := linktoken.Generate("local").Open(seal(t, linktoken.Generate("local"), claims()), now); !errors.Is(err, linktoken.ErrInvalid) {
		t.Errorf("one generated ring opened another's token: %v", err)
	}
}

func TestExpired(t *testing.T) {
	r := ring(t, "k1", map[string]string{"k1": secret1})
	c := claims()
	tok := seal(t, r, c)
	if _, err := r.Open(tok, c.Expires.Add(-time.Second)); err != nil {
		t.Errorf("a second before expiry: %v", err)
	}
	got, err := r.Open(tok, c.Expires)
	if !errors.Is(err, linktoken.ErrExpired) {
		t.Fatalf("at expiry: %v, want ErrExpired", err)
	}
	if got.Case != c.Case || got.Contact != c.Contact || got.Tenant != c.Tenant {
		t.Errorf("an expired token answers %+v, want its claims (to offer a fresh link)", got)
	}
}

// TestRotation: a new key is added and made current; links sealed with
// the old one keep working until it is retired, then they are refused.
func TestRotation(t *testing.T) {
	before := ring(t, "k1", map[string]string{"k1": secret1})
	old := seal(t, before, claims())

	during := ring(t, "k2", map[string]string{"k1": secret1, "k2": secret2})
	fresh := seal(t, during, claims())
	if strings.Split(fresh, ".")[3] != base64.RawURLEncoding.EncodeToString([]byte(`{"kid":"k2"}`)) {
		t.Errorf("a rotated ring seals with %s", fresh)
	}
	for name, tok := range map[string]string{"old": old, "fresh": fresh} {
		if _, err := during.Open(tok, now); err != nil {
			t.Errorf("%s link during the rotation: %v", name, err)
		}
	}
	if _, err := before.Open(fresh, now); !errors.Is(err, linktoken.ErrInvalid) {
		t.Errorf("the old ring opened a link of a key it does not have: %v", err)
	}

	after := ring(t, "k2", map[string]string{"k1": secret1, "k2": secret2}, "k1")
	if _, err := after.Open(old, now); !errors.Is(err, linktoken.ErrInvalid) {
		t.Errorf("a link of a retired key: %v, want ErrInvalid", err)
	}
	if _, err := after.Open(fresh, now); err != nil {
		t.Errorf("a link of the current key after retiring the old: %v", err)
	}
	if _, err := linktoken.NewRing("k1", map[string]string{"k1": secret1}, "k1"); err == nil {
		t.Error("a ring whose current key is retired was made")
	}
}

func TestParseRing(t *testing.T) {
	good := []string{
		`{"current":"k1","k1":"` + secret1 + `"}`,
		`{"current":"k2","k1":"` + secret1 + `","k2":"` + secret2 + `","retired":["k0"]}`,
		`{"current":"k2","k2":"` + secret2 + `","retired":"k0, k1"}`,
	}
	for _, s := range good {
		if _, err := linktoken.ParseRing([]byte(s)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	bad := []string{
		``, `[]`, `{}`, `{"k1":"` + secret1 + `"}`,
		`{"current":"k1","k1":"short"}`,
		`{"current":"k2","k1":"` + secret1 + `"}`,
		`{"current":"k1","k1":"` + secret1 + `","retired":["k1"]}`,
		`{"current":"k1","k1":"` + secret1 + `","bad id":"` + secret2 + `"}`,
		`{"current":"k1","k1":42}`,
		`{"current":"k1","k1":"` + secret1 + `","retired":42}`,
	}
	for _, s := range bad {
		if _, err := linktoken.ParseRing([]byte(s)); err == nil {
			t.Errorf("%s: accepted", s)
		}
	}
	r, err := linktoken.ParseRing([]byte(good[1]))
	if err != nil {
		t.Fatal(err)
	}
	if ids := r.KeyIDs(); strings.Join(ids, ",") != "k2,k1" {
		t.Errorf("key IDs %v", ids)
	}
}

func TestSealRefusesNonIDs(t *testing.T) {
	r := ring(t, "k1", map[string]string{"k1": secret1})
	for _, c := range []linktoken.Claims{
		{Tenant: "a#b", Case: "c", Contact: "k", Expires: now},
		{Tenant: "a", Case: "", Contact: "k", Expires: now},
		{Tenant: "a", Case: "c", Contact: "k"},
		{Tenant: "a", Case: "c", Contact: "k", Expires: now, Locale: "svenska"},
		{Tenant: "a", Case: "c", Contact: "k", Expires: now, Epoch: -1},
	} {
		if _, err := r.Seal(c); err == nil {
			t.Errorf("sealed %+v", c)
		}
	}
}

// TestBinding: the reply form's binding belongs to its link alone.
func TestBinding(t *testing.T) {
	r := ring(t, "k1", map[string]string{"k1": secret1})
	a, b := seal(t, r, claims()), seal(t, r, claims())
	ba, err := r.Binding(a)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Bound(a, ba) {
		t.Error("a link's own binding is refused")
	}
	if r.Bound(b, ba) {
		t.Error("one link's binding passes for another's")
	}
	if r.Bound(a, "") || r.Bound(a, ba[:len(ba)-1]) || r.Bound("v4.local.x", ba) {
		t.Error("a broken binding passes")
	}
	other := ring(t, "k1", map[string]string{"k1": secret2})
	if other.Bound(a, ba) {
		t.Error("a binding made with another key passes")
	}
}
