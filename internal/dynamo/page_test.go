package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/problem"
)

// TestFilteredPages: a filtered page reads max(limit+1, 25) items first
// and four times more while its page is not full, never more than its
// bound in all; it answers the kept items in order, and its cursors lead
// through the whole list without a gap or a repeat. A cursor is refused
// with another tag or of another partition.
func TestFilteredPages(t *testing.T) {
	env := dynamotest.New(t)
	ctx := context.Background()
	for _, pk := range []string{"P", "Q"} {
		for i := range 300 {
			it := dynamo.Key(pk, fmt.Sprintf("%03d", i))
			it["n"] = dynamo.N(int64(i))
			if _, err := env.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(env.Table.Name), Item: it}); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(limit int, cursor, tag string, every int64) dynamo.PageQuery {
		return dynamo.PageQuery{
			Input: &dynamodb.QueryInput{KeyConditionExpression: aws.String("PK = :pk"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("P")}},
			Limit: limit, Cursor: cursor, KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
			Valid:    func(k map[string]string) bool { return k[dynamo.AttrPK] == "P" },
			Keep:     func(it dynamo.Item) bool { return every > 0 && dynamo.Int(it, "n")%every == 0 },
			Evaluate: 200, Tag: tag,
		}
	}
	walk := func(limit int, every int64) (got []string, queries []int) {
		cursor := ""
		for page := 0; page < 100; page++ {
			env.Counter.Reset()
			items, next, err := env.Table.Page(ctx, "page", query(limit, cursor, "t1", every))
			if err != nil {
				t.Fatal(err)
			}
			queries = append(queries, env.Counter.Total())
			for _, it := range items {
				got = append(got, it[dynamo.AttrSK].(*types.AttributeValueMemberS).Value)
			}
			if cursor = next; cursor == "" {
				return got, queries
			}
		}
		t.Fatal("the cursor never ends")
		return nil, nil
	}
	// Dense: every page is one Query.
	got, queries := walk(10, 1)
	if len(got) != 300 || got[0] != "000" || got[299] != "299" || slices.ContainsFunc(queries, func(n int) bool { return n != 1 }) {
		t.Errorf("dense: %d items, queries per page %v", len(got), queries)
	}
	// Sparse: 25, then 100 more, then the rest of the bound.
	got, queries = walk(2, 50)
	if want := []string{"000", "050", "100", "150", "200", "250"}; !slices.Equal(got, want) || !slices.Equal(queries, []int{2, 3, 3}) {
		t.Errorf("sparse: %v with queries per page %v", got, queries)
	}
	// None kept: a page reads its bound (25 + 100 + 75) and answers where it
	// stopped; the next reads the last 100.
	got, queries = walk(2, 0)
	if len(got) != 0 || !slices.Equal(queries, []int{3, 2}) {
		t.Errorf("none kept: %v with queries per page %v", got, queries)
	}

	_, next, err := env.Table.Page(ctx, "page", query(1, "", "t1", 1))
	if err != nil || next == "" {
		t.Fatalf("no cursor: %v", err)
	}
	if _, _, err := env.Table.Page(ctx, "page", query(1, next, "t2", 1)); problem.CodeOf(err) != problem.Invalid || !strings.Contains(err.Error(), "cursor") {
		t.Errorf("a cursor with another tag: %v", err)
	}
	other := query(1, next, "t1", 1)
	other.Valid = func(k map[string]string) bool { return k[dynamo.AttrPK] == "Q" }
	if _, _, err := env.Table.Page(ctx, "page", other); problem.CodeOf(err) != problem.Invalid {
		t.Errorf("a cursor of another partition: %v", err)
	}
	if _, _, err := env.Table.Page(ctx, "page", query(1, next, "t1", 1)); err != nil {
		t.Errorf("its own cursor: %v", err)
	}
}

// TestGetMany: one BatchGetItem answers the items that exist, by key.
func TestGetMany(t *testing.T) {
	env := dynamotest.New(t)
	ctx := context.Background()
	for i := range 3 {
		if _, err := env.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(env.Table.Name), Item: dynamo.Key("P", fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	env.Counter.Reset()
	got, err := env.Table.GetMany(ctx, "get", []dynamo.Item{dynamo.Key("P", "0"), dynamo.Key("P", "2"), dynamo.Key("P", "9")})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[[2]string{"P", "2"}] == nil || env.Counter.Snapshot()["BatchGetItem"] != 1 || env.Counter.Total() != 1 {
		t.Errorf("got %v with %v", got, env.Counter.Snapshot())
	}
}
