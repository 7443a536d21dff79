package cases_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// Helpers that read the table directly, as an auditor would, bypassing
// the service.

// partition reads a case's whole partition straight from the table (as an
// auditor would), bypassing the service.
func (h *harness) partition(t testing.TB, tenant, caseID string) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(h.db.Table.Name),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(dynamo.CasePK(tenant, caseID))},
		ConsistentRead:            aws.Bool(true),
	}
	for {
		res, err := h.db.Client.Query(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res.Items...)
		if len(res.LastEvaluatedKey) == 0 {
			return out
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// kindOf returns an item's kind.
func kindOf(it map[string]types.AttributeValue) string {
	if k, ok := it[dynamo.AttrKind].(*types.AttributeValueMemberS); ok {
		return k.Value
	}
	return ""
}

// kinds counts the items of a partition by kind.
func kinds(items []map[string]types.AttributeValue) map[string]int {
	out := map[string]int{}
	for _, it := range items {
		if k, ok := it[dynamo.AttrKind].(*types.AttributeValueMemberS); ok {
			out[k.Value]++
		}
	}
	return out
}

// storedEventTypes lists the types of the event items of a partition.
func storedEventTypes(t testing.TB, items []map[string]types.AttributeValue) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		if k, _ := it[dynamo.AttrKind].(*types.AttributeValueMemberS); k == nil || k.Value != "EVENT" {
			continue
		}
		var e cases.Event
		if err := dynamo.DecodeData(it, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Type)
	}
	return out
}

// scan reads the whole table (tests only: no request path scans).
func (h *harness) scan(t testing.TB) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	in := &dynamodb.ScanInput{TableName: aws.String(h.db.Table.Name)}
	for {
		res, err := h.db.Client.Scan(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res.Items...)
		if len(res.LastEvaluatedKey) == 0 {
			return out
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// checkIntegrity asserts that nothing of the tenant's cases is
// half-written: every case item has its "created" event, every list
// entry belongs to a live case, the numbers of the cases with the gaps
// (numbers taken by creates that failed) are exactly 1..n+len(gaps), and
// the counter holds the last of them. It returns n, the number of cases.
func (h *harness) checkIntegrity(t testing.TB, tenant string, gaps ...int64) int {
	t.Helper()
	casePrefix := dynamo.CasePK(tenant, "")
	viewPrefix := dynamo.CaseViewPK(tenant, "")
	type partition struct {
		live, deleted bool
		number        int64
		events        []string
	}
	parts := map[string]*partition{}
	part := func(pk string) *partition {
		if parts[pk] == nil {
			parts[pk] = &partition{}
		}
		return parts[pk]
	}
	var entries []string
	counter := int64(-1)
	for _, it := range h.scan(t) {
		pk := it[dynamo.AttrPK].(*types.AttributeValueMemberS).Value
		kind, _ := it[dynamo.AttrKind].(*types.AttributeValueMemberS)
		switch {
		case pk == dynamo.CaseCounterPK(tenant):
			counter = dynamo.Int(it, "n")
		case strings.HasPrefix(pk, casePrefix) && kind != nil && kind.Value == "CASE":
			p := part(pk)
			var c cases.Case
			if err := dynamo.DecodeData(it, &c); err != nil {
				t.Fatal(err)
			}
			p.number = c.Number
			if _, del := it["deletedAt"]; del {
				p.deleted = true
			} else {
				p.live = true
			}
		case strings.HasPrefix(pk, casePrefix) && kind != nil && kind.Value == "EVENT":
			var e cases.Event
			if err := dynamo.DecodeData(it, &e); err != nil {
				t.Fatal(err)
			}
			p := part(pk)
			p.events = append(p.events, e.Type)
		case strings.HasPrefix(pk, viewPrefix):
			var c cases.Case
			if err := dynamo.DecodeData(it, &c); err != nil {
				t.Fatal(err)
			}
			entries = append(entries, dynamo.CasePK(tenant, c.ID))
		}
	}
	var numbers []int64
	for pk, p := range parts {
		if !p.live && !p.deleted {
			t.Errorf("%s has events %v but no case item", pk, p.events)
			continue
		}
		if !slices.Contains(p.events, "created") {
			t.Errorf("case #%d (%s) has no \"created\" event: %v", p.number, pk, p.events)
		}
		numbers = append(numbers, p.number)
	}
	for _, pk := range entries {
		if p := parts[pk]; p == nil || !p.live {
			t.Errorf("a list entry refers to %s, which is not a live case", pk)
		}
	}
	stored := len(numbers)
	numbers = append(numbers, gaps...)
	slices.Sort(numbers)
	for i, n := range numbers {
		if n != int64(i+1) {
			t.Errorf("case numbers %v with the gaps %v are not 1..%d", numbers, gaps, len(numbers))
			break
		}
	}
	if len(numbers) > 0 && counter != int64(len(numbers)) {
		t.Errorf("the counter holds %d, but %d cases exist (gaps %v)", counter, stored, gaps)
	}
	return stored
}
