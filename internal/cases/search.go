package cases

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// Search (GET /v1/cases?q=). Every case has one small search entry per
// distinct beginning of its words (words.go): in the partition of that
// beginning (dynamo.CaseSearchPK), sorted by creation like a list entry,
// holding the case's words (" w1 w2 ... ") and status category. A search
// reads the partition of its longest word, newest first, keeps the
// entries that have a word beginning with each query word (and the
// category asked for), and reads those cases with one BatchGetItem.
//
// The entries hold no copy of the case: they change only when its words
// or category change (a rename, a switch of customer, a status of another
// category), not on every change, at the price of a second round trip on
// reading.

// Native attributes of a search entry.
const (
	kindSearch   = "CASESEARCH"
	attrWords    = "words"
	attrCategory = "category"
)

// searchIndex is what a case's search entries hold.
type searchIndex struct {
	words    string
	category string
	prefixes []string
}

// indexOf is what the search entries of case c hold (nil: none, for a
// case that is not, or no longer, there).
func indexOf(c *Case) *searchIndex {
	if c == nil {
		return nil
	}
	ws, ps := searchWords(c.Number, c.Title, c.names)
	return &searchIndex{words: wordList(ws), category: c.StatusCategory, prefixes: ps}
}

// searchWrites are the writes that make the case's search entries right
// after a change from before (nil for a new case) to after (nil for a
// deleted one): none when its words and category stay, else a put of
// every entry it has now and a delete of every one it lost. Like the list
// entries, they have no conditions: the case's own write guards them.
func searchWrites(tenant string, before, after *Case) []dynamo.Write {
	b, a := indexOf(before), indexOf(after)
	if b != nil && a != nil && b.words == a.words && b.category == a.category && slices.Equal(b.prefixes, a.prefixes) {
		return nil
	}
	var out []dynamo.Write
	if a != nil {
		for _, p := range a.prefixes {
			it := searchKey(tenant, p, after)
			it[dynamo.AttrKind], it[attrWords], it[attrCategory] = dynamo.S(kindSearch), dynamo.S(a.words), dynamo.S(a.category)
			out = append(out, dynamo.Put(it, dynamo.Cond{}, nil))
		}
	}
	if b != nil {
		for _, p := range b.prefixes {
			if a == nil || !slices.Contains(a.prefixes, p) {
				out = append(out, dynamo.Delete(searchKey(tenant, p, before), dynamo.Cond{}, nil))
			}
		}
	}
	return out
}

// searchKey is the key of the case's search entry for a word beginning.
func searchKey(tenant, prefix string, c *Case) dynamo.Item {
	return dynamo.Key(dynamo.CaseSearchPK(tenant, prefix), dynamo.CaseViewSK(dynamo.KeyTime(c.CreatedAt.Time), c.ID))
}

// searchPageQuery is the Query of one page of a search: the partition of
// its word beginning, newest first, keeping the entries with every query
// word (and of the category asked for), reading at most maxEvaluated.
func searchPageQuery(tenant string, lq listQuery) dynamo.PageQuery {
	pk := dynamo.CaseSearchPK(tenant, lq.search.prefix)
	category := lq.filters["category"]
	return dynamo.PageQuery{
		Input: &dynamodb.QueryInput{
			KeyConditionExpression:    aws.String("PK = :pk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk)},
			ScanIndexForward:          aws.Bool(false),
		},
		Limit: lq.limit, Cursor: lq.cursor, Tag: lq.tag,
		KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
		Valid: func(k map[string]string) bool {
			return k[dynamo.AttrPK] == pk && strings.Contains(k[dynamo.AttrSK], "#")
		},
		Keep: func(it dynamo.Item) bool {
			return lq.search.matches(str(it, attrWords)) && (category == "" || inCategory(str(it, attrCategory), category))
		},
		Evaluate: maxEvaluated,
	}
}

// str reads a string attribute, "" when absent.
func str(it dynamo.Item, name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// searchPage answers one page of a search: the Query of its partition,
// then one BatchGetItem of the cases found (none when nothing is), newest
// first. Filters other than the category are checked on the cases read,
// so such a page may be shorter still.
func (s *Service) searchPage(ctx context.Context, tenant string, lq listQuery) ([]*Case, string, error) {
	entries, next, err := s.table.Page(ctx, "search cases", searchPageQuery(tenant, lq))
	if err != nil || len(entries) == 0 {
		return []*Case{}, next, err
	}
	keys := make([]dynamo.Item, len(entries))
	for i, e := range entries {
		sk := str(e, dynamo.AttrSK)
		keys[i] = caseKey(tenant, sk[strings.LastIndex(sk, "#")+1:])
	}
	found, err := s.table.GetMany(ctx, "read found cases", keys)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	out := make([]*Case, 0, len(keys))
	for _, k := range keys {
		it, ok := found[dynamo.KeyOf(k)]
		if !ok {
			continue // gone since its entry was read
		}
		c, err := decodeCase(it)
		switch {
		case errors.Is(err, errCaseNotFound):
			continue // deleted since its entry was read
		case err != nil:
			return nil, "", err
		case !lq.holds(c, now):
			continue
		}
		out = append(out, c)
	}
	return out, next, nil
}
