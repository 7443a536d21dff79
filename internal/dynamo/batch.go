package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/problem"
)

// MaxBatchGet is the most keys one BatchGetItem takes.
const MaxBatchGet = 100

// GetMany reads the items at keys (at most MaxBatchGet) with one
// BatchGetItem, eventually consistent, and answers them by key: an item
// that does not exist is absent from the answer. Keys DynamoDB leaves
// unprocessed (throttling) are asked again after a pause, a few times.
func (t Table) GetMany(ctx context.Context, op string, keys []Item) (map[[2]string]Item, error) {
	return t.getMany(ctx, op, keys, false)
}

// GetManyConsistent is GetMany with strongly consistent reads: for what a
// write is about to be based on.
func (t Table) GetManyConsistent(ctx context.Context, op string, keys []Item) (map[[2]string]Item, error) {
	return t.getMany(ctx, op, keys, true)
}

func (t Table) getMany(ctx context.Context, op string, keys []Item, consistent bool) (map[[2]string]Item, error) {
	if len(keys) > MaxBatchGet {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("%s: %d keys in one batch", op, len(keys)), "")
	}
	found := make(map[[2]string]Item, len(keys))
	for attempt := 0; len(keys) > 0; attempt++ {
		if attempt > 0 {
			if attempt == 4 {
				return nil, problem.New(problem.Unavailable, "The database is busy; try again shortly.")
			}
			if err := Pause(ctx, attempt); err != nil {
				return nil, Unavailable(op, err)
			}
		}
		out, err := t.Client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
			RequestItems: map[string]types.KeysAndAttributes{t.Name: {Keys: keys, ConsistentRead: aws.Bool(consistent)}},
		})
		if err != nil {
			return nil, Unavailable(op, err)
		}
		for _, it := range out.Responses[t.Name] {
			found[KeyOf(it)] = it
		}
		keys = out.UnprocessedKeys[t.Name].Keys
	}
	return found, nil
}

// KeyOf is the table key of an item (or of a key), for maps.
func KeyOf(it Item) [2]string {
	var k [2]string
	if pk, ok := it[AttrPK].(*types.AttributeValueMemberS); ok {
		k[0] = pk.Value
	}
	if sk, ok := it[AttrSK].(*types.AttributeValueMemberS); ok {
		k[1] = sk.Value
	}
	return k
}
