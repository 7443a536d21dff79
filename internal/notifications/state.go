package notifications

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// decodeState reads a user's state item: the unread count (never below
// zero) and the read-up-to mark.
func decodeState(it dynamo.Item) state {
	st := state{unread: max(dynamo.Int(it, attrUnread), 0)}
	if v, ok := it[attrReadUpTo].(*types.AttributeValueMemberS); ok {
		st.readUpTo = v.Value
	}
	return st
}

// readState reads a user's state item alone, for a page of the inbox
// after the first: that page's Query starts below its cursor and cannot
// reach the state item, which sorts after every notification. Without
// the read-up-to mark, notifications that "read all" marked would show
// unread on every page but the first. One GetItem, strongly consistent,
// so that a page read right after "read all" sees it. A user never
// notified has no state item: the zero state.
func (s store) readState(ctx context.Context, tenant, userID string) (state, error) {
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table.Name), Key: stateKey(tenant, userID), ConsistentRead: aws.Bool(true),
		ProjectionExpression:     aws.String("#u, #m"),
		ExpressionAttributeNames: map[string]string{"#u": attrUnread, "#m": attrReadUpTo},
	})
	if err != nil {
		return state{}, dynamo.Unavailable("read notification state", err)
	}
	return decodeState(out.Item), nil
}
