package conversations

// The storage of conversations: a message is an item of its case's
// partition (dynamo.MessageSK), so the conversation reads oldest first
// with one Query; a rate counter is an item of the case's partition too
// (dynamo.RateSK), removed by TTL after its window.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// itemKind is the kind attribute of a message item.
const itemKind = "MESSAGE"

// maxItemBytes bounds a stored message.
const maxItemBytes = 32 << 10

// errIDTaken: a new message's fresh ID is taken, which does not happen.
var errIDTaken = problem.Wrap(problem.Internal, errors.New("a new message's ID is taken"), "")

// messageWrite is the put of a new message.
func messageWrite(tenant, caseID string, m *Message) (dynamo.Write, error) {
	it, err := dynamo.NewItem(dynamo.CasePK(tenant, caseID), dynamo.MessageSK(dynamo.KeyTime(m.CreatedAt.Time), m.ID),
		itemKind, 1, m, maxItemBytes, "message")
	if err != nil {
		return dynamo.Write{}, err
	}
	return dynamo.Put(it, dynamo.NotExists(), errIDTaken), nil
}

// decode reads a stored message.
func decode(it dynamo.Item) (*Message, error) {
	if dynamo.KindOf(it) != itemKind {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("item of kind %q is not a message", dynamo.KindOf(it)), "")
	}
	var m Message
	if err := dynamo.DecodeData(it, &m); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode message: %w", err), "")
	}
	return &m, nil
}

// page reads a page of a case's conversation, oldest first (one Query).
func (s *Service) page(ctx context.Context, tenant, caseID string, limit int, cursor string) (httpapi.List[*Message], error) {
	pk := dynamo.CasePK(tenant, caseID)
	in := &dynamodb.QueryInput{
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S(pk), ":prefix": dynamo.S(dynamo.MessageSKPrefix)},
		ConsistentRead: aws.Bool(true),
	}
	items, next, err := s.table.Page(ctx, "list messages", dynamo.PageQuery{Input: in, Limit: limit, Cursor: cursor,
		KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
		// A position in this case's own conversation.
		Valid: func(k map[string]string) bool {
			return k[dynamo.AttrPK] == pk && strings.HasPrefix(k[dynamo.AttrSK], dynamo.MessageSKPrefix)
		}})
	if err != nil {
		return httpapi.List[*Message]{}, err
	}
	return decodeAll(items, next)
}

// latest reads the newest n messages of a case, oldest first, and whether
// older ones are left out (one Query, read backwards).
func (s *Service) latest(ctx context.Context, tenant, caseID string, n int) ([]*Message, bool, error) {
	out, err := s.table.Client.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(s.table.Name),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S(dynamo.CasePK(tenant, caseID)), ":prefix": dynamo.S(dynamo.MessageSKPrefix)},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(n + 1)),
		ConsistentRead:   aws.Bool(true),
	})
	if err != nil {
		return nil, false, dynamo.Unavailable("read conversation", err)
	}
	items := out.Items
	more := len(items) > n
	if more {
		items = items[:n]
	}
	slices.Reverse(items)
	l, err := decodeAll(items, "")
	return l.Items, more, err
}

func decodeAll(items []dynamo.Item, next string) (httpapi.List[*Message], error) {
	l := httpapi.List[*Message]{Items: make([]*Message, 0, len(items)), Next: next}
	for _, it := range items {
		m, err := decode(it)
		if err != nil {
			return l, err
		}
		l.Items = append(l.Items, m)
	}
	return l, nil
}

// limit is a rate limit of a case: at most max in a window.
type limit struct {
	name   string
	max    int
	window time.Duration
}

// counted is the write that counts one more of l on the case at now, in
// the transaction of what it counts: it fails, and the transaction with
// it, when the window's count is at the limit.
func (l limit) counted(tenant, caseID string, now time.Time) dynamo.Write {
	start := now.UTC().Truncate(l.window)
	end := start.Add(l.window)
	fails := &problem.Error{Code: problem.TooManyRequests, RetryAfter: end.Sub(now),
		Detail: fmt.Sprintf("This case takes at most %d of these in %s; try again later.", l.max, l.window)}
	return dynamo.Change(dynamo.Update{
		Key:   dynamo.Key(dynamo.CasePK(tenant, caseID), dynamo.RateSK(l.name, dynamo.KeyTime(start))),
		Set:   "ADD #n :one SET #x = :x",
		Names: map[string]string{"#n": "n", "#x": dynamo.AttrTTL},
		Values: map[string]types.AttributeValue{":one": dynamo.N(1),
			":x": dynamo.N(end.Add(time.Hour).Unix())},
	}, dynamo.Cond{Expr: "attribute_not_exists(#n) OR #n < :max", Names: map[string]string{"#n": "n"},
		Values: map[string]types.AttributeValue{":max": &types.AttributeValueMemberN{Value: strconv.Itoa(l.max)}}}, fails)
}
