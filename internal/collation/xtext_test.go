package collation

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// xtextKey is golang.org/x/text/collate's key for Swedish, case ignored:
// what the tables were generated from and what keys stored before them
// were made with.
func xtextKey(s string) []byte {
	var buf collate.Buffer
	return collate.New(language.Swedish, collate.IgnoreCase).KeyFromString(&buf, s)
}

func sameAsXText(t *testing.T, s string) bool {
	t.Helper()
	if got, want := key(s), xtextKey(s); !bytes.Equal(got, want) {
		t.Errorf("key(%+q) = %x, x/text %x", s, got, want)
		return false
	}
	return true
}

// TestKeysAreXText: for every tabled rune alone, every pair of the Latin
// and combining blocks, and random names of the tabled blocks with and
// without combining marks, in NFC and NFD, the key is x/text's byte for
// byte: a customer's name key stored before stays where it was.
func TestKeysAreXText(t *testing.T) {
	var all, latin, marks []rune
	for _, e := range table {
		all = append(all, e.r)
		if e.lead != 0 {
			marks = append(marks, e.r)
		} else if e.r < 0x0250 || (e.r >= 0x1E00 && e.r <= 0x1EFF) {
			latin = append(latin, e.r)
		}
	}
	bad := 0
	for _, r := range all {
		if !sameAsXText(t, string(r)) {
			bad++
		}
	}
	for _, a := range latin {
		for _, b := range append(latin[:0:0], latin[:0x250]...) {
			if bad > 20 {
				t.Fatal("too many differences")
			}
			if !sameAsXText(t, string([]rune{a, b})) {
				bad++
			}
		}
	}
	for _, a := range latin {
		for _, m := range marks {
			if _, trail := classes(a); trail > classOf(m) {
				continue // not FCD: see TestCanonicalEquivalence
			}
			if bad > 20 {
				t.Fatal("too many differences")
			}
			if !sameAsXText(t, string([]rune{a, m})) {
				bad++
			}
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	pick := func(rs []rune) rune { return rs[rnd.IntN(len(rs))] }
	for range 20000 {
		var rs []rune
		for range 1 + rnd.IntN(12) {
			if rnd.IntN(4) == 0 {
				rs = append(rs, pick(all))
			} else {
				rs = append(rs, pick(latin))
			}
			if rnd.IntN(6) == 0 {
				rs = append(rs, pick(marks))
			}
		}
		for _, s := range []string{string(rs), norm.NFC.String(string(rs)), norm.NFD.String(string(rs))} {
			if !fcd(s) {
				continue // see TestCanonicalEquivalence
			}
			if bad > 20 {
				t.Fatal("too many differences")
			}
			if !sameAsXText(t, s) {
				bad++
			}
		}
	}
}

func classOf(r rune) uint8 { lead, _ := classes(r); return lead }

// fcd reports whether s is in FCD form: no combining mark follows a rune
// whose decomposition ends in a mark of a higher class.
func fcd(s string) bool {
	var trail uint8
	for _, r := range s {
		lead, tr := classes(r)
		if lead != 0 && trail > lead {
			return false
		}
		trail = tr
	}
	return true
}

// TestCanonicalEquivalence: a name whose combining marks are out of
// canonical order keys as its NFD form (where x/text contracts some such
// pairs and not others).
func TestCanonicalEquivalence(t *testing.T) {
	for _, s := range []string{"\u00c8\u0328", "A\u0308\u0316", "\u00c4\u0316", "\u1ed8\u0330", "\u1ed2\u0321"} {
		if fcd(s) {
			t.Errorf("%+q is in FCD form", s)
		}
		if got, nfd := key(s), key(norm.NFD.String(s)); !bytes.Equal(got, nfd) {
			t.Errorf("key(%+q) = %x, of its NFD %x", s, got, nfd)
		}
		if !bytes.Equal(key(norm.NFD.String(s)), xtextKey(norm.NFD.String(s))) {
			t.Errorf("key of NFD %+q differs from x/text's", s)
		}
	}
}

// TestNamesAreXText: names as people write them, and their order.
func TestNamesAreXText(t *testing.T) {
	names := []string{"Åsa Öberg", "Ängelholms Bygg AB", "Zäta", "Yngve", "Müller GmbH", "Øresund Consult", "Ærø", "Łukasz Wiśniewski",
		"José Núñez", "Nguyễn Văn An", "Ελένη", "Дмитрий", "محمد", "שרה", "李小龍", "Ünal", "van der Berg", "O'Brien", "Smith-Jones",
		"  spaced  ", "1:a Bostäder", "100 kr", "€uro AB", "Œuvre", "Straße", "Strasse", "Çelik", "ﬁrma", "Ｆｕｌｌ", "Tỷ", "a\u0323\u030a"}
	for _, n := range names {
		sameAsXText(t, n)
		sameAsXText(t, norm.NFD.String(n))
	}
	for _, a := range names {
		for _, b := range names {
			want := bytes.Compare(xtextKey(a), xtextKey(b))
			if got := Compare(a, b); got != want {
				t.Errorf("Compare(%q, %q) = %d, x/text %d", a, b, got, want)
			}
			if got := Key(a) < Key(b); got != (want < 0) && len(xtextKey(a)) <= maxKeyBytes && len(xtextKey(b)) <= maxKeyBytes {
				t.Errorf("Key(%q) < Key(%q): %v", a, b, got)
			}
		}
	}
	if got, want := Key("Åsa Öberg"), hex.EncodeToString(xtextKey("Åsa Öberg")); got != want {
		t.Errorf("Key %s, x/text %s", got, want)
	}
}
