// Package collation orders names as Swedes expect: ... x, y, z, å, ä, ö,
// whatever the case and however the letters are written (NFC or NFD).
// Byte order puts ä before å and every accented letter after z.
//
// The order is golang.org/x/text/collate's for Swedish with case
// ignored, and so are the keys (Key), byte for byte, for names written in
// Latin, Greek, Cyrillic, Hebrew or Arabic letters, digits, punctuation
// and symbols (tables.go, generated from x/text by gen.go; the tests
// compare the two). x/text's own tables hold every language of the world
// and weigh 1.5 MB in each bootstrap; these weigh 50 KB. A character of
// another script is weighed by its code point, as x/text weighs one it has
// no entry for: such names sort after the others, among themselves by
// code point (x/text gave most of them a place of their own).
package collation

//go:generate go run gen.go

import (
	"encoding/hex"
	"slices"
	"unicode"
	"unicode/utf8"
)

// entry is a tabled rune: its weights (primary p..p+np and secondary
// s..s+ns in weights), its canonical combining classes (of the first
// and the last rune of its decomposition), and its decomposition
// (d..d+nd in decompositions, none when it has none). implicit marks a
// rune weighed by its code point, tabled for its classes.
type entry struct {
	r           rune
	p, s, d     uint16
	np, ns, nd  uint8
	lead, trail uint8
	implicit    bool
}

// contraction is a pair of runes weighed as one.
type contraction struct {
	a, b   rune
	p, s   uint16
	np, ns uint8
}

func lookup(r rune) *entry {
	if r > 0 && int(r) <= len(table) && table[r-1].r == r {
		return &table[r-1] // the first blocks are tabled rune by rune
	}
	i, ok := slices.BinarySearchFunc(table[:], r, func(e entry, r rune) int { return int(e.r - r) })
	if !ok {
		return nil
	}
	return &table[i]
}

func classes(r rune) (lead, trail uint8) {
	if e := lookup(r); e != nil {
		return e.lead, e.trail
	}
	return 0, 0
}

// maxKeyBytes bounds the collation bytes a Key keeps: names that agree
// that far are ordered by what follows the key in the sort key (an ID).
// 160 bytes cover names of about 40 letters; a key is twice that in hex,
// well within DynamoDB's 1024-byte sort keys.
const maxKeyBytes = 160

// MaxKeyLen is the longest Key, for a cursor check.
const MaxKeyLen = 2 * maxKeyBytes

// Key is a string whose byte order is the Swedish order of name: what a
// DynamoDB sort key needs, since DynamoDB compares bytes. It is hex, so it
// holds no separator a key uses.
func Key(name string) string {
	k := key(name)
	if len(k) > maxKeyBytes {
		k = k[:maxKeyBytes]
	}
	return hex.EncodeToString(k)
}

// Compare orders a and b by Swedish collation, case-insensitively: -1, 0
// or +1.
func Compare(a, b string) int {
	ka, kb := key(a), key(b)
	return slices.Compare(ka, kb)
}

// key is the whole collation key of s: its primary weights, two zero
// bytes, its secondary weights.
func key(s string) []byte {
	units := normalize(s)
	var k keyBuilder
	for i := 0; i < len(units); i++ {
		if units[i] == 0 {
			continue // taken by a contraction
		}
		if c := contractionAt(units, i); c != nil {
			k.add(c.p, c.np, c.s, c.ns)
			continue
		}
		r := units[i]
		if e := lookup(r); e != nil && !e.implicit {
			k.add(e.p, e.np, e.s, e.ns)
			continue
		}
		k.implicit(r)
	}
	return append(append(k.p, 0, 0), k.s...)
}

// keyBuilder collects the two levels of a key.
type keyBuilder struct{ p, s []byte }

func (k *keyBuilder) add(p uint16, np uint8, s uint16, ns uint8) {
	for _, w := range weights[p : p+uint16(np)] {
		k.p = append(k.p, byte(w>>8), byte(w))
	}
	for _, w := range weights[s : s+uint16(ns)] {
		k.s = append(k.s, byte(w>>8), byte(w))
	}
}

// implicit weighs a rune without an entry by its code point, as x/text
// does: ideographs first, then everything else.
func (k *keyBuilder) implicit(r rune) {
	p := int(r) + 0x50000
	if unicode.Is(unicode.Ideographic, r) {
		switch {
		case r >= 0x4E00 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF:
			p = int(r) + 0x10000
		default:
			p = int(r) + 0x20000
		}
	}
	k.p = append(k.p, byte(p>>16)|0x80, byte(p>>8), byte(p))
	k.s = append(k.s, 0x00, 0x20)
}

// contractionAt is the contraction of units[i] with the next unit, or
// with a later combining mark of its segment, as x/text finds one: past
// marks of rising classes only. The mark is then taken (set to 0). nil
// when there is none.
func contractionAt(units []rune, i int) *contraction {
	if i+1 >= len(units) {
		return nil
	}
	first, ok := slices.BinarySearchFunc(contractions[:], units[i], func(c contraction, r rune) int { return int(c.a - r) })
	if !ok {
		return nil
	}
	var prev uint8
	for j := i + 1; j < len(units); j++ {
		if units[j] == 0 {
			continue
		}
		lead, trail := classes(units[j])
		if j > i+1 && (lead == 0 || prev >= lead) {
			return nil
		}
		for c := first; c < len(contractions) && contractions[c].a == units[i]; c++ {
			if contractions[c].b == units[j] {
				units[j] = 0
				return &contractions[c]
			}
		}
		if lead == 0 {
			return nil
		}
		prev = trail
	}
	return nil
}

// normalize is s as runes, as x/text takes them when they are in FCD
// form, as NFD text always is and NFC text nearly always (a precomposed
// letter followed by a combining mark of a lower class than its own is
// not): kept as they are, precomposed letters having entries of their
// own. A segment (a starter and the combining marks after it) out of
// canonical order is decomposed and put in order, so that its key is its
// NFD form's. (x/text is not consistent there: it contracts some such
// pairs and not others.)
func normalize(s string) []rune {
	units := make([]rune, 0, utf8.RuneCountInString(s))
	start := 0 // of the current segment in units
	var trail uint8
	inOrder := true
	for _, r := range s {
		lead, tr := classes(r)
		if lead == 0 {
			if !inOrder {
				units = reorder(units, start)
			}
			start, inOrder = len(units), true
		} else if trail > lead {
			inOrder = false
		}
		units = append(units, r)
		trail = tr
	}
	if !inOrder {
		units = reorder(units, start)
	}
	return units
}

// reorder decomposes the segment units[start:] and puts its combining
// marks in canonical order (stable: marks of one class keep their order).
func reorder(units []rune, start int) []rune {
	seg := slices.Clone(units[start:])
	units = units[:start]
	for _, r := range seg {
		if e := lookup(r); e != nil && e.nd > 0 {
			units = append(units, decompositions[e.d:e.d+uint16(e.nd)]...)
		} else {
			units = append(units, r)
		}
	}
	marks := units[start:]
	if lead, _ := classes(marks[0]); lead == 0 {
		marks = marks[1:] // the starter stays first
	}
	slices.SortStableFunc(marks, func(a, b rune) int {
		la, _ := classes(a)
		lb, _ := classes(b)
		return int(la) - int(lb)
	})
	return units
}
