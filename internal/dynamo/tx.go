package dynamo

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/problem"
)

// MaxTxWrites is the most writes DynamoDB takes in one transaction.
const MaxTxWrites = 100

// Item is a stored item, by attribute name.
type Item = map[string]types.AttributeValue

// Key is the table key of an item.
func Key(pk, sk string) Item { return Item{AttrPK: S(pk), AttrSK: S(sk)} }

// Cond is a condition expression with the names and values it uses. The
// zero Cond is no condition.
type Cond struct {
	Expr   string
	Names  map[string]string
	Values map[string]types.AttributeValue
}

// NotExists is the condition of a write that creates its item.
func NotExists() Cond { return Cond{Expr: "attribute_not_exists(PK)"} }

// Exists is the condition of a write that needs its item to be there.
func Exists() Cond { return Cond{Expr: "attribute_exists(PK)"} }

// VersionIs is the condition of a write based on version v of its item.
func VersionIs(v int64) Cond {
	return Cond{Expr: "#ver = :ver", Names: map[string]string{"#ver": AttrVer},
		Values: map[string]types.AttributeValue{":ver": N(v)}}
}

// And is c with more of a condition: both must hold. Names and values of
// the two must not collide.
func (c Cond) And(o Cond) Cond {
	switch {
	case c.Expr == "":
		return o
	case o.Expr == "":
		return c
	}
	return Cond{Expr: "(" + c.Expr + ") AND (" + o.Expr + ")", Names: merged(c.Names, o.Names), Values: merged(c.Values, o.Values)}
}

// merged is a new map holding the entries of a and b.
func merged[V any](a, b map[string]V) map[string]V {
	out := make(map[string]V, len(a)+len(b))
	maps.Copy(out, a)
	maps.Copy(out, b)
	return out
}

func (c Cond) expr() *string {
	if c.Expr == "" {
		return nil
	}
	return aws.String(c.Expr)
}

func (c Cond) names() map[string]string {
	if len(c.Names) == 0 {
		return nil
	}
	return c.Names
}

func (c Cond) values() map[string]types.AttributeValue {
	if len(c.Values) == 0 {
		return nil
	}
	return c.Values
}

// Write is one write of a transaction, with the error it means when its
// condition does not hold. The error travels with the write, so that no
// caller has to work out from a position in the transaction which rule a
// request broke.
type Write struct {
	op    types.TransactWriteItem
	fails error
}

// Fails is the error a failed condition of w means.
func (w Write) Fails() error { return w.fails }

// Meaning returns w with another meaning of its failed condition: a check
// handed over by another area gets the words of the request it is in.
func (w Write) Meaning(fails error) Write { w.fails = fails; return w }

// Put writes item whole, if c holds.
func Put(item Item, c Cond, fails error) Write {
	return Write{op: types.TransactWriteItem{Put: &types.Put{Item: item,
		ConditionExpression: c.expr(), ExpressionAttributeNames: c.names(), ExpressionAttributeValues: c.values()}}, fails: fails}
}

// Update is an in-place change of the item at key: set is an update
// expression ("SET #a = :a", "ADD #n :one"), with its own names and values
// in u. It is made only if c holds.
type Update struct {
	Key    Item
	Set    string
	Names  map[string]string
	Values map[string]types.AttributeValue
}

// Change is the write of an in-place Update, if c holds.
func Change(u Update, c Cond, fails error) Write {
	both := Cond{Names: merged(u.Names, c.Names), Values: merged(u.Values, c.Values)}
	return Write{op: types.TransactWriteItem{Update: &types.Update{Key: u.Key, UpdateExpression: aws.String(u.Set),
		ConditionExpression: c.expr(), ExpressionAttributeNames: both.names(), ExpressionAttributeValues: both.values()}}, fails: fails}
}

// Delete removes the item at key, if c holds.
func Delete(key Item, c Cond, fails error) Write {
	return Write{op: types.TransactWriteItem{Delete: &types.Delete{Key: key,
		ConditionExpression: c.expr(), ExpressionAttributeNames: c.names(), ExpressionAttributeValues: c.values()}}, fails: fails}
}

// Check writes nothing; the transaction commits only if c holds on the
// item at key.
func Check(key Item, c Cond, fails error) Write {
	return Write{op: types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{Key: key,
		ConditionExpression: c.expr(), ExpressionAttributeNames: c.names(), ExpressionAttributeValues: c.values()}}, fails: fails}
}

// errNoMeaning is what Commit answers when a condition failed on a write
// that said nothing of what that means: a bug of the write's author.
var errNoMeaning = errors.New("a condition failed on a write without a meaning")

// Commit runs the writes as one transaction: all of them or none. When it
// is cancelled because conditions failed, it answers the meaning of the
// first of them, in the order given; a conflict with another transaction,
// throttling and server errors answer 503 (see Unavailable), and Conflict
// tells them apart for a caller that retries.
func (t Table) Commit(ctx context.Context, op string, writes ...Write) error {
	if len(writes) == 0 {
		return nil
	}
	if len(writes) > MaxTxWrites {
		return problem.Wrap(problem.Internal, fmt.Errorf("%s: %d writes in one transaction", op, len(writes)), "")
	}
	items := make([]types.TransactWriteItem, len(writes))
	table := aws.String(t.Name)
	for i, w := range writes {
		items[i] = w.op
		switch it := &items[i]; {
		case it.Put != nil:
			p := *it.Put
			p.TableName = table
			it.Put = &p
		case it.Update != nil:
			u := *it.Update
			u.TableName = table
			it.Update = &u
		case it.Delete != nil:
			d := *it.Delete
			d.TableName = table
			it.Delete = &d
		case it.ConditionCheck != nil:
			c := *it.ConditionCheck
			c.TableName = table
			it.ConditionCheck = &c
		}
	}
	_, err := t.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	if tc, ok := errors.AsType[*types.TransactionCanceledException](err); ok {
		for i, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) != "ConditionalCheckFailed" || i >= len(writes) {
				continue
			}
			if writes[i].fails == nil {
				return problem.Wrap(problem.Internal, fmt.Errorf("%s: write %d: %w", op, i, errNoMeaning), "")
			}
			return writes[i].fails
		}
	}
	return Unavailable(op, err)
}

// NewItem is a stored object: its key, kind, version and JSON (see
// AttrData). An object whose JSON is larger than maxBytes is refused (413)
// before it reaches the table, naming noun.
func NewItem(pk, sk, kind string, version int64, v any, maxBytes int, noun string) (Item, error) {
	data, err := Data(v)
	if err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("marshal %s: %w", noun, err), "")
	}
	if n := len(data.(*types.AttributeValueMemberS).Value); n > maxBytes {
		return nil, problem.New(problem.TooLarge, "The %s would take %d bytes; at most %d are allowed. Shorten its texts or lists.", noun, n, maxBytes)
	}
	it := Key(pk, sk)
	it[AttrKind] = S(kind)
	it[AttrVer] = N(version)
	it[AttrData] = data
	return it, nil
}

// KindOf is the entity kind of a stored item, "" if it has none.
func KindOf(it Item) string {
	if k, ok := it[AttrKind].(*types.AttributeValueMemberS); ok {
		return k.Value
	}
	return ""
}
