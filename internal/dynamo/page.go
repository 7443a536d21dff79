package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// PageQuery is one page of a list: the Query that reads the list (key
// condition, index, direction; no Limit, no start key), the page size, the
// cursor the client sent, and what a cursor of this list holds.
type PageQuery struct {
	Input  *dynamodb.QueryInput
	Limit  int
	Cursor string
	// KeyNames are the key attributes of a position in the list: the
	// table's, and the index's when Input reads one.
	KeyNames []string
	// Valid accepts only a position of this very list (its own partition,
	// a sort key its query can reach), so that a cursor of another list or
	// tenant is refused, never read.
	Valid func(key map[string]string) bool
}

// Page reads one page: every list pages this way. It asks for one item
// more than the page holds, so a cursor is answered only when another item
// follows: a cursor never leads to an empty page. The cursor is the key of
// the page's last item. One Query, unless DynamoDB stops early (1 MB read):
// then it reads on until the page is full or the list ends.
func (t Table) Page(ctx context.Context, op string, q PageQuery) (items []Item, next string, err error) {
	in := *q.Input
	in.TableName = aws.String(t.Name)
	if q.Cursor != "" {
		if in.ExclusiveStartKey, err = DecodeCursor(q.Cursor, q.KeyNames, q.Valid); err != nil {
			return nil, "", err
		}
	}
	for {
		in.Limit = aws.Int32(int32(q.Limit + 1 - len(items)))
		out, err := t.Client.Query(ctx, &in)
		if err != nil {
			return nil, "", Unavailable(op, err)
		}
		items = append(items, out.Items...)
		if len(items) > q.Limit || len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if len(items) > q.Limit {
		items = items[:q.Limit]
		next, err = EncodeCursor(items[len(items)-1], q.KeyNames...)
	}
	return items, next, err
}
