package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/apikeys"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Idempotency. A POST /v1/external/cases with an Idempotency-Key writes a
// record of its answer in the case's own transaction: a Put on the key's
// item (dynamo.IdempotencyPK: the tenant, the API key's ID and the
// SHA-256 of the header) conditioned on there being none, or only an
// expired one. So the record exists exactly when its case does, and
// holds the first answer:
//
//   - A later request with the key finds the record in its first read
//     (the BatchGetItem that also reads the API key) and answers it again
//     when its body is the same (with Idempotent-Replayed: true), 422 when
//     it is another; nothing is created.
//   - Requests with the key at the same moment all pass that read; their
//     transactions race and one commits. The others fail on the record's
//     condition (or conflict and retry, then fail on it), give their case
//     number back when they can, read the record and answer as above.
//
// Records expire after recordTTL: the table's TTL removes them (expiresAt,
// Unix seconds), and one found expired but not yet removed counts as
// none. Only creates are recorded: a refused request (400, 403, 422, 429)
// may be sent again with its key, corrected.

// recordTTL is how long an Idempotency-Key's first answer is kept.
const recordTTL = 24 * time.Hour

// kindRecord is the kind of an idempotency record.
const kindRecord = "IDEMPOTENCY"

// errReplayed is what the record's condition means when it fails: a
// request with the key committed first.
var errReplayed = errors.New("a request with the Idempotency-Key was answered first")

// record is what an idempotency record keeps: the hash of the request's
// body, and the answer.
type record struct {
	BodyHash string          `json:"bodyHash"`
	Status   int             `json:"status"`
	Body     json.RawMessage `json:"body"`
}

// recordKey is the key of the record of the API key's Idempotency-Key.
func recordKey(key apikeys.Presented, idemKey string) dynamo.Item {
	sum := sha256.Sum256([]byte(idemKey))
	return dynamo.Key(dynamo.IdempotencyPK(key.Tenant, key.ID+"#"+hex.EncodeToString(sum[:])), dynamo.IdempotencySK)
}

// bodyHash is the SHA-256 of a request's content: of its decoded body
// written again, so that the order of its fields and its spacing do not
// make another body.
func bodyHash(in any) string {
	b, _ := json.Marshal(in) // decoded from JSON: it encodes
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// recordPut is the write of the record of a create's answer, for the
// case's transaction.
func recordPut(key dynamo.Item, rec record, now time.Time) (dynamo.Write, error) {
	it := dynamo.Key(dynamo.KeyOf(key)[0], dynamo.KeyOf(key)[1])
	data, err := dynamo.Data(rec)
	if err != nil {
		return dynamo.Write{}, problem.Wrap(problem.Internal, fmt.Errorf("marshal idempotency record: %w", err), "")
	}
	it[dynamo.AttrKind], it[dynamo.AttrData] = dynamo.S(kindRecord), data
	it[dynamo.AttrTTL] = dynamo.N(now.Add(recordTTL).Unix())
	unused := dynamo.Cond{Expr: "attribute_not_exists(PK) OR #exp < :now", Names: map[string]string{"#exp": dynamo.AttrTTL},
		Values: map[string]types.AttributeValue{":now": dynamo.N(now.Unix())}}
	return dynamo.Put(it, unused, errReplayed), nil
}

// decodeRecord reads a record as found (nil: none); an expired one is
// none.
func decodeRecord(it dynamo.Item, now time.Time) (*record, error) {
	if it == nil || dynamo.Int(it, dynamo.AttrTTL) < now.Unix() {
		return nil, nil
	}
	var rec record
	if err := dynamo.DecodeData(it, &rec); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode idempotency record: %w", err), "")
	}
	return &rec, nil
}

// readRecord reads a record strongly consistently (nil: none).
func (s *Service) readRecord(ctx context.Context, key dynamo.Item) (*record, error) {
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table.Name), Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, dynamo.Unavailable("get idempotency record", err)
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return decodeRecord(out.Item, s.now())
}

// firstRead is what a create reads before it writes, in one strongly
// consistent BatchGetItem: the API key's item, the index item of the
// sender's address, the Idempotency-Key's record.
type firstRead struct {
	key     dynamo.Item
	matches []customers.EmailMatch
	record  *record
}

// readFirst reads the items of firstRead: email "" reads no index item,
// recKey nil no record.
func (s *Service) readFirst(ctx context.Context, key apikeys.Presented, email string, recKey dynamo.Item) (*firstRead, error) {
	keys := []dynamo.Item{apikeys.ItemKey(key)}
	var lookup customers.EmailLookup
	if email != "" {
		lookup = s.contacts.LookupEmail(key.Tenant, email)
		keys = append(keys, lookup.Key())
	}
	if recKey != nil {
		keys = append(keys, recKey)
	}
	found, err := s.table.GetManyConsistent(ctx, "read API key, contact and record", keys)
	if err != nil {
		return nil, err
	}
	out := &firstRead{key: found[dynamo.KeyOf(apikeys.ItemKey(key))]}
	if email != "" {
		if out.matches, err = lookup.Matches(found[dynamo.KeyOf(lookup.Key())]); err != nil {
			return nil, err
		}
	}
	if recKey != nil {
		if out.record, err = decodeRecord(found[dynamo.KeyOf(recKey)], s.now()); err != nil {
			return nil, err
		}
	}
	return out, nil
}
