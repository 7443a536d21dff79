package dynamo_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// cursorNames are the key attributes of a list's cursor (a GSI's and
// the table's), and ownList the check a list makes of a position: its
// own partition.
var cursorNames = []string{dynamo.AttrPK, dynamo.AttrSK, dynamo.AttrGSI1PK, dynamo.AttrGSI1SK}

func ownList(key map[string]string) bool {
	return key[dynamo.AttrPK] == "T#acme#CASES#all" && key[dynamo.AttrGSI1PK] == "T#acme#CASES#all"
}

// FuzzDecodeCursor: whatever a client sends as a cursor, DecodeCursor
// never panics, refuses with 400 naming "cursor" anything that is not a
// position of the asking list, and what it takes is written back by
// EncodeCursor as a cursor it takes again, to the same position.
func FuzzDecodeCursor(f *testing.F) {
	good, err := dynamo.EncodeCursor(map[string]types.AttributeValue{
		dynamo.AttrPK: dynamo.S("T#acme#CASES#all"), dynamo.AttrSK: dynamo.S("2026-11-26T09:00:00.000Z#01jd4a7x9gq8w2t5k3m6n0p1rs"),
		dynamo.AttrGSI1PK: dynamo.S("T#acme#CASES#all"), dynamo.AttrGSI1SK: dynamo.S("2026-11-26T09:00:00.000Z#01jd4a7x9gq8w2t5k3m6n0p1rs")})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", "e30", "bnVsbA", "W10", good + "=", strings.Repeat("A", 1025), "eyJQSyI6IiJ9", good[:len(good)/2]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cursor string) {
		start, err := dynamo.DecodeCursor(cursor, cursorNames, ownList)
		if err != nil {
			e, ok := errors.AsType[*problem.Error](err)
			if !ok || e.Code != problem.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
				t.Fatalf("cursor %q refused with %v, not a 400 naming cursor", cursor, err)
			}
			return
		}
		if len(start) != len(cursorNames) {
			t.Fatalf("cursor %q taken as %v", cursor, start)
		}
		again, err := dynamo.EncodeCursor(start, cursorNames...)
		if err != nil {
			t.Fatalf("position of %q does not encode: %v", cursor, err)
		}
		back, err := dynamo.DecodeCursor(again, cursorNames, ownList)
		if err != nil {
			t.Fatalf("cursor %q written back as %q is refused: %v", cursor, again, err)
		}
		for _, k := range cursorNames {
			if back[k].(*types.AttributeValueMemberS).Value != start[k].(*types.AttributeValueMemberS).Value {
				t.Fatalf("cursor %q written back moved %s", cursor, k)
			}
		}
	})
}

// FuzzCursorRoundTrip: every position a page can end at (key attributes
// of any text) is answered as a cursor that the same list takes back to
// the same position, as long as the cursor is within the bound a client
// may send (1024 characters: the product's longest positions, a name's
// collation key and an ID, make cursors of some 800), and refused past
// it.
func FuzzCursorRoundTrip(f *testing.F) {
	f.Add("2026-11-26T09:00:00.000Z#01jd4a7x9gq8w2t5k3m6n0p1rs", "2026-12-01T09:00:00.000Z#01jd4a7x9gq8w2t5k3m6n0p1rs")
	f.Add("ä\"\\\u0000", "}{")
	f.Fuzz(func(t *testing.T, sk, gsk string) {
		if sk == "" || gsk == "" || len(sk) > 400 || len(gsk) > 400 || !utf8.ValidString(sk) || !utf8.ValidString(gsk) {
			return // no key attribute is empty, and DynamoDB's are UTF-8; sort keys are short
		}
		key := map[string]types.AttributeValue{dynamo.AttrPK: dynamo.S("T#acme#CASES#all"), dynamo.AttrSK: dynamo.S(sk),
			dynamo.AttrGSI1PK: dynamo.S("T#acme#CASES#all"), dynamo.AttrGSI1SK: dynamo.S(gsk)}
		cursor, err := dynamo.EncodeCursor(key, cursorNames...)
		if err != nil {
			t.Fatal(err)
		}
		start, err := dynamo.DecodeCursor(cursor, cursorNames, ownList)
		if len(cursor) > 1024 {
			if err == nil {
				t.Fatalf("a cursor of %d characters is taken", len(cursor))
			}
			return
		}
		if err != nil {
			t.Fatalf("the cursor of %q/%q is refused: %v", sk, gsk, err)
		}
		if start[dynamo.AttrSK].(*types.AttributeValueMemberS).Value != sk || start[dynamo.AttrGSI1SK].(*types.AttributeValueMemberS).Value != gsk {
			t.Fatalf("the cursor of %q/%q leads to %v", sk, gsk, start)
		}
	})
}
