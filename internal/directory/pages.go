package directory

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// Page sizes of every list.
const (
	defaultLimit = 50
	maxLimit     = 100
	// maxCursor bounds the cursor a client may send: a real one is a few
	// hundred characters.
	maxCursor = 1024
)

// pageRequest is the parsed query string of a list.
type pageRequest struct {
	limit  int
	cursor string
	// filters are the other parameters the list accepts, by name.
	filters map[string]string
}

// readPage parses limit, cursor and the named filters from the query
// string. Any other parameter is refused by name: a misspelt filter
// (?customer= for ?customerId=) must not silently answer everything.
func readPage(r *http.Request, filters ...string) (pageRequest, error) {
	p := pageRequest{limit: defaultLimit, filters: map[string]string{}}
	var errs problem.Fields
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		// r.URL.Query() would drop the broken pair silently, and a list
		// would answer as if its filter had not been sent.
		return p, problem.New(problem.Invalid, "The query string is malformed; escape its values.")
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		values := q[name]
		if len(values) > 1 {
			errs.Add(name, "may be given once")
			continue
		}
		v := values[0]
		switch {
		case name == "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxLimit {
				errs.Add("limit", "must be a whole number from 1 to %d", maxLimit)
				continue
			}
			p.limit = n
		case name == "cursor":
			if v == "" || len(v) > maxCursor {
				errs.Add("cursor", "is not a cursor this list answered; start again without it")
				continue
			}
			p.cursor = v
		case slices.Contains(filters, name):
			if v == "" {
				// An empty filter is a client bug, not a request for everything.
				errs.Add(name, "may not be empty; leave the parameter out to list everything")
				continue
			}
			p.filters[name] = v
		default:
			allowed := append([]string{"limit", "cursor"}, filters...)
			errs.Add(name, "is not a parameter of this list (it takes %s)", strings.Join(allowed, ", "))
		}
	}
	return p, errs.Err()
}

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

// badCursor is the answer to a cursor this list did not answer: tampered,
// truncated, or taken from another list or tenant.
func badCursor() error {
	return problem.FieldInvalid("cursor", "is not a cursor this list answered; start again without it")
}

// encodeCursor writes the key a page ended at as the opaque cursor: the
// base64url of its JSON. Only the four key attributes go in.
func (l listIndex) encodeCursor(item map[string]types.AttributeValue) (string, error) {
	k := map[string]string{}
	for _, name := range []string{dynamo.AttrPK, dynamo.AttrSK, l.pkAttr, l.skAttr} {
		v, ok := item[name].(*types.AttributeValueMemberS)
		if !ok {
			return "", problem.New(problem.Internal, "list item lacks key attribute %s", name)
		}
		k[name] = v.Value
	}
	raw, err := json.Marshal(k)
	if err != nil {
		return "", problem.Wrap(problem.Internal, err, "")
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// decodeCursor reads a cursor back into an ExclusiveStartKey, refusing
// anything that is not a key of this very list: exactly the four key
// attributes, the list's own index partition (so another tenant's or
// another customer's cursor is refused), a table key of the list's kind
// for this tenant, and a sort key ending in the same ID.
func (l listIndex) decodeCursor(cursor string) (map[string]types.AttributeValue, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, badCursor()
	}
	var k map[string]string
	if err := json.Unmarshal(raw, &k); err != nil || len(k) != 4 {
		return nil, badCursor()
	}
	id, ok := strings.CutPrefix(k[dynamo.AttrPK], l.itemPK)
	switch {
	case !ok || !validID(id),
		k[dynamo.AttrSK] != l.itemSK,
		k[l.pkAttr] != l.partition,
		!strings.HasSuffix(k[l.skAttr], "#"+id),
		len(k[l.skAttr]) > 4*maxName+len(id)+1:
		return nil, badCursor()
	}
	start := make(map[string]types.AttributeValue, len(k))
	for name, v := range k {
		start[name] = dynamo.S(v)
	}
	return start, nil
}

// page reads one page of the list: exactly one Query. It asks for one item
// more than the page holds, so that the last page is known to be the last
// one (no cursor that leads to an empty page); the cursor is the key of
// the page's last item.
func (s *Service) page(ctx context.Context, l listIndex, p pageRequest) (items []map[string]types.AttributeValue, next string, err error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table.Name),
		IndexName:                 aws.String(l.index),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": l.pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(l.partition)},
		ScanIndexForward:          aws.Bool(!l.newestFirst),
		Limit:                     aws.Int32(int32(p.limit + 1)),
	}
	if p.cursor != "" {
		if in.ExclusiveStartKey, err = l.decodeCursor(p.cursor); err != nil {
			return nil, "", err
		}
	}
	out, err := s.table.Client.Query(ctx, in)
	if err != nil {
		return nil, "", dynamo.Unavailable("query "+l.index, err)
	}
	items = out.Items
	switch {
	case len(items) > p.limit:
		items = items[:p.limit]
		next, err = l.encodeCursor(items[len(items)-1])
	case len(out.LastEvaluatedKey) > 0:
		// DynamoDB stopped early (a page is at most 1 MB): go on from there.
		next, err = l.encodeCursor(out.LastEvaluatedKey)
	}
	return items, next, err
}
