package dynamo

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/problem"
)

// maxCursor bounds a cursor a client may send; real ones are a few hundred
// characters.
const maxCursor = 1024

// EncodeCursor writes the position a page ended at as an opaque cursor:
// the base64url of the JSON of the named key attributes of key (all of
// them when names is empty). No position, no cursor.
func EncodeCursor(key map[string]types.AttributeValue, names ...string) (string, error) {
	if len(key) == 0 {
		return "", nil
	}
	if len(names) == 0 {
		for k := range key {
			names = append(names, k)
		}
	}
	m := make(map[string]string, len(names))
	for _, k := range names {
		s, ok := key[k].(*types.AttributeValueMemberS)
		if !ok {
			return "", problem.Wrap(problem.Internal, fmt.Errorf("cursor key %s is not a string", k), "")
		}
		m[k] = s.Value
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", problem.Wrap(problem.Internal, err, "")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// DecodeCursor reads a cursor back into a start key, refusing (400 naming
// "cursor") anything that is not a position of the list asking: exactly
// the key attributes names, none empty, and valid as ok judges them (the
// list's own partition, a sort key its query can reach). A cursor of
// another list or tenant is refused, never read.
func DecodeCursor(cursor string, names []string, ok func(key map[string]string) bool) (map[string]types.AttributeValue, error) {
	bad := problem.FieldInvalid("cursor", "is not a cursor this list answered; start again without it")
	if len(cursor) > maxCursor {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil || len(m) != len(names) {
		return nil, bad
	}
	start := make(map[string]types.AttributeValue, len(names))
	for _, k := range names {
		v, found := m[k]
		if !found || v == "" {
			return nil, bad
		}
		start[k] = S(v)
	}
	if !ok(m) {
		return nil, bad
	}
	return start, nil
}
