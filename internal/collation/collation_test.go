package collation

import (
	"slices"
	"strings"
	"testing"
)

var swedishOrder = []string{"Adam", "adam", "Bertil", "Östen", "Yngve", "Zäta", "Åsa", "Ärla", "Örjan"}

func TestSwedishOrder(t *testing.T) {
	want := []string{"Adam", "adam", "Bertil", "Yngve", "Zäta", "Åsa", "Ärla", "Örjan", "Östen"}
	got := slices.Clone(swedishOrder)
	slices.SortStableFunc(got, func(a, b string) int { return strings.Compare(Key(a), Key(b)) })
	if !slices.Equal(got, want) {
		t.Errorf("Key order: %v, want %v", got, want)
	}
}

func TestCaseAndNormalizationInsensitive(t *testing.T) {
	if Key("ÅSA") != Key("åsa") {
		t.Error("case changes the key")
	}
	if Key("a\u030asa") != Key("åsa") { // å written as a + combining ring
		t.Error("NFD and NFC keys differ")
	}
}

func TestKeyBounded(t *testing.T) {
	k := Key(strings.Repeat("ö", 500))
	if len(k) > MaxKeyLen {
		t.Errorf("key of %d characters, at most %d", len(k), MaxKeyLen)
	}
	if strings.ContainsAny(k, "#") {
		t.Error("key holds a separator")
	}
}
