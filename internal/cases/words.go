package cases

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The words a case is found by (GET /v1/cases?q=): those of its number,
// its customer's name, its contact's name and its title, lower-cased, in
// that order, each once. A word is a run of letters and digits (å, ä, ö
// and every other letter count; anything else separates words).
//
// Bounds: at most maxWords words per case, each cut to maxWordLen
// letters; words of one letter are not indexed (a query word needs
// prefixLen). Each distinct beginning (the first prefixLen letters) of the
// indexed words gets one search entry, at most maxPrefixes per case: a
// word whose beginning would be one more is not indexed. The number,
// customer and contact come first, so the title gives up its last words
// first.
const (
	maxWords      = 32
	maxWordLen    = 24
	maxPrefixes   = 16
	prefixLen     = 2
	maxQueryWords = 5
	maxQueryLen   = 200
)

// caseNames are what a case's words take from its customer: the
// customer's name and the contact's. They are kept beside the case (not
// in its JSON, nor in its list entries), and follow a rename (see
// CustomerRenamed).
type caseNames struct {
	Customer string `json:"customer,omitempty"`
	Contact  string `json:"contact,omitempty"`
}

// words splits text into its words: runs of letters and digits,
// lower-cased and composed (NFC, so that an "ä" typed as "a" and a
// combining mark is the same word), each cut to maxWordLen letters.
func words(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(norm.NFC.String(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	for i, w := range fields {
		fields[i] = cut(w, maxWordLen)
	}
	return fields
}

// cut is w cut to n letters.
func cut(w string, n int) string {
	if utf8.RuneCountInString(w) <= n {
		return w
	}
	return string([]rune(w)[:n])
}

// prefix is the beginning of a word that names its search partition.
func prefix(w string) string { return cut(w, prefixLen) }

// searchWords are the words a case with the number, title and names is
// found by, within the bounds above, and their distinct beginnings.
func searchWords(number int64, title string, n caseNames) (indexed, prefixes []string) {
	var all []string
	if number > 0 {
		all = append(all, strconv.FormatInt(number, 10))
	}
	all = append(append(append(all, words(n.Customer)...), words(n.Contact)...), words(title)...)
	seen := map[string]bool{}
	for _, w := range all {
		if len(indexed) == maxWords {
			break
		}
		if utf8.RuneCountInString(w) < prefixLen || seen[w] {
			continue
		}
		p := prefix(w)
		known := seen["#"+p]
		if !known && len(prefixes) == maxPrefixes {
			continue
		}
		if !known {
			seen["#"+p] = true
			prefixes = append(prefixes, p)
		}
		seen[w] = true
		indexed = append(indexed, w)
	}
	return indexed, prefixes
}

// wordList is how an entry holds a case's words: each between spaces, so
// that " "+w is found in it exactly when a word begins with w.
func wordList(ws []string) string {
	if len(ws) == 0 {
		return " "
	}
	return " " + strings.Join(ws, " ") + " "
}

// searchQuery is a parsed q: the words all of which a case must have a
// word beginning with, and the one whose beginning's partition is read.
type searchQuery struct {
	words  []string
	prefix string
}

// parseSearch reads q: its words of at least prefixLen letters (shorter
// ones narrow nothing, as no such word is indexed), at most maxQueryWords,
// each cut as indexed words are. A word that begins another query word
// is implied by it and dropped. The partition read is that of the longest
// word, the most particular one.
func parseSearch(q string) (searchQuery, string) {
	if utf8.RuneCountInString(q) > maxQueryLen {
		return searchQuery{}, "may be at most " + strconv.Itoa(maxQueryLen) + " characters"
	}
	var ws []string
	for _, w := range words(q) {
		if utf8.RuneCountInString(w) >= prefixLen {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return searchQuery{}, "needs a word of at least " + strconv.Itoa(prefixLen) + " letters or digits"
	}
	if len(ws) > maxQueryWords {
		return searchQuery{}, "may hold at most " + strconv.Itoa(maxQueryWords) + " words"
	}
	var sq searchQuery
	for i, w := range ws {
		implied := false
		for j, o := range ws {
			if j != i && strings.HasPrefix(o, w) && (o != w || j < i) {
				implied = true
			}
		}
		if !implied {
			sq.words = append(sq.words, w)
		}
	}
	longest := sq.words[0]
	for _, w := range sq.words[1:] {
		if utf8.RuneCountInString(w) > utf8.RuneCountInString(longest) {
			longest = w
		}
	}
	sq.prefix = prefix(longest)
	return sq, ""
}

// matches reports whether a case with the word list has, for every query
// word, a word beginning with it.
func (sq searchQuery) matches(list string) bool {
	for _, w := range sq.words {
		if !strings.Contains(list, " "+w) {
			return false
		}
	}
	return true
}
