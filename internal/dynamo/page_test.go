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

// TestFilteredPages: a filtered page reads at most its bound with one
// Query, answers the kept items in order, and its cursors lead through
// the whole list without a gap or a repeat; a cursor is refused with
// another tag or of another partition.
func TestFilteredPages(t *testing.T) {
	env := dynamotest.New(t)
	ctx := context.Background()
	for _, pk := range []string{"P", "Q"} {
		for i := range 30 {
			it := dynamo.Key(pk, fmt.Sprintf("%02d", i))
			it["n"] = dynamo.N(int64(i))
			if _, err := env.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(env.Table.Name), Item: it}); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(limit int, cursor, tag string) dynamo.PageQuery {
		return dynamo.PageQuery{
			Input: &dynamodb.QueryInput{KeyConditionExpression: aws.String("PK = :pk"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("P")}},
			Limit: limit, Cursor: cursor, KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
			Valid:    func(k map[string]string) bool { return k[dynamo.AttrPK] == "P" },
			Keep:     func(it dynamo.Item) bool { return dynamo.Int(it, "n")%3 == 0 }, // 10 of the 30
			Evaluate: 7, Tag: tag,
		}
	}
	var got []string
	cursor, pages := "", 0
	for {
		env.Counter.Reset()
		items, next, err := env.Table.Page(ctx, "page", query(2, cursor, "t1"))
		if err != nil {
			t.Fatal(err)
		}
		if n := env.Counter.Total(); n != 1 {
			t.Errorf("page %d: %d round trips", pages, n)
		}
		for _, it := range items {
			got = append(got, it[dynamo.AttrSK].(*types.AttributeValueMemberS).Value)
		}
		pages++
		if cursor = next; cursor == "" || pages > 20 {
			break
		}
	}
	want := []string{"00", "03", "06", "09", "12", "15", "18", "21", "24", "27"}
	if !slices.Equal(got, want) {
		t.Errorf("pages gave %v, want %v", got, want)
	}
	if pages < 5 || pages > 6 {
		t.Errorf("%d pages of 2 from reads of 7", pages)
	}

	_, next, err := env.Table.Page(ctx, "page", query(1, "", "t1"))
	if err != nil || next == "" {
		t.Fatalf("no cursor: %v", err)
	}
	if _, _, err := env.Table.Page(ctx, "page", query(1, next, "t2")); problem.CodeOf(err) != problem.Invalid || !strings.Contains(err.Error(), "cursor") {
		t.Errorf("a cursor with another tag: %v", err)
	}
	other := query(1, next, "t1")
	other.Valid = func(k map[string]string) bool { return k[dynamo.AttrPK] == "Q" }
	if _, _, err := env.Table.Page(ctx, "page", other); problem.CodeOf(err) != problem.Invalid {
		t.Errorf("a cursor of another partition: %v", err)
	}
	if _, _, err := env.Table.Page(ctx, "page", query(1, next, "t1")); err != nil {
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
