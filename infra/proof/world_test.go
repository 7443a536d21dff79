package proof_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// t0 is where the clock stands, for the whole of a suite: early in a
// minute (API keys count requests a minute), and never moved, so that
// every attempt of an operation writes the same times.
var t0 = time.Date(2026, 11, 26, 9, 0, 5, 0, time.UTC)

// world is the product on the embedded DynamoDB server, every route on the
// real mux behind the real token verification, with a DynamoDB client
// that counts calls and fails the one it is told to (faults).
type world struct {
	t      testing.TB
	db     *dynamotest.Env
	faults *faults
	clock  *apitest.Clock
	api    *apitest.Client
	links  conversations.Links
	// areas and handler are the current instance of the functions (see
	// fresh); its settings cache is the instance's own.
	areas   *wiring.Areas
	handler http.Handler
}

func newWorld(t testing.TB) *world {
	t.Helper()
	db := dynamotest.New(t)
	w := &world{t: t, db: db, faults: &faults{Client: db.Client}, clock: apitest.NewClock(t0),
		links: conversations.Links{Ring: linktoken.Generate("proof"), BaseURL: "https://arende.example"}}
	w.fresh()
	w.api = apitest.NewClient(t, w.clock, w.areas.AllRoutes())
	w.handler = w.api.Handler()
	return w
}

// fresh builds the areas again, as a cold function instance: nothing is
// cached, so every attempt of an operation makes the same calls.
func (w *world) fresh() {
	table := dynamo.Table{Client: w.faults, Name: dynamotest.TableName}
	w.areas = wiring.New(table, w.clock.Now, wiring.WithLinks(w.links))
	if w.api != nil {
		w.handler = w.api.Mount(w.areas.AllRoutes())
	}
}

// do sends r through the current instance.
func (w *world) do(r request) apitest.Response {
	w.t.Helper()
	return w.api.DoWith(w.handler, r.as, r.method, r.path, r.body, r.headers...)
}

// request is one call of an operation.
type request struct {
	as      *identity.Principal // nil: no token
	method  string
	path    string
	body    any // nil, string or []byte as is, anything else as JSON
	headers []string
}

// faults is the DynamoDB client the areas use: the embedded server's,
// counting every call, and failing call number failAt (from 1; 0 fails
// none) with a throttling or server error. With lost, the failing call
// is made and only its answer lost: a write that took effect although its
// caller saw it fail.
type faults struct {
	dynamo.Client

	mu     sync.Mutex
	calls  int
	failAt int
	lost   bool
	ops    []string // the calls made, in order
}

// arm resets the count and fails call n (0: none).
func (f *faults) arm(n int, lost bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls, f.failAt, f.lost, f.ops = 0, n, lost, nil
}

// made returns the calls made since arm.
func (f *faults) made() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.ops)
}

// next counts a call of op: fail says it is the one to fail, before
// whether the failure comes before the call is made.
func (f *faults) next(op string) (n int, fail, before bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.ops = append(f.ops, op)
	fail = f.calls == f.failAt
	return f.calls, fail, fail && !f.lost
}

// injected is the failure of call n: throttling for odd calls, a server
// error for even ones (both of which DynamoDB answers under load).
func injected(n int) error {
	msg := aws.String(fmt.Sprintf("injected at call %d", n))
	if n%2 == 1 {
		return &types.ProvisionedThroughputExceededException{Message: msg}
	}
	return &types.InternalServerError{Message: msg}
}

func call[In, Out any](f *faults, op string, do func(context.Context, In, ...func(*dynamodb.Options)) (Out, error), ctx context.Context, in In, opts []func(*dynamodb.Options)) (Out, error) {
	var zero Out
	n, fail, before := f.next(op)
	if before {
		return zero, injected(n)
	}
	out, err := do(ctx, in, opts...)
	if fail {
		return zero, injected(n)
	}
	return out, err
}

func (f *faults) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return call(f, "GetItem", f.Client.GetItem, ctx, in, o)
}

func (f *faults) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return call(f, "Query", f.Client.Query, ctx, in, o)
}

func (f *faults) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	return call(f, "BatchGetItem", f.Client.BatchGetItem, ctx, in, o)
}

func (f *faults) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	return call(f, "UpdateItem", f.Client.UpdateItem, ctx, in, o)
}

func (f *faults) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	return call(f, "TransactWriteItems", f.Client.TransactWriteItems, ctx, in, o)
}

var _ dynamo.Client = (*faults)(nil)

// writes reports whether a DynamoDB call can change the table.
func writes(op string) bool { return op == "UpdateItem" || op == "TransactWriteItems" }

// snapshot is every item of the table.
type snapshot []dynamo.Item

// scan reads the whole table, past the faults (the suites' own reads are
// not the operation's calls).
func (w *world) scan() snapshot {
	w.t.Helper()
	var items snapshot
	var start map[string]types.AttributeValue
	for {
		out, err := w.db.Client.Scan(context.Background(), &dynamodb.ScanInput{
			TableName: aws.String(dynamotest.TableName), ExclusiveStartKey: start})
		if err != nil {
			w.t.Fatalf("scan: %v", err)
		}
		items = append(items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return items
		}
		start = out.LastEvaluatedKey
	}
}

// restore makes the table hold exactly s again.
func (w *world) restore(s snapshot) {
	w.t.Helper()
	if err := w.db.Server.ClearTable(dynamotest.TableName); err != nil {
		w.t.Fatalf("clear table: %v", err)
	}
	for chunk := range slices.Chunk(s, 25) {
		reqs := make([]types.WriteRequest, len(chunk))
		for i, it := range chunk {
			reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
		}
		in := map[string][]types.WriteRequest{dynamotest.TableName: reqs}
		for len(in) > 0 {
			out, err := w.db.Client.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: in})
			if err != nil {
				w.t.Fatalf("restore: %v", err)
			}
			in = out.UnprocessedItems
		}
	}
}

// dump is a table as text, one line per item ("PK | SK" → its attributes
// in a fixed order), to compare two states of it.
type dump map[string]string

// dump is s as text, without the attributes named in ignore.
func (s snapshot) dump(ignore ...string) dump {
	d := make(dump, len(s))
	for _, it := range s {
		kept := make(dynamo.Item, len(it))
		for k, v := range it {
			if !slices.Contains(ignore, k) {
				kept[k] = v
			}
		}
		d[render(it[dynamo.AttrPK])+" | "+render(it[dynamo.AttrSK])] = render(&types.AttributeValueMemberM{Value: kept})
	}
	return d
}

// keyUse are the attributes an API key's every use moves (README: API
// keys): its count this minute and when it was last used. Reading with a
// key is a write of these, by design.
var keyUse = []string{"rateMinute", "rateCount", "lastUsedAt"}

// render writes an attribute value canonically: maps in key order.
func render(v types.AttributeValue) string {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return strconv.Quote(v.Value)
	case *types.AttributeValueMemberN:
		return v.Value
	case *types.AttributeValueMemberBOOL:
		return strconv.FormatBool(v.Value)
	case *types.AttributeValueMemberNULL:
		return "null"
	case *types.AttributeValueMemberB:
		return fmt.Sprintf("b%x", v.Value)
	case *types.AttributeValueMemberSS:
		s := slices.Sorted(slices.Values(v.Value))
		return "SS" + fmt.Sprint(s)
	case *types.AttributeValueMemberNS:
		s := slices.Sorted(slices.Values(v.Value))
		return "NS" + fmt.Sprint(s)
	case *types.AttributeValueMemberL:
		parts := make([]string, len(v.Value))
		for i, e := range v.Value {
			parts[i] = render(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case *types.AttributeValueMemberM:
		keys := make([]string, 0, len(v.Value))
		for k := range v.Value {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + render(v.Value[k])
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	return fmt.Sprintf("%T", v)
}
