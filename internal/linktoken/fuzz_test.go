package linktoken_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/linktoken"
)

var fuzzNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// fuzzRings are a ring of two keys, k2 current, and a ring that retired
// k2 for k3.
func fuzzRings(f *testing.F) (ring, retired *linktoken.Ring) {
	secrets := map[string]string{"k1": strings.Repeat("a", 32), "k2": strings.Repeat("b", 32)}
	ring, err := linktoken.NewRing("k2", secrets)
	if err != nil {
		f.Fatal(err)
	}
	retired, err = linktoken.NewRing("k3", map[string]string{"k1": secrets["k1"], "k3": strings.Repeat("c", 32)}, "k2")
	if err != nil {
		f.Fatal(err)
	}
	return ring, retired
}

// FuzzOpen: whatever a link's path holds, Open never panics and answers
// the claims of an authentic token, or ErrInvalid, or ErrExpired with
// the claims of an authentic expired one; Binding and Bound agree.
func FuzzOpen(f *testing.F) {
	ring, _ := fuzzRings(f)
	good, err := ring.Seal(linktoken.Claims{Tenant: "acme", Case: "c1", Contact: "k1", Epoch: 2, Expires: fuzzNow.Add(time.Hour), Locale: "sv"})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", "v4.local.", good[:len(good)-1], good + "x", strings.Replace(good, "v4.local", "v4.public", 1),
		"v4.local.AAAA.eyJraWQiOiJrMSJ9", "v4.local.AAAA.e30", strings.Repeat("v", 1025)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := ring.Open(token, fuzzNow)
		switch {
		case err == nil, errors.Is(err, linktoken.ErrExpired):
			if c.Tenant == "" || c.Case == "" || c.Contact == "" || c.Expires.IsZero() {
				t.Fatalf("%q opened to claims %+v", token, c)
			}
		case errors.Is(err, linktoken.ErrInvalid):
		default:
			t.Fatalf("%q: %v", token, err)
		}
		b, berr := ring.Binding(token)
		if berr != nil && (err == nil || errors.Is(err, linktoken.ErrExpired)) {
			t.Fatalf("%q opens but has no binding: %v", token, berr)
		}
		if berr == nil && !ring.Bound(token, b) {
			t.Fatalf("%q is not bound by its own binding", token)
		}
		if ring.Bound(token, b+"x") || ring.Bound(token, "") {
			t.Fatalf("%q is bound by another binding", token)
		}
	})
}

// FuzzSealOpen: every link the ring seals opens to the claims it was
// sealed with (the expiry to the second) while it is current, as expired
// after, with every key of the ring; a ring that retired the key refuses
// it.
func FuzzSealOpen(f *testing.F) {
	ring, retired := fuzzRings(f)
	f.Add("acme", "01jd4a7x9gq8w2t5k3m6n0p1rs", "c1", int64(0), fuzzNow.Unix()+3600, int64(0), "sv")
	f.Add("t", "c", "k", int64(1<<62), fuzzNow.Unix()+1, int64(999999999), "")
	f.Add("a-b_c", "x", "y", int64(-1), int64(-5), int64(0), "EN")
	f.Add("a", "b", "c", int64(3), int64(1<<40), int64(5), "en")
	f.Fuzz(func(t *testing.T, tenant, caseID, contact string, epoch, unix, nanos int64, locale string) {
		c := linktoken.Claims{Tenant: tenant, Case: caseID, Contact: contact, Epoch: epoch,
			Expires: time.Unix(unix, nanos), Locale: locale}
		tok, err := ring.Seal(c)
		if err != nil {
			return // claims no link may carry
		}
		if len(tok) > linktoken.MaxLen {
			return // a request may not carry it: names are bounded far below
		}
		got, err := ring.Open(tok, fuzzNow)
		want := c
		want.Expires = c.Expires.UTC().Truncate(time.Second)
		if !fuzzNow.Before(want.Expires) {
			if !errors.Is(err, linktoken.ErrExpired) {
				t.Fatalf("%+v sealed, expired, opens with %v", c, err)
			}
		} else if err != nil {
			t.Fatalf("%+v sealed opens with %v", c, err)
		}
		if got.Tenant != want.Tenant || got.Case != want.Case || got.Contact != want.Contact || got.Epoch != want.Epoch ||
			got.Locale != want.Locale || !got.Expires.Equal(want.Expires) {
			t.Fatalf("%+v sealed opens to %+v", want, got)
		}
		if _, err := retired.Open(tok, fuzzNow); !errors.Is(err, linktoken.ErrInvalid) {
			t.Fatalf("a ring without the key opens %+v: %v", c, err)
		}
	})
}
