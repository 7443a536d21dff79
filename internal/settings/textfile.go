package settings

import (
	_ "embed" // the default texts
	"fmt"
	"slices"
	"strings"
)

// defaultTextsFile holds the mail texts a new tenant starts with, as
// people write mail: content, kept apart from the code (see parseTexts).
//
//go:embed defaulttexts.txt
var defaultTextsFile string

// parseTexts reads texts written as in defaulttexts.txt: after comment
// lines (#), each text is "== <key> <locale>", "Subject: <subject>", a
// blank line, and the body up to the next "== " line.
func parseTexts(file string) ([]Text, error) {
	_, rest, found := strings.Cut(file, "\n== ")
	if !found {
		return nil, fmt.Errorf("default texts: no text")
	}
	var out []Text
	for i, section := range strings.Split(rest, "\n== ") {
		lines := strings.Split(section, "\n")
		key, locale, ok := strings.Cut(lines[0], " ")
		if len(lines) < 4 || !ok || !slices.Contains(textKeys, key) || !slices.Contains(locales, locale) ||
			!strings.HasPrefix(lines[1], "Subject: ") || lines[2] != "" {
			return nil, fmt.Errorf("default texts: text %d (%q) is not \"== <key> <locale>\", \"Subject: ...\", a blank line and a body", i+1, lines[0])
		}
		out = append(out, Text{Key: key, Locale: locale, Subject: strings.TrimPrefix(lines[1], "Subject: "),
			Body: strings.TrimRight(strings.Join(lines[3:], "\n"), "\n")})
	}
	return out, nil
}
