package cases

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestWords: what a text's words are, and which of a case's are indexed.
func TestWords(t *testing.T) {
	for text, want := range map[string][]string{
		"Läckande kran":            {"läckande", "kran"},
		"KRANBYTE, kök (2:a vån.)": {"kranbyte", "kök", "2", "a", "vån"},
		"A\u0308ppelträd":          {"äppelträd"}, // a + combining diaeresis is ä
		"e-post: anna@bygg.se":     {"e", "post", "anna", "bygg", "se"},
		"Ölandsbron ÅÄÖ åäö":       {"ölandsbron", "åäö", "åäö"},
		"  ":                       nil,
		strings.Repeat("x", 30):    {strings.Repeat("x", maxWordLen)},
	} {
		if got := words(text); !slices.Equal(got, want) {
			t.Errorf("words(%q) = %q, want %q", text, got, want)
		}
	}

	ws, ps := searchWords(1234, "Läckande kran i kök, kran", caseNames{Customer: "Byggbolaget AB", Contact: "Anna Andersson"})
	if want := []string{"1234", "byggbolaget", "ab", "anna", "andersson", "läckande", "kran", "kök"}; !slices.Equal(ws, want) {
		t.Errorf("indexed %q, want %q", ws, want)
	}
	if want := []string{"12", "by", "ab", "an", "lä", "kr", "kö"}; !slices.Equal(ps, want) {
		t.Errorf("prefixes %q, want %q", ps, want)
	}

	// Bounds: at most maxWords words and maxPrefixes beginnings.
	var long []string
	for i := range 60 {
		long = append(long, fmt.Sprintf("%c%cord%d", 'a'+i%26, 'a'+i/26, i))
	}
	ws, ps = searchWords(7, strings.Join(long, " "), caseNames{})
	if len(ps) != maxPrefixes || len(ws) != maxPrefixes {
		t.Errorf("%d words, %d prefixes of 60 distinct beginnings", len(ws), len(ps))
	}
	same := strings.Repeat("kran ", 0)
	for i := range 40 {
		same += fmt.Sprintf("kr%d ", i)
	}
	if ws, ps = searchWords(0, same, caseNames{}); len(ws) != maxWords || len(ps) != 1 {
		t.Errorf("%d words, %d prefixes of 40 words with one beginning", len(ws), len(ps))
	}
}

// TestParseSearch: what a query asks for.
func TestParseSearch(t *testing.T) {
	for q, want := range map[string]searchQuery{
		"kran":           {words: []string{"kran"}, prefix: "kr"},
		"Läck":           {words: []string{"läck"}, prefix: "lä"},
		"kran läckande":  {words: []string{"kran", "läckande"}, prefix: "lä"},
		"kr kran":        {words: []string{"kran"}, prefix: "kr"},
		"kran kran":      {words: []string{"kran"}, prefix: "kr"},
		"i kök":          {words: []string{"kök"}, prefix: "kö"},
		"1234":           {words: []string{"1234"}, prefix: "12"},
		"anna byggbolag": {words: []string{"anna", "byggbolag"}, prefix: "by"},
	} {
		got, msg := parseSearch(q)
		if msg != "" || !slices.Equal(got.words, want.words) || got.prefix != want.prefix {
			t.Errorf("parseSearch(%q) = %+v %q, want %+v", q, got, msg, want)
		}
	}
	for _, q := range []string{"a", "!!", "a b c", "aa bb cc dd ee ff", strings.Repeat("x", maxQueryLen+1)} {
		if _, msg := parseSearch(q); msg == "" {
			t.Errorf("parseSearch(%q) accepted", q)
		}
	}
	sq, _ := parseSearch("kran läck")
	for list, want := range map[string]bool{
		" 12 läckande kran ": true, " läckande kranbyte ": true, " läckande ": false, " skran läckande ": false,
	} {
		if sq.matches(list) != want {
			t.Errorf("%q matches %q: %v", sq.words, list, !want)
		}
	}
}
