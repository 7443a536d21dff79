// Package collation orders names as Swedes expect: ... x, y, z, å, ä, ö,
// whatever the case and however the letters are written (NFC or NFD).
// Byte order puts ä before å and every accented letter after z.
package collation

import (
	"encoding/hex"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// A Collator keeps buffers between calls and is not safe for concurrent
// use: each call takes one from the pool. Its tables weigh about 1.4 MiB
// in a bootstrap: only code that writes names (the settings function,
// customers in the cases function) calls Key; readers sort by the keys
// stored beside the names.
var pool = sync.Pool{New: func() any {
	return collate.New(language.Swedish, collate.IgnoreCase)
}}

// maxKeyBytes bounds the collation bytes a Key keeps: names that agree
// that far are ordered by what follows the key in the sort key (an ID).
// 160 bytes cover names of about 40 letters; a key is twice that in hex,
// well within DynamoDB's 1024-byte sort keys.
const maxKeyBytes = 160

// Key is a string whose byte order is the Swedish order of name: what a
// DynamoDB sort key needs, since DynamoDB compares bytes. It is hex, so it
// holds no separator a key uses.
func Key(name string) string {
	c := pool.Get().(*collate.Collator)
	defer pool.Put(c)
	var buf collate.Buffer
	k := c.KeyFromString(&buf, name)
	if len(k) > maxKeyBytes {
		k = k[:maxKeyBytes]
	}
	return hex.EncodeToString(k)
}

// MaxKeyLen is the longest Key, for a cursor check.
const MaxKeyLen = 2 * maxKeyBytes
