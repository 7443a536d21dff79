//go:build ignore

// gen writes tables.go: the collation elements of Swedish
// (golang.org/x/text/collate, case ignored) for the scripts names are
// written in here, so that the package computes the same keys without
// linking x/text's tables of every language (1.5 MB of each bootstrap).
// Run it with go generate after a change of golang.org/x/text; the tests
// compare the two.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"os"
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// covered are the blocks tabled: Latin, IPA, spacing modifiers and
// combining marks, Greek, Cyrillic, Hebrew, Arabic, Latin extended
// additional, Greek extended, punctuation, currency and letterlike symbols, ligatures
// and full-width forms. Everything
// else is weighed by code point, as x/text weighs a character it has no
// entry for.
var covered = [][2]rune{
	{0x0001, 0x036F}, {0x0370, 0x03FF}, {0x0400, 0x052F}, {0x0590, 0x05FF}, {0x0600, 0x06FF},
	{0x1E00, 0x1EFF}, {0x1F00, 0x1FFF}, {0x2000, 0x206F}, {0x20A0, 0x20CF}, {0x2100, 0x214F}, {0xFB00, 0xFB4F}, {0xFF00, 0xFFEF},
}

type elems struct{ p, s []uint16 }

var (
	coll = collate.New(language.Swedish, collate.IgnoreCase)
	buf  collate.Buffer
)

// elemsOf splits x/text's key of s into its primary and secondary
// weights (the key holds no other level with case ignored).
func elemsOf(s string) (elems, bool) {
	buf.Reset()
	k := coll.KeyFromString(&buf, s)
	var e elems
	i := 0
	for ; i+1 < len(k); i += 2 {
		if k[i] == 0 && k[i+1] == 0 {
			break
		}
		if k[i]&0x80 != 0 {
			return e, false // an implicit weight: no entry needed
		}
		e.p = append(e.p, uint16(k[i])<<8|uint16(k[i+1]))
	}
	for i += 2; i+1 < len(k); i += 2 {
		e.s = append(e.s, uint16(k[i])<<8|uint16(k[i+1]))
	}
	return e, true
}

func ccc(s string) (lead, trail uint8) {
	p := norm.NFD.PropertiesString(s)
	return p.LeadCCC(), p.TrailCCC()
}

type entry struct {
	r            rune
	e            elems
	lead, trail  uint8
	decomp       []rune
	implicitOnly bool
}

func main() {
	entries := tabled(runesOf(covered))
	contractions := contractionsOf(entries)
	src, err := format.Source(write(entries, contractions))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("tables.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d entries, %d contractions", len(entries), len(contractions))
}

// runesOf are the assigned runes of blocks, and what a starter and a
// combining mark of them compose to in NFC, in whatever block (≠ is =
// and a combining stroke).
func runesOf(blocks [][2]rune) []rune {
	var runes []rune
	for _, rg := range blocks {
		for r := rg[0]; r <= rg[1]; r++ {
			if utf8.ValidRune(r) && unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C) {
				runes = append(runes, r)
			}
		}
	}
	seen := map[rune]bool{}
	var starters, marks []rune
	for _, r := range runes {
		seen[r] = true
		if lead, _ := ccc(string(r)); lead == 0 {
			starters = append(starters, r)
		} else {
			marks = append(marks, r)
		}
	}
	for _, b := range starters {
		for _, m := range marks {
			if c := []rune(norm.NFC.String(string([]rune{b, m}))); len(c) == 1 && !seen[c[0]] {
				seen[c[0]] = true
				runes = append(runes, c[0])
			}
		}
	}
	slices.Sort(runes)
	return runes
}

// tabled are the entries of runes: those with weights of their own, a
// decomposition or a combining class.
func tabled(runes []rune) []entry {
	var entries []entry
	for _, r := range runes {
		e, ok := elemsOf(string(r))
		lead, trail := ccc(string(r))
		en := entry{r: r, e: e, lead: lead, trail: trail, implicitOnly: !ok}
		if d := []rune(norm.NFD.String(string(r))); len(d) > 1 || d[0] != r {
			en.decomp = d
		}
		if !ok && en.decomp == nil && lead == 0 {
			continue // weighed by code point at run time too
		}
		entries = append(entries, en)
	}
	return entries
}

type contraction struct {
	a, b rune
	e    elems
}

// contractionsOf are the pairs of entries whose key is not their two
// keys side by side (in Swedish: å, ä, ö, ü written with a combining
// mark, and a few more): a rune and a combining mark after it, or l and a
// middle dot.
func contractionsOf(entries []entry) []contraction {
	var out []contraction
	for _, a := range entries {
		if a.implicitOnly {
			continue
		}
		for _, b := range entries {
			if b.implicitOnly || (b.lead == 0 && b.r != 0x00B7 && b.r != 0x0387) || (b.lead != 0 && a.trail > b.lead) {
				continue // a rune weighed by code point, a starter, or marks out of order
			}
			got, ok := elemsOf(string([]rune{a.r, b.r}))
			if ok && (!slices.Equal(got.p, slices.Concat(a.e.p, b.e.p)) || !slices.Equal(got.s, slices.Concat(a.e.s, b.e.s))) {
				out = append(out, contraction{a.r, b.r, got})
			}
		}
	}
	slices.SortFunc(out, func(x, y contraction) int { return int(x.a-y.a)*0x110000 + int(x.b-y.b) })
	return out
}

// write is the source of tables.go.
func write(entries []entry, contractions []contraction) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by gen.go from golang.org/x/text/collate (Swedish, case ignored); DO NOT EDIT.\n\npackage collation\n\n")
	var weights []uint16
	add := func(ws []uint16) uint16 {
		// Share a run already written when there is one.
		for i := 0; len(ws) > 0 && i+len(ws) <= len(weights); i++ {
			if slices.Equal(weights[i:i+len(ws)], ws) {
				return uint16(i)
			}
		}
		weights = append(weights, ws...)
		return uint16(len(weights) - len(ws))
	}
	var decomps []rune
	fmt.Fprintf(&b, "// table holds the runes of the tabled blocks that have weights, a decomposition or a combining class, by rune.\nvar table = [...]entry{\n")
	for _, e := range entries {
		d := uint16(len(decomps))
		decomps = append(decomps, e.decomp...)
		flags := ""
		if e.implicitOnly {
			flags += ", implicit: true"
		}
		fmt.Fprintf(&b, "\t{r: %#04x, p: %d, np: %d, s: %d, ns: %d, lead: %d, trail: %d, d: %d, nd: %d%s},\n",
			e.r, add(e.e.p), len(e.e.p), add(e.e.s), len(e.e.s), e.lead, e.trail, d, len(e.decomp), flags)
	}
	fmt.Fprintf(&b, "}\n\n// contractions are the pairs weighed as one, by their first rune.\nvar contractions = [...]contraction{\n")
	for _, c := range contractions {
		fmt.Fprintf(&b, "\t{a: %#04x, b: %#04x, p: %d, np: %d, s: %d, ns: %d},\n", c.a, c.b, add(c.e.p), len(c.e.p), add(c.e.s), len(c.e.s))
	}
	fmt.Fprintf(&b, "}\n\n// weights are the primary and secondary weights the entries point into.\nvar weights = [...]uint16{")
	for i, w := range weights {
		if i%16 == 0 {
			b.WriteString("\n\t")
		}
		fmt.Fprintf(&b, "%#04x, ", w)
	}
	fmt.Fprintf(&b, "\n}\n\n// decompositions are the canonical decompositions the entries point into.\nvar decompositions = [...]rune{")
	for i, r := range decomps {
		if i%16 == 0 {
			b.WriteString("\n\t")
		}
		fmt.Fprintf(&b, "%#04x, ", r)
	}
	b.WriteString("\n}\n")
	return b.Bytes()
}
