package customers

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
)

// defaultLimit is the page size of a list when none is asked for.
const defaultLimit = 50

// listIndex is one GSI partition a list pages through, and what a cursor
// of that list must look like.
type listIndex struct {
	index     string // GSI1 or GSI2
	pkAttr    string // the index's key attributes
	skAttr    string
	partition string // the index partition of this list (tenant-prefixed)
	// itemPK is the prefix of the table PK of every item of the list
	// (e.g. dynamo.CustomerPK(tenant, "")); itemSK their table SK.
	itemPK string
	itemSK string
	// newestFirst reads the index backwards.
	newestFirst bool
}

// keys are the key attributes of a position in the list.
func (l listIndex) keys() []string {
	return []string{dynamo.AttrPK, dynamo.AttrSK, l.pkAttr, l.skAttr}
}

// validCursor accepts only a key of this very list: the list's own index
// partition (so another tenant's or another customer's cursor is refused),
// a table key of the list's kind for this tenant, and a sort key ending in
// the same ID.
func (l listIndex) validCursor(k map[string]string) bool {
	id, ok := strings.CutPrefix(k[dynamo.AttrPK], l.itemPK)
	return ok && validID(id) && k[dynamo.AttrSK] == l.itemSK && k[l.pkAttr] == l.partition &&
		strings.HasSuffix(k[l.skAttr], "#"+id) && len(k[l.skAttr]) <= 4*maxName+len(id)+1
}

// page reads one page of the list: exactly one Query. It asks for one item
// more than the page holds, so that the last page is known to be the last
// one (no cursor that leads to an empty page); the cursor is the key of
// the page's last item.
func (s *Service) page(ctx context.Context, l listIndex, p httpapi.Page) (items []map[string]types.AttributeValue, next string, err error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table.Name),
		IndexName:                 aws.String(l.index),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": l.pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(l.partition)},
		ScanIndexForward:          aws.Bool(!l.newestFirst),
		Limit:                     aws.Int32(int32(p.Limit + 1)),
	}
	if p.Cursor != "" {
		if in.ExclusiveStartKey, err = dynamo.DecodeCursor(p.Cursor, l.keys(), l.validCursor); err != nil {
			return nil, "", err
		}
	}
	out, err := s.table.Client.Query(ctx, in)
	if err != nil {
		return nil, "", dynamo.Unavailable("query "+l.index, err)
	}
	items = out.Items
	switch {
	case len(items) > p.Limit:
		items = items[:p.Limit]
		next, err = dynamo.EncodeCursor(items[len(items)-1], l.keys()...)
	case len(out.LastEvaluatedKey) > 0:
		// DynamoDB stopped early (a page is at most 1 MB): go on from there.
		next, err = dynamo.EncodeCursor(out.LastEvaluatedKey, l.keys()...)
	}
	return items, next, err
}
