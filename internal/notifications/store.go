package notifications

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// A user's notifications and their state item share one partition
// (dynamo.NotificationsPK): the notifications under "N#<time>#<ID>", the
// state (unread count, read-up-to mark) under "STATE", which sorts after
// all of them, so that the newest page, read backwards, starts with it.

// Native attributes of the state item and of notifications.
const (
	attrUnread   = "unread"
	attrReadUpTo = "readUpTo"
	attrRead     = "read"
	attrAt       = "at"
	kind         = "NOTIFICATION"
)

// What a failed condition of the store's writes means.
var (
	// errNotUnread: the notification is read already, or there is none.
	errNotUnread = errors.New("the notification is not unread")
	// errNotCounted: the state does not count it as unread (the read-up-to
	// mark is past it already).
	errNotCounted = errors.New("the notification is not counted unread")
	// errExists: a notification's ID is new, so this is a bug.
	errExists = problem.Wrap(problem.Internal, errors.New("the notification exists already"), "")
)

func stateKey(tenant, userID string) dynamo.Item {
	return dynamo.Key(dynamo.NotificationsPK(tenant, userID), dynamo.NotificationsTop)
}

func itemKey(tenant, userID, at, id string) dynamo.Item {
	return dynamo.Key(dynamo.NotificationsPK(tenant, userID), dynamo.NotificationSK(at, id))
}

func boolValue(b bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: b} }

// Write returns the writes that give userID notification n (its ID made
// with NewID): the item and one more unread on the state. They go into the
// transaction of the change that causes them (dynamo.Table.Commit).
func Write(tenant, userID string, n *Notification) ([]dynamo.Write, error) {
	data, err := dynamo.Data(n)
	if err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("marshal notification: %w", err), "")
	}
	at := dynamo.KeyTime(n.At.Time)
	it := itemKey(tenant, userID, at, n.ID)
	it[dynamo.AttrKind], it[dynamo.AttrData], it[attrRead], it[attrAt] = dynamo.S(kind), data, boolValue(false), dynamo.S(at)
	return []dynamo.Write{
		dynamo.Put(it, dynamo.NotExists(), errExists),
		dynamo.Change(dynamo.Update{Key: stateKey(tenant, userID), Set: "ADD #u :one",
			Names: map[string]string{"#u": attrUnread}, Values: map[string]types.AttributeValue{":one": dynamo.N(1)}}, dynamo.Cond{}, nil),
	}, nil
}

// store reads and writes inboxes.
type store struct{ table dynamo.Table }

// state is a user's unread count and read-up-to mark (a key time).
type state struct {
	unread   int64
	readUpTo string
}

// page is one page of an inbox: the state (zero when the user was never
// notified), the notifications as stored (Read from their own mark only),
// and the cursor of the next.
type page struct {
	state state
	items []*Notification
	next  string
}

// page reads one page of a user's inbox, newest first: one Query, read
// backwards, so that the first page starts with the state item. A later
// page is a range below its cursor, which cannot reach the state item:
// it reads the state with one GetItem more (see readState).
func (s store) page(ctx context.Context, tenant, userID string, limit int, cursor string) (page, error) {
	pk := dynamo.NotificationsPK(tenant, userID)
	room := limit
	if cursor == "" {
		room++ // the state item, before the newest notification
	}
	items, next, err := s.table.Page(ctx, "list notifications", dynamo.PageQuery{
		Input: &dynamodb.QueryInput{
			KeyConditionExpression:    aws.String("PK = :pk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk)},
			ScanIndexForward:          aws.Bool(false),
		},
		Limit:    room,
		Cursor:   cursor,
		KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
		// A position in this user's own inbox: a notification's key.
		Valid: func(k map[string]string) bool { return k[dynamo.AttrPK] == pk && isNotificationSK(k[dynamo.AttrSK]) },
	})
	if err != nil {
		return page{}, err
	}
	var p page
	if len(items) > 0 && isState(items[0]) {
		p.state = decodeState(items[0])
		items = items[1:]
	} else if len(items) > limit {
		// No state item to make room for: the page ends one earlier.
		items = items[:limit]
		if next, err = dynamo.EncodeCursor(items[limit-1], dynamo.AttrPK, dynamo.AttrSK); err != nil {
			return page{}, err
		}
	}
	if cursor != "" {
		if p.state, err = s.readState(ctx, tenant, userID); err != nil {
			return page{}, err
		}
	}
	p.next = next
	p.items = make([]*Notification, 0, len(items))
	for _, it := range items {
		n, err := decode(it)
		if err != nil {
			return page{}, err
		}
		p.items = append(p.items, n)
	}
	return p, nil
}

// isState reports whether it is a user's state item.
func isState(it dynamo.Item) bool {
	sk, ok := it[dynamo.AttrSK].(*types.AttributeValueMemberS)
	return ok && sk.Value == dynamo.NotificationsTop
}

// decode reads a stored notification. An item that is not one (whatever
// put it into the partition) is an internal error, not a crash.
func decode(it dynamo.Item) (*Notification, error) {
	if dynamo.KindOf(it) != kind {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("inbox item of kind %q is not a notification", dynamo.KindOf(it)), "")
	}
	var n Notification
	if err := dynamo.DecodeData(it, &n); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode notification: %w", err), "")
	}
	read, _ := it[attrRead].(*types.AttributeValueMemberBOOL)
	n.Read = read != nil && read.Value
	return &n, nil
}

// markItem is the write that marks a notification read, if it is there and
// unread (else errNotUnread).
func markItem(tenant, userID, at, id string) dynamo.Write {
	return dynamo.Change(dynamo.Update{Key: itemKey(tenant, userID, at, id), Set: "SET #r = :true",
		Names: map[string]string{"#r": attrRead}, Values: map[string]types.AttributeValue{":true": boolValue(true)}},
		dynamo.Cond{Expr: "attribute_exists(PK) AND #r = :false", Names: map[string]string{"#r": attrRead},
			Values: map[string]types.AttributeValue{":false": boolValue(false)}}, errNotUnread)
}

// markRead marks a notification read and counts one unread less, in one
// transaction: errNotUnread when it is not an unread notification,
// errNotCounted when the state does not count it (the read-up-to mark is
// past it).
func (s store) markRead(ctx context.Context, tenant, userID, at, id string) error {
	return s.table.Commit(ctx, "read notification", markItem(tenant, userID, at, id),
		dynamo.Change(dynamo.Update{Key: stateKey(tenant, userID), Set: "ADD #u :minus",
			Names: map[string]string{"#u": attrUnread}, Values: map[string]types.AttributeValue{":minus": dynamo.N(-1)}},
			dynamo.Cond{Expr: "#u > :zero AND (attribute_not_exists(#m) OR #m < :at)",
				Names:  map[string]string{"#u": attrUnread, "#m": attrReadUpTo},
				Values: map[string]types.AttributeValue{":zero": dynamo.N(0), ":at": dynamo.S(at)}}, errNotCounted))
}

// markItemRead marks a notification read without counting: errNotUnread
// when it is not an unread notification.
func (s store) markItemRead(ctx context.Context, tenant, userID, at, id string) error {
	return s.table.Commit(ctx, "read notification", markItem(tenant, userID, at, id))
}

// exists reports whether the user has the notification.
func (s store) exists(ctx context.Context, tenant, userID, at, id string) (bool, error) {
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table.Name),
		Key: itemKey(tenant, userID, at, id), ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("PK")})
	if err != nil {
		return false, dynamo.Unavailable("read notification", err)
	}
	return len(out.Item) > 0, nil
}

// markAllRead sets the count to zero and the read-up-to mark to at, in
// one write, however many notifications there are.
func (s store) markAllRead(ctx context.Context, tenant, userID, at string) error {
	_, err := s.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table.Name), Key: stateKey(tenant, userID),
		UpdateExpression:          aws.String("SET #u = :zero, #m = :now"),
		ExpressionAttributeNames:  map[string]string{"#u": attrUnread, "#m": attrReadUpTo},
		ExpressionAttributeValues: map[string]types.AttributeValue{":zero": dynamo.N(0), ":now": dynamo.S(at)},
	})
	if err != nil {
		return dynamo.Unavailable("read all notifications", err)
	}
	return nil
}
