// Package notifications is the in-app inbox of staff: a notification when
// someone @mentions them, an unread count, and marking read. A user's
// notifications and their state (unread count, read-up-to mark) share one
// partition, so the inbox with its count is one Query.
package notifications

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Notification tells a user of something that concerns them.
type Notification struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	Type       string    `json:"type"`
	By         string    `json:"by"`
	CaseID     string    `json:"caseId"`
	CaseNumber int64     `json:"caseNumber"`
	CaseTitle  string    `json:"caseTitle"`
	CommentID  string    `json:"commentId,omitempty"`
	Excerpt    string    `json:"excerpt,omitempty"`
	Read       bool      `json:"read"`
}

// Inbox is the answer of GET /v1/notifications.
type Inbox struct {
	Items []*Notification `json:"items"`
	Next  string          `json:"next,omitempty"`
	// Unread is on the first page only.
	Unread *int64 `json:"unread,omitempty"`
}

// Native attributes of the state item and of notifications.
const (
	attrUnread   = "unread"
	attrReadUpTo = "readUpTo"
	attrRead     = "read"
	attrAt       = "at"
	kind         = "NOTIFICATION"
)

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{dynamo.AttrPK: dynamo.S(pk), dynamo.AttrSK: dynamo.S(sk)}
}

// Write returns the writes that give userID notification n (its ID made
// with NewID): the item and one more unread on the state. They go into the
// transaction of the change that causes them.
func Write(table, tenant, userID string, n *Notification) ([]types.TransactWriteItem, error) {
	data, err := dynamo.Data(n)
	if err != nil {
		return nil, problem.Wrap(problem.Internal, err, "")
	}
	pk := dynamo.NotificationsPK(tenant, userID)
	at := dynamo.KeyTime(n.At)
	it := key(pk, dynamo.NotificationSK(at, n.ID))
	it[dynamo.AttrKind], it[dynamo.AttrData], it[attrRead], it[attrAt] = dynamo.S(kind), data, &types.AttributeValueMemberBOOL{Value: false}, dynamo.S(at)
	return []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(table), Item: it, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		{Update: &types.Update{TableName: aws.String(table), Key: key(pk, dynamo.NotificationsTop),
			UpdateExpression:          aws.String("ADD #u :one"),
			ExpressionAttributeNames:  map[string]string{"#u": attrUnread},
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": dynamo.N(1)}}},
	}, nil
}

// Settings gives a tenant's settings (to find the user of a login).
type Settings interface {
	Snapshot(ctx context.Context, tenant string) (*settings.Snapshot, error)
}

// Service serves the inbox.
type Service struct {
	table    dynamo.Table
	settings Settings
	now      func() time.Time
}

// NewService returns the inbox service.
func NewService(table dynamo.Table, st Settings, now func() time.Time) *Service {
	return &Service{table: table, settings: st, now: now}
}

// Routes lists the inbox's routes.
func Routes(s *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/notifications", httpapi.HandlerFunc(s.handleList)),
		httpapi.NewRoute("POST", "/v1/notifications/read", httpapi.HandlerFunc(s.handleReadAll)),
		httpapi.NewRoute("POST", "/v1/notifications/{id}/read", httpapi.HandlerFunc(s.handleRead)),
	}
}

// me is the directory user of the calling member of staff.
func (s *Service) me(r *http.Request) (identity.Principal, string, error) {
	p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
	if err != nil {
		return p, "", err
	}
	snap, err := s.settings.Snapshot(r.Context(), p.Tenant)
	if err != nil {
		return p, "", err
	}
	u, err := snap.UserBySubject(p.User)
	if err != nil {
		return p, "", err
	}
	return p, u.ID, nil
}

// handleList answers the newest notifications and the unread count: one
// Query, read backwards, so the state item ("STATE", after every "N#...")
// comes first.
func (s *Service) handleList(w http.ResponseWriter, r *http.Request) error {
	p, userID, err := s.me(r)
	if err != nil {
		return err
	}
	pg, err := httpapi.ReadPage(r, 25)
	if err != nil {
		return err
	}
	limit := int32(pg.Limit)
	pk := dynamo.NotificationsPK(p.Tenant, userID)
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table.Name),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk)},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(limit + 1),
	}
	if pg.Cursor != "" {
		at, id, ok := decodeCursor(pg.Cursor)
		if !ok {
			return problem.FieldInvalid("cursor", "is not a cursor of this list; start again without it")
		}
		in.ExclusiveStartKey = key(pk, dynamo.NotificationSK(at, id))
		in.Limit = aws.Int32(limit)
	}
	out, err := s.table.Client.Query(r.Context(), in)
	if err != nil {
		return dynamo.Unavailable("list notifications", err)
	}
	inbox := Inbox{Items: []*Notification{}}
	readUpTo := ""
	for _, it := range out.Items {
		sk := it[dynamo.AttrSK].(*types.AttributeValueMemberS).Value
		if sk == dynamo.NotificationsTop {
			unread := max(dynamo.Int(it, attrUnread), 0)
			inbox.Unread = &unread
			if v, ok := it[attrReadUpTo].(*types.AttributeValueMemberS); ok {
				readUpTo = v.Value
			}
			continue
		}
		var n Notification
		if err := dynamo.DecodeData(it, &n); err != nil {
			return problem.Wrap(problem.Internal, err, "")
		}
		read, _ := it[attrRead].(*types.AttributeValueMemberBOOL)
		n.Read = (read != nil && read.Value) || dynamo.KeyTime(n.At) <= readUpTo
		inbox.Items = append(inbox.Items, &n)
	}
	if inbox.Unread == nil && pg.Cursor == "" {
		zero := int64(0) // nobody has notified this user yet
		inbox.Unread = &zero
	}
	if len(inbox.Items) > int(limit) || (len(out.LastEvaluatedKey) > 0 && len(inbox.Items) == int(limit)) {
		inbox.Items = inbox.Items[:limit]
		inbox.Next = encodeCursor(inbox.Items[len(inbox.Items)-1].ID)
	}
	httpapi.Write(w, http.StatusOK, inbox)
	return nil
}

// handleRead marks one notification read. Marking a read one again is no
// change. The unread count goes down only for a notification that was
// unread: not read before, and newer than the read-up-to mark.
func (s *Service) handleRead(w http.ResponseWriter, r *http.Request) error {
	p, userID, err := s.me(r)
	if err != nil {
		return err
	}
	nid := r.PathValue("id")
	at, ok := atOf(nid)
	if !ok {
		return problem.New(problem.NotFound, "There is no such notification.")
	}
	pk := dynamo.NotificationsPK(p.Tenant, userID)
	items := []types.TransactWriteItem{
		{Update: &types.Update{TableName: aws.String(s.table.Name), Key: key(pk, dynamo.NotificationSK(at, nid)),
			UpdateExpression:          aws.String("SET #r = :true"),
			ConditionExpression:       aws.String("attribute_exists(PK) AND #r = :false"),
			ExpressionAttributeNames:  map[string]string{"#r": attrRead},
			ExpressionAttributeValues: map[string]types.AttributeValue{":true": &types.AttributeValueMemberBOOL{Value: true}, ":false": &types.AttributeValueMemberBOOL{Value: false}}}},
		{Update: &types.Update{TableName: aws.String(s.table.Name), Key: key(pk, dynamo.NotificationsTop),
			UpdateExpression:          aws.String("ADD #u :minus"),
			ConditionExpression:       aws.String("#u > :zero AND (attribute_not_exists(#m) OR #m < :at)"),
			ExpressionAttributeNames:  map[string]string{"#u": attrUnread, "#m": attrReadUpTo},
			ExpressionAttributeValues: map[string]types.AttributeValue{":minus": dynamo.N(-1), ":zero": dynamo.N(0), ":at": dynamo.S(at)}}},
	}
	_, err = s.table.Client.TransactWriteItems(r.Context(), &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if failed, cond := dynamo.ConditionFailed(err); cond {
		if failed[0] == 0 {
			// Not unread: already read, or there is no such notification.
			out, gerr := s.table.Client.Query(r.Context(), &dynamodb.QueryInput{TableName: aws.String(s.table.Name),
				KeyConditionExpression:    aws.String("PK = :pk AND SK = :sk"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk), ":sk": dynamo.S(dynamo.NotificationSK(at, nid))}})
			if gerr != nil {
				return dynamo.Unavailable("read notification", gerr)
			}
			if len(out.Items) == 0 {
				return problem.New(problem.NotFound, "There is no such notification.")
			}
		} else {
			// Read already by the read-up-to mark: mark the item alone.
			if _, err := s.table.Client.TransactWriteItems(r.Context(), &dynamodb.TransactWriteItemsInput{TransactItems: items[:1]}); err != nil {
				if _, c := dynamo.ConditionFailed(err); !c {
					return dynamo.Unavailable("read notification", err)
				}
			}
		}
	} else if err != nil {
		return dynamo.Unavailable("read notification", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleReadAll marks everything read: the count drops to zero and the
// read-up-to mark moves to now, in one write, however many there are.
func (s *Service) handleReadAll(w http.ResponseWriter, r *http.Request) error {
	p, userID, err := s.me(r)
	if err != nil {
		return err
	}
	_, err = s.table.Client.UpdateItem(r.Context(), &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table.Name), Key: key(dynamo.NotificationsPK(p.Tenant, userID), dynamo.NotificationsTop),
		UpdateExpression:          aws.String("SET #u = :zero, #m = :now"),
		ExpressionAttributeNames:  map[string]string{"#u": attrUnread, "#m": attrReadUpTo},
		ExpressionAttributeValues: map[string]types.AttributeValue{":zero": dynamo.N(0), ":now": dynamo.S(dynamo.KeyTime(s.now()))},
	})
	if err != nil {
		return dynamo.Unavailable("read all notifications", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
