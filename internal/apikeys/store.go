package apikeys

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// The storage of API keys. A tenant's keys are one partition
// (dynamo.APIKeysPK), one item each: the key's JSON (without its secret),
// and beside it, native for conditions, its SHA-256 (hash), its limit
// (rateLimit), the minute it last counted (rateMinute, Unix minutes) and
// how many requests it counted in it (rateCount), and lastUsedAt.
//
// The origins keys allow are indexed across tenants (dynamo.OriginPK), so
// that a CORS preflight, which carries no key, can be answered: one item
// per origin, one attribute per key, "k#<tenant>#<id>", "1" while the key
// allows it and "" after (a mark, as the e-mail index of customers keeps
// them: the embedded test server does not remove attributes).

// Item kinds and native attributes.
const (
	kindKey    = "APIKEY"
	kindOrigin = "ORIGIN"

	attrHash       = "hash"
	attrRateLimit  = "rateLimit"
	attrRateMinute = "rateMinute"
	attrRateCount  = "rateCount"
	attrLastUsed   = "lastUsedAt"

	originAttrPrefix = "k#"
)

// maxItemBytes bounds a key's JSON: the field bounds keep it far below.
const maxItemBytes = 32 << 10

// ErrKeyRefused is what a failed CountWrite means: the key was deleted,
// reached its limit, or counted a new minute after it was read. Refused
// says which.
var ErrKeyRefused = errors.New("the API key's count refused the request")

var errNotFound = problem.New(problem.NotFound, "There is no such API key.")

func keyOf(tenant, id string) dynamo.Item {
	return dynamo.Key(dynamo.APIKeysPK(tenant), dynamo.APIKeySK(id))
}

// keyItem is a new key's item.
func keyItem(tenant string, k *Key, hash string) (dynamo.Item, error) {
	stored := *k
	stored.LastUsedAt = nil
	it, err := dynamo.NewItem(dynamo.APIKeysPK(tenant), dynamo.APIKeySK(k.ID), kindKey, k.Version, &stored, maxItemBytes, "API key")
	if err != nil {
		return nil, err
	}
	it[attrHash], it[attrRateLimit] = dynamo.S(hash), dynamo.N(int64(k.RateLimitPerMinute))
	return it, nil
}

// decodeKey reads a key item.
func decodeKey(it dynamo.Item) (*Key, error) {
	var k Key
	if err := dynamo.DecodeData(it, &k); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode API key: %w", err), "")
	}
	if used, ok := it[attrLastUsed].(*types.AttributeValueMemberS); ok {
		if t, err := time.Parse(timestamp.Layout, used.Value); err == nil {
			k.LastUsedAt = timestamp.Ptr(t)
		}
	}
	return &k, nil
}

// originKey is the key of an origin's index item.
func originKey(origin string) dynamo.Item {
	return dynamo.Key(dynamo.OriginPK(origin), dynamo.OriginSK)
}

// originWrites mark the key's origins as allowed by it (on) or not.
func originWrites(tenant string, k *Key, on bool) []dynamo.Write {
	v := ""
	if on {
		v = "1"
	}
	var out []dynamo.Write
	for _, o := range k.Origins {
		out = append(out, dynamo.Change(dynamo.Update{Key: originKey(o), Set: "SET #kind = :kind, #k = :v",
			Names:  map[string]string{"#kind": dynamo.AttrKind, "#k": originAttrPrefix + tenant + "#" + k.ID},
			Values: map[string]types.AttributeValue{":kind": dynamo.S(kindOrigin), ":v": dynamo.S(v)}}, dynamo.Cond{}, nil))
	}
	return out
}

// store reads and writes API keys.
type store struct {
	table dynamo.Table
}

// list reads the tenant's keys, oldest first: one strongly consistent
// Query (a tenant has at most maxKeys).
func (st store) list(ctx context.Context, tenant string) ([]*Key, error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(st.table.Name),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :k)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S(dynamo.APIKeysPK(tenant)), ":k": dynamo.S(dynamo.APIKeySKPrefix)},
		ConsistentRead: aws.Bool(true),
	}
	out := []*Key{}
	for {
		page, err := st.table.Client.Query(ctx, in)
		if err != nil {
			return nil, dynamo.Unavailable("list API keys", err)
		}
		for _, it := range page.Items {
			k, err := decodeKey(it)
			if err != nil {
				return nil, err
			}
			out = append(out, k)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// item reads one key item strongly consistently; nil when there is none.
func (st store) item(ctx context.Context, tenant, id string) (dynamo.Item, error) {
	out, err := st.table.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(st.table.Name), Key: keyOf(tenant, id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, dynamo.Unavailable("get API key", err)
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// create stores a new key and its origins in one transaction.
func (st store) create(ctx context.Context, tenant string, k *Key, hash string) error {
	it, err := keyItem(tenant, k, hash)
	if err != nil {
		return err
	}
	taken := problem.Wrap(problem.Internal, fmt.Errorf("API key ID %s is taken", k.ID), "")
	return st.table.Commit(ctx, "create API key", append([]dynamo.Write{dynamo.Put(it, dynamo.NotExists(), taken)},
		originWrites(tenant, k, true)...)...)
}

// errKeyChanged: the key is not at the version read (or is gone).
var errKeyChanged = errors.New("the API key changed since it was read")

// remove deletes key k as read, and its origins, in one transaction.
func (st store) remove(ctx context.Context, tenant string, k *Key) error {
	return st.table.Commit(ctx, "delete API key", append([]dynamo.Write{
		dynamo.Delete(keyOf(tenant, k.ID), dynamo.VersionIs(k.Version), errKeyChanged)}, originWrites(tenant, k, false)...)...)
}

// originAllowed reports whether some key allows the origin: one GetItem
// of its index item.
func (st store) originAllowed(ctx context.Context, origin string) (bool, error) {
	out, err := st.table.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.table.Name), Key: originKey(origin)})
	if err != nil {
		return false, dynamo.Unavailable("get origin", err)
	}
	for name, v := range out.Item {
		if s, ok := v.(*types.AttributeValueMemberS); ok && strings.HasPrefix(name, originAttrPrefix) && s.Value != "" {
			return true, nil
		}
	}
	return false, nil
}

// minuteOf is the minute a request counts in: Unix minutes.
func minuteOf(now time.Time) int64 { return now.Unix() / 60 }

// countUpdate is the conditional write that counts a request of the
// presented key at now: in the minute the key counts already (or a later
// one, should another instance's clock be ahead), within its limit; or,
// for newMinute, starting a new minute when the key last counted an
// earlier one. Both hold only while the key's item is there with the
// key's hash: a deleted key counts nothing.
func countUpdate(p Presented, now time.Time, newMinute bool) (dynamo.Update, dynamo.Cond) {
	used, hash, minute := dynamo.S(dynamo.KeyTime(now)), dynamo.S(p.hash), dynamo.N(minuteOf(now))
	u := dynamo.Update{Key: keyOf(p.Tenant, p.ID), Set: "SET #used = :now ADD #cnt :one",
		Names:  map[string]string{"#used": attrLastUsed, "#cnt": attrRateCount},
		Values: map[string]types.AttributeValue{":now": used, ":one": dynamo.N(1)}}
	c := dynamo.Cond{Expr: "#h = :h AND #min >= :m AND #cnt < #lim",
		Names:  map[string]string{"#h": attrHash, "#min": attrRateMinute, "#cnt": attrRateCount, "#lim": attrRateLimit},
		Values: map[string]types.AttributeValue{":h": hash, ":m": minute}}
	if newMinute {
		u.Set = "SET #used = :now, #min = :m, #cnt = :one"
		u.Names["#min"], u.Values[":m"] = attrRateMinute, minute
		c = dynamo.Cond{Expr: "#h = :h AND (attribute_not_exists(#min) OR #min < :m)",
			Names: map[string]string{"#h": attrHash, "#min": attrRateMinute}, Values: map[string]types.AttributeValue{":h": hash, ":m": minute}}
	}
	return u, c
}

// countOnce makes one count of the key at now (see countUpdate) and
// answers the key's item after it; a refused count answers the item as it
// is (nil when there is none) and refused.
func (st store) countOnce(ctx context.Context, p Presented, now time.Time, newMinute bool) (it dynamo.Item, refused bool, err error) {
	u, c := countUpdate(p, now, newMinute)
	maps.Copy(c.Names, u.Names)
	maps.Copy(c.Values, u.Values)
	out, err := st.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(st.table.Name), Key: u.Key, UpdateExpression: aws.String(u.Set),
		ConditionExpression: aws.String(c.Expr), ExpressionAttributeNames: c.Names, ExpressionAttributeValues: c.Values,
		ReturnValues: types.ReturnValueAllNew, ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err == nil {
		return out.Attributes, false, nil
	}
	failed, ok := errors.AsType[*types.ConditionalCheckFailedException](err)
	if !ok {
		return nil, false, dynamo.Unavailable("count API key", err)
	}
	if failed.Item != nil {
		return failed.Item, true, nil
	}
	it, err = st.item(ctx, p.Tenant, p.ID) // a server that does not answer the item with the failure
	return it, true, err
}
