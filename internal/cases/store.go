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
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
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
// SLA against the clock; the time total, which time reports change in
// place without a new case version, so a copy would go stale).
func stored(c *Case) *Case {
	s := *c
	s.SLA, s.TimeTotalMinutes = nil, 0
	return &s
}

// caseItem is the stored case.
func caseItem(tenant string, c *Case) (dynamo.Item, error) {
	return item(dynamo.CasePK(tenant, c.ID), dynamo.CaseSK, kindCase, "case", c.Version, stored(c))
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
	return &c, nil
}

// notDeleted is the condition that the case is not marked deleted.
var notDeleted = dynamo.Cond{Expr: "attribute_not_exists(" + attrDeletedAt + ")"}

// caseLive is the condition that the case exists and is not deleted.
func caseLive() dynamo.Cond { return dynamo.Exists().And(notDeleted) }

// caseThere is the check, in a transaction, that the case is there.
func caseThere(tenant, caseID string) dynamo.Write {
	return dynamo.Check(caseKey(tenant, caseID), caseLive(), errCaseNotFound)
}

// views names every list the case belongs to.
func views(c *Case) []caselist.List {
	v := []caselist.List{caselist.All, caselist.ByStatus(c.StatusID), caselist.ByCategory(c.StatusCategory), caselist.ByPriority(c.PriorityID)}
	if c.StatusCategory == settings.CategoryNew || c.StatusCategory == settings.CategoryOpen {
		v = append(v, caselist.Active)
	}
	for _, u := range c.Assignees.Users {
		v = append(v, caselist.ByUser(u))
	}
	for _, g := range c.Assignees.Groups {
		v = append(v, caselist.ByGroup(g))
	}
	if c.CustomerID != "" {
		v = append(v, caselist.ByCustomer(c.CustomerID))
	}
	if c.ContactID != "" {
		v = append(v, caselist.ByContact(c.ContactID))
	}
	if c.TypeID != "" {
		v = append(v, caselist.ByType(c.TypeID))
	}
	if c.LinkedOrderID != "" {
		v = append(v, caselist.ByOrder(c.LinkedOrderID))
	}
	return v
}

// urgency orders a list by the resolve target: active cases by due time,
// then waiting ones, then closed ones.
func urgency(c *Case) string {
	switch c.StatusCategory {
	case settings.CategoryWaiting:
		return "W" + dynamo.KeyTime(c.ResolveBy.Time)
	case settings.CategoryClosed:
		return "Z" + dynamo.KeyTime(c.ResolveBy.Time)
	default:
		return dynamo.KeyTime(c.ResolveBy.Time)
	}
}

// entryKey is the key of the case's entry in a list.
func entryKey(tenant string, list caselist.List, c *Case) dynamo.Item {
	return dynamo.Key(dynamo.CaseViewPK(tenant, string(list)), dynamo.CaseViewSK(dynamo.KeyTime(c.CreatedAt.Time), c.ID))
}

// viewWrites are the writes that make the case's list entries right after
// a change from before (nil for a new case) to after (nil for a deleted
// one): a put of every entry it has now, a delete of every one it lost.
// They have no conditions: the case's own write guards the change.
func viewWrites(tenant string, before, after *Case) ([]dynamo.Write, error) {
	var out []dynamo.Write
	var keep []caselist.List
	if after != nil {
		keep = views(after)
		entry := stored(after)
		for _, list := range keep {
			pk := dynamo.CaseViewPK(tenant, string(list))
			it, err := item(pk, dynamo.CaseViewSK(dynamo.KeyTime(after.CreatedAt.Time), after.ID), kindView, "case", after.Version, entry)
			if err != nil {
				return nil, err
			}
			it[dynamo.AttrGSI1PK] = dynamo.S(pk)
			it[dynamo.AttrGSI1SK] = dynamo.S(dynamo.KeyTime(after.UpdatedAt.Time) + "#" + after.ID)
			it[dynamo.AttrGSI2PK] = dynamo.S(pk)
			it[dynamo.AttrGSI2SK] = dynamo.S(urgency(after) + "#" + after.ID)
			out = append(out, dynamo.Put(it, dynamo.Cond{}, nil))
		}
	}
	if before != nil {
		for _, list := range views(before) {
			if !slices.Contains(keep, list) {
				out = append(out, dynamo.Delete(entryKey(tenant, list, before), dynamo.Cond{}, nil))
			}
		}
	}
	return out, nil
}

// eventWrite is the put of one event in the case's log.
func eventWrite(tenant, caseID string, e *Event) (dynamo.Write, error) {
	it, err := item(dynamo.CasePK(tenant, caseID), dynamo.EventSK(dynamo.KeyTime(e.At.Time), e.ID), kindEvent, "event", 1, e)
	if err != nil {
		return dynamo.Write{}, err
	}
	return dynamo.Put(it, dynamo.NotExists(), errIDTaken), nil
}

// caseUpdate rewrites the case's data in place, conditioned on the version
// it replaces; in place, so the time total that time reports add to is
// kept. extraSet and extraValues set more attributes.
func caseUpdate(tenant string, c *Case, prevVersion int64, extraSet string, extraValues map[string]types.AttributeValue) (dynamo.Write, error) {
	it, err := caseItem(tenant, c)
	if err != nil {
		return dynamo.Write{}, err
	}
	values := map[string]types.AttributeValue{":d": it[dynamo.AttrData], ":v": dynamo.N(c.Version)}
	maps.Copy(values, extraValues)
	return dynamo.Change(dynamo.Update{
		Key:    caseKey(tenant, c.ID),
		Set:    "SET #data = :d, #ver = :v" + extraSet,
		Names:  map[string]string{"#data": dynamo.AttrData, "#ver": dynamo.AttrVer},
		Values: values,
	}, dynamo.VersionIs(prevVersion).And(notDeleted), errCaseChanged), nil
}

// mailWrites are the outbox items that mail the case's contact the texts:
// they commit with the change or not at all. A case without a contact
// mails nobody.
func mailWrites(tenant string, c *Case, texts []string, now timestamp.Time) ([]dynamo.Write, error) {
	if c.ContactID == "" {
		return nil, nil
	}
	var out []dynamo.Write
	for _, text := range texts {
		w, err := outbox.Write(outbox.Mail{ID: dynamo.NewID(now.Time), Tenant: tenant, CreatedAt: now, Text: text, CaseID: c.ID,
			To: outbox.Recipient{CustomerID: c.CustomerID, ContactID: c.ContactID}})
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// referenceChecks are the checks of every customer, contact and order the
// case newly refers to; each says what its failure means.
func (s *Service) referenceChecks(tenant string, before, after *Case) []dynamo.Write {
	var out []dynamo.Write
	if after.CustomerID != "" && (before == nil || before.CustomerID != after.CustomerID || before.ContactID != after.ContactID) {
		out = append(out, s.customers.CheckContact(tenant, after.CustomerID, after.ContactID))
	}
	if after.LinkedOrderID != "" && (before == nil || before.LinkedOrderID != after.LinkedOrderID) {
		out = append(out, s.customers.CheckOrder(tenant, after.LinkedOrderID))
	}
	return out
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

// changedOrGone answers a change whose case moved on between its read and
// its commit: 404 if the case was deleted meanwhile, else 412.
func (s *Service) changedOrGone(ctx context.Context, tenant string, old *Case) error {
	now, err := s.getCase(ctx, tenant, old.ID)
	if err != nil {
		return err
	}
	return httpapi.Stale("case", now.Version, old.Version)
}

// storeCreate writes a planned new case: it takes the case's number, then
// writes the case, its tasks, its first event, its list entries, its mail
// and the checks of what it refers to in one transaction.
//
// Numbers are unique, and a gap appears only after a write that failed:
// a create refused after its number was taken (too large, or a condition
// failed: no such customer, contact or order) gives its number back when
// no later one was taken meanwhile; one that failed otherwise (the store
// unavailable) leaves its number unused, as does a refused one when
// another create took the next number meanwhile.
func (s *Service) storeCreate(ctx context.Context, tenant string, n *newCase) error {
	number, err := s.takeNumber(ctx, tenant)
	if err != nil {
		return err
	}
	n.c.Number = number
	writes, err := s.createWrites(tenant, n)
	if err != nil { // refused before the transaction (413): nothing written
		s.giveBackNumber(ctx, tenant, number)
		return err
	}
	if err := s.commitRetrying(ctx, "create case", writes); err != nil {
		if refused(err, writes) {
			s.giveBackNumber(ctx, tenant, number)
		}
		return err
	}
	return nil
}

// createWrites are the writes of a new case.
func (s *Service) createWrites(tenant string, n *newCase) ([]dynamo.Write, error) {
	c := n.c
	ci, err := caseItem(tenant, c)
	if err != nil {
		return nil, err
	}
	writes := []dynamo.Write{dynamo.Put(ci, dynamo.NotExists(), errIDTaken)}
	for _, t := range n.tasks {
		it, err := item(dynamo.CasePK(tenant, c.ID), dynamo.TaskSK(t.ID), kindTask, "task", t.Version, t)
		if err != nil {
			return nil, err
		}
		writes = append(writes, dynamo.Put(it, dynamo.NotExists(), errIDTaken))
	}
	ev, err := eventWrite(tenant, c.ID, n.event)
	if err != nil {
		return nil, err
	}
	vw, err := viewWrites(tenant, nil, c)
	if err != nil {
		return nil, err
	}
	mails, err := mailWrites(tenant, c, n.texts, c.CreatedAt)
	if err != nil {
		return nil, err
	}
	writes = append(append(append(writes, ev), vw...), mails...)
	return append(writes, s.referenceChecks(tenant, nil, c)...), nil
}

// counterKey is the key of the tenant's case-number counter.
func counterKey(tenant string) dynamo.Item {
	return dynamo.Key(dynamo.CaseCounterPK(tenant), dynamo.CaseCounterSK)
}

// takeNumber takes the tenant's next case number: one atomic UpdateItem,
// so that concurrent creates never take the same one nor wait for each
// other.
func (s *Service) takeNumber(ctx context.Context, tenant string) (int64, error) {
	out, err := s.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table.Name),
		Key:                       counterKey(tenant),
		UpdateExpression:          aws.String("SET #kind = :kind ADD #n :one"),
		ExpressionAttributeNames:  map[string]string{"#kind": dynamo.AttrKind, "#n": attrCounter},
		ExpressionAttributeValues: map[string]types.AttributeValue{":kind": dynamo.S(kindCounter), ":one": dynamo.N(1)},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, dynamo.Unavailable("take case number", err)
	}
	n := dynamo.Int(out.Attributes, attrCounter)
	if n < 1 {
		return 0, problem.Wrap(problem.Internal, fmt.Errorf("case counter of %s answered %d", tenant, n), "")
	}
	return n, nil
}

// giveBackNumber returns number n to the counter if it is still the last
// one taken, after a create that certainly wrote nothing. If another
// create took a number meanwhile, or the store fails, n stays a gap.
func (s *Service) giveBackNumber(ctx context.Context, tenant string, n int64) {
	_, err := s.table.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table.Name),
		Key:                       counterKey(tenant),
		UpdateExpression:          aws.String("SET #n = :prev"),
		ConditionExpression:       aws.String("#n = :n"),
		ExpressionAttributeNames:  map[string]string{"#n": attrCounter},
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": dynamo.N(n - 1), ":n": dynamo.N(n)},
	})
	if err != nil {
		httpapi.Log(ctx).InfoContext(ctx, "case number not given back: it stays a gap", "number", n, "err", err.Error())
	}
}

// refused reports whether err is what a failed condition of one of writes
// means: the transaction was cancelled, so nothing of it was written.
func refused(err error, writes []dynamo.Write) bool {
	for _, w := range writes {
		if w.Fails() != nil && err == w.Fails() {
			return true
		}
	}
	return false
}

// commitRetrying commits writes, retrying a few times when the
// transaction lost a race with another one on the same items.
func (s *Service) commitRetrying(ctx context.Context, op string, writes []dynamo.Write) error {
	const attempts = 4
	for attempt := 1; ; attempt++ {
		err := s.table.Commit(ctx, op, writes...)
		if err == nil || attempt == attempts || !dynamo.Conflict(err) {
			return err
		}
		if err := dynamo.Pause(ctx, attempt); err != nil {
			return dynamo.Unavailable(op, err)
		}
	}
}

// storeChange writes a planned change of a case: the case, its event, its
// list entries, the checks of what it newly refers to, its mail and, when
// it closes, the completion of its linked order. An order that is not
// open (any more) is left as it is: the case closes without it.
func (s *Service) storeChange(ctx context.Context, tenant string, ch *caseChange) error {
	for range 2 {
		writes, err := s.changeWrites(tenant, ch)
		if err != nil {
			return err
		}
		err = s.table.Commit(ctx, "update case", writes...)
		switch {
		case errors.Is(err, errOrderNotOpen):
			ch.completeOrder = false
			continue
		case errors.Is(err, errCaseChanged):
			return s.changedOrGone(ctx, tenant, ch.old)
		}
		return err
	}
	return problem.New(problem.Unavailable, "The case could not be saved; try again.")
}

// changeWrites are the writes of a change.
func (s *Service) changeWrites(tenant string, ch *caseChange) ([]dynamo.Write, error) {
	c, old, now := ch.c, ch.old, ch.c.UpdatedAt
	up, err := caseUpdate(tenant, c, old.Version, "", nil)
	if err != nil {
		return nil, err
	}
	ev, err := eventWrite(tenant, c.ID, ch.event)
	if err != nil {
		return nil, err
	}
	vw, err := viewWrites(tenant, old, c)
	if err != nil {
		return nil, err
	}
	mails, err := mailWrites(tenant, c, ch.texts, now)
	if err != nil {
		return nil, err
	}
	writes := append(append([]dynamo.Write{up, ev}, vw...), mails...)
	if !ch.completeOrder {
		return append(writes, s.referenceChecks(tenant, old, c)...), nil
	}
	// The completion proves that the order exists (its condition is that
	// it exists and is open), and a transaction may not hold two
	// operations on one item: an order linked by this very change gets no
	// check of its own. (If the completion fails, the retry without it
	// checks the order.)
	refs := *c
	refs.LinkedOrderID = old.LinkedOrderID
	oe, err := eventWrite(tenant, c.ID, &Event{ID: ch.event.ID + "o", At: now, By: ch.event.By, Type: "order-completed", Subject: c.LinkedOrderID})
	if err != nil {
		return nil, err
	}
	writes = append(writes, s.referenceChecks(tenant, old, &refs)...)
	return append(writes, s.customers.CompleteOrder(tenant, c.LinkedOrderID, now.Time).Meaning(errOrderNotOpen), oe), nil
}

// storeDelete marks the case deleted (version c.Version, based on old),
// writes its event and removes it from every list.
func (s *Service) storeDelete(ctx context.Context, tenant string, old, c *Case, e *Event) error {
	up, err := caseUpdate(tenant, c, old.Version, ", "+attrDeletedAt+" = :at",
		map[string]types.AttributeValue{":at": dynamo.S(dynamo.KeyTime(c.UpdatedAt.Time))})
	if err != nil {
		return err
	}
	ev, err := eventWrite(tenant, c.ID, e)
	if err != nil {
		return err
	}
	vw, err := viewWrites(tenant, old, nil)
	if err != nil {
		return err
	}
	err = s.table.Commit(ctx, "delete case", append([]dynamo.Write{up, ev}, vw...)...)
	if errors.Is(err, errCaseChanged) {
		return s.changedOrGone(ctx, tenant, old)
	}
	return err
}
