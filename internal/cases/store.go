package cases

// The storage of cases: keys, expressions, items and every DynamoDB call
// of the area live in the store*.go files. This one holds the case item,
// its list entries, its event log, the number counter and the writes of a
// create, a change and a delete; store_work.go the tasks, time reports and
// comments; store_pages.go the reads of lists and logs.

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Item kinds of the cases area.
const (
	kindCase    = "CASE"
	kindView    = "CASEVIEW"
	kindTask    = "TASK"
	kindTime    = "TIMEREPORT"
	kindEvent   = "EVENT"
	kindComment = "COMMENT"
	kindCounter = "COUNTER"
)

// Native attributes beside the JSON data: what conditions and in-place
// updates need.
const (
	attrDeletedAt = "deletedAt"
	attrTimeTotal = "timeTotal"
	attrCounter   = "n"
)

// What a failed condition of a cases write means. Each write carries its
// meaning (dynamo.Write), so no caller works it out from a position.
var (
	// errCaseChanged: the case is not at the version the change is based
	// on (or was deleted meanwhile); see changedOrGone.
	errCaseChanged = errors.New("the case changed since it was read")
	// errOrderNotOpen: the linked order to complete is not open (any more).
	errOrderNotOpen = errors.New("the linked order is not open")
	// errIDTaken: a new item's fresh ID is taken, which does not happen.
	errIDTaken = problem.Wrap(problem.Internal, errors.New("a new item's ID is taken"), "")
)

var errCaseNotFound = problem.New(problem.NotFound, "There is no such case.")

// item builds a stored item of the cases area: keys, kind, version and the
// object's JSON, refused (413) when larger than a case may be.
func item(pk, sk, kind, noun string, version int64, v any) (dynamo.Item, error) {
	return dynamo.NewItem(pk, sk, kind, version, v, maxObjectBytes, noun)
}

// caseKey is the key of the case item.
func caseKey(tenant, caseID string) dynamo.Item {
	return dynamo.Key(dynamo.CasePK(tenant, caseID), dynamo.CaseSK)
}

// stored is the case as stored: without what is computed on reading (the
// SLA against the clock) and what is changed in place without a new case
// version, so that a copy would go stale (the time total, which time
// reports add to, and the activity time).
func stored(c *Case) *Case {
	s := *c
	s.SLA, s.TimeTotalMinutes, s.ActivityAt = nil, 0, nil
	return &s
}

// caseItem is the stored case, with its activity time and its customer's
// names beside its JSON.
func caseItem(tenant string, c *Case) (dynamo.Item, error) {
	it, err := item(dynamo.CasePK(tenant, c.ID), dynamo.CaseSK, kindCase, "case", c.Version, stored(c))
	if err != nil {
		return nil, err
	}
	it[attrActivityAt] = dynamo.S(dynamo.KeyTime(activity(c)))
	if n := namesAttr(c.names); n != "" {
		it[attrNames] = dynamo.S(n)
	}
	if c.Form != nil {
		pk, sk := formIndex(tenant, c)
		it[dynamo.AttrGSI3PK], it[dynamo.AttrGSI3SK] = dynamo.S(pk), dynamo.S(sk)
	}
	return it, nil
}

// decodeCase reads a stored case; deleted cases do not exist for readers.
func decodeCase(it dynamo.Item) (*Case, error) {
	if _, deleted := it[attrDeletedAt]; deleted {
		return nil, errCaseNotFound
	}
	var c Case
	if err := dynamo.DecodeData(it, &c); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode case: %w", err), "")
	}
	c.TimeTotalMinutes = dynamo.Int(it, attrTimeTotal)
	readActivity(it, &c)
	if err := readNames(it, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// notDeleted is the condition that the case is not marked deleted.
var notDeleted = dynamo.Cond{Expr: "attribute_not_exists(" + attrDeletedAt + ")"}

// eventWrite is the put of one event in the case's log.
func eventWrite(tenant, caseID string, e *Event) (dynamo.Write, error) {
	it, err := item(dynamo.CasePK(tenant, caseID), dynamo.EventSK(dynamo.KeyTime(e.At.Time), e.ID), kindEvent, "event", 1, e)
	if err != nil {
		return dynamo.Write{}, err
	}
	return dynamo.Put(it, dynamo.NotExists(), errIDTaken), nil
}

// caseUpdate rewrites the case's data, activity time and names in place,
// conditioned on the case being as prev was read: its version, and its
// names (which a rename of its customer changes without a new version);
// in place, so the time total that time reports add to is kept. extraSet
// and extraValues set more attributes.
func caseUpdate(tenant string, c, prev *Case, extraSet string, extraValues map[string]types.AttributeValue) (dynamo.Write, error) {
	it, err := caseItem(tenant, c)
	if err != nil {
		return dynamo.Write{}, err
	}
	values := map[string]types.AttributeValue{":d": it[dynamo.AttrData], ":v": dynamo.N(c.Version), ":act": it[attrActivityAt]}
	maps.Copy(values, extraValues)
	set, names := "SET #data = :d, #ver = :v, #act = :act"+extraSet, map[string]string{"#data": dynamo.AttrData, "#ver": dynamo.AttrVer, "#act": attrActivityAt, "#names": attrNames}
	if pk, ok := it[dynamo.AttrGSI3PK]; ok { // its place among its form's cases (formIndex)
		set += ", #fpk = :fpk, #fsk = :fsk"
		names["#fpk"], names["#fsk"], values[":fpk"], values[":fsk"] = dynamo.AttrGSI3PK, dynamo.AttrGSI3SK, pk, it[dynamo.AttrGSI3SK]
	}
	if n, ok := it[attrNames]; ok {
		set, values[":names"] = set+", #names = :names", n
	} else {
		set += " REMOVE #names"
	}
	return dynamo.Change(dynamo.Update{Key: caseKey(tenant, c.ID), Set: set, Names: names, Values: values},
		dynamo.VersionIs(prev.Version).And(notDeleted).And(namesAsRead(prev)), errCaseChanged), nil
}

// mailWrites are the outbox items that mail the case's contact the texts
// (or, while it has none, its requester): they commit with the change or
// not at all. A case without either mails nobody.
func mailWrites(tenant string, c *Case, texts []string, now timestamp.Time) ([]dynamo.Write, error) {
	to := outbox.Recipient{CustomerID: c.CustomerID, ContactID: c.ContactID}
	switch {
	case c.ContactID != "":
	case c.Requester != nil && c.Requester.Email != "":
		to = outbox.Recipient{Requester: true}
	default:
		return nil, nil
	}
	var out []dynamo.Write
	for _, text := range texts {
		w, err := outbox.Write(outbox.Mail{ID: dynamo.NewID(now.Time), Tenant: tenant, CreatedAt: now, Text: text, CaseID: c.ID,
			To: to})
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// getCase reads the case item alone: strongly consistent, for a change.
func (s *Service) getCase(ctx context.Context, tenant, id string) (*Case, error) {
	if !validID(id) {
		return nil, errCaseNotFound
	}
	out, err := s.table.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table.Name), Key: caseKey(tenant, id), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, dynamo.Unavailable("get case", err)
	}
	if len(out.Item) == 0 {
		return nil, errCaseNotFound
	}
	return decodeCase(out.Item)
}
