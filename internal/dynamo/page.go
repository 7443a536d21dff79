package dynamo

import (
	"context"
	"maps"
	"slices"

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

	// Keep, when set, filters the list in the function: the page then
	// reads at most Evaluate items (see filteredPage), and answers those
	// Keep accepts, up to Limit. Such a page may be short, and its cursor
	// may lead to an empty page, when fewer than Limit of the items read
	// were kept. (Items a FilterExpression drops cost DynamoDB's read units
	// all the same: filtering here reads what it would, and behaves alike
	// on every DynamoDB-compatible server.)
	Keep     func(Item) bool
	Evaluate int
	// Tag, when set, is carried by the page's cursor, and a cursor is
	// accepted only with the same tag: it names what else decides the
	// page (the filters of Keep), so that a cursor of the same partition
	// read with other filters is refused.
	Tag string
}

// cursorTag is the name of the tag in a cursor (see PageQuery.Tag).
const cursorTag = "tag"

// Page reads one page: every list pages this way. It asks for one item
// more than the page holds, so a cursor is answered only when another item
// follows: a cursor never leads to an empty page. The cursor is the key of
// the page's last item. One Query, unless DynamoDB stops early (1 MB read):
// then it reads on until the page is full or the list ends. A filtered
// page (Keep) reads as filteredPage says.
func (t Table) Page(ctx context.Context, op string, q PageQuery) (items []Item, next string, err error) {
	in := *q.Input
	in.TableName = aws.String(t.Name)
	if q.Cursor != "" {
		if in.ExclusiveStartKey, err = q.start(); err != nil {
			return nil, "", err
		}
	}
	if q.Keep != nil {
		return t.filteredPage(ctx, op, q, &in)
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
		next, err = q.cursorAt(items[len(items)-1])
	}
	return items, next, err
}

// firstRead is the least a filtered page reads with its first Query.
const firstRead = 25

// filteredPage is a page of the items Keep accepts among at most Evaluate
// items read. It reads max(Limit+1, firstRead) items first, so that a page
// whose items mostly match costs one Query that reads little more than it
// answers; while the page is not full it reads on, each Query four times
// the one before, until Evaluate items are read (at most three Queries
// with the bounds of the lists, 200 and a page of at least 1). Its cursor
// is the last item answered when a kept item follows it, else where the
// reading stopped, if that was before the list's end.
func (t Table) filteredPage(ctx context.Context, op string, q PageQuery, in *dynamodb.QueryInput) ([]Item, string, error) {
	items := []Item{}
	read, chunk := 0, max(q.Limit+1, firstRead)
	for {
		in.Limit = aws.Int32(int32(min(chunk, q.Evaluate-read)))
		out, err := t.Client.Query(ctx, in)
		if err != nil {
			return nil, "", Unavailable(op, err)
		}
		read += len(out.Items)
		for _, it := range out.Items {
			if !q.Keep(it) {
				continue
			}
			if len(items) == q.Limit {
				next, err := q.cursorAt(items[len(items)-1])
				return items, next, err
			}
			items = append(items, it)
		}
		if len(out.LastEvaluatedKey) == 0 {
			return items, "", nil
		}
		if read >= q.Evaluate {
			next, err := q.cursorAt(out.LastEvaluatedKey)
			return items, next, err
		}
		in.ExclusiveStartKey, chunk = out.LastEvaluatedKey, chunk*4
	}
}

// names are the attributes of a cursor of q.
func (q PageQuery) names() []string {
	if q.Tag == "" {
		return q.KeyNames
	}
	return append(slices.Clone(q.KeyNames), cursorTag)
}

// cursorAt is the cursor of the position of key (an item or a
// LastEvaluatedKey), with q's tag.
func (q PageQuery) cursorAt(key Item) (string, error) {
	if q.Tag != "" {
		key = maps.Clone(key)
		key[cursorTag] = S(q.Tag)
	}
	return EncodeCursor(key, q.names()...)
}

// start reads the client's cursor back into a start key, refusing one of
// another list, or of the same list with another tag.
func (q PageQuery) start() (Item, error) {
	valid := func(k map[string]string) bool { return (q.Tag == "" || k[cursorTag] == q.Tag) && q.Valid(k) }
	key, err := DecodeCursor(q.Cursor, q.names(), valid)
	delete(key, cursorTag)
	return key, err
}
