package cases

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// storeCreate writes a planned new case: it takes the case's number (and
// reads its customer's names, at the same time), then writes the case,
// its tasks, its first event, its list and search entries, its mail, the
// checks of what it refers to and, when it is created closed, the
// completion of its linked order, in one transaction.
//
// Numbers are unique, and a gap appears only after a write that failed:
// a create refused after its number was taken (too large, or a condition
// failed: no such customer, contact or order) gives its number back when
// no later one was taken meanwhile; one that failed otherwise (the store
// unavailable) leaves its number unused, as does a refused one when
// another create took the next number meanwhile.
func (s *Service) storeCreate(ctx context.Context, tenant string, n *newCase) error {
	names := s.namesOf(ctx, tenant, n)
	number, err := s.takeNumber(ctx, tenant)
	read := <-names
	if err != nil {
		return err
	}
	n.c.Number = number
	wroteNothing, err := true, read.err
	if err == nil {
		n.c.names, n.customerAt = read.names, read.version
		wroteNothing, err = s.commitCreate(ctx, tenant, n)
	}
	if err != nil && wroteNothing {
		s.giveBackNumber(ctx, tenant, number)
	}
	return err
}

// namesRead is what a case took of its customer, read beside its number.
type namesRead struct {
	names   caseNames
	version int64
	err     error
}

// namesOf reads the names of the new case's customer and contact beside
// its number, unless the create found them elsewhere, with a check of its
// own (effects.customerCheck): then they are what it found.
func (s *Service) namesOf(ctx context.Context, tenant string, n *newCase) <-chan namesRead {
	if n.customerCheck == nil {
		return s.namesAsync(ctx, tenant, n.c.CustomerID, n.c.ContactID)
	}
	out := make(chan namesRead, 1)
	out <- namesRead{names: n.c.names}
	return out
}

// namesAsync reads the names of a customer and its contact while the
// caller does something else (nothing to read without a customer).
func (s *Service) namesAsync(ctx context.Context, tenant, customerID, contactID string) <-chan namesRead {
	out := make(chan namesRead, 1)
	if customerID == "" {
		out <- namesRead{}
		return out
	}
	go func() {
		var r namesRead
		r.names, r.version, r.err = s.customerNames(ctx, tenant, customerID, contactID)
		out <- r
	}()
	return out
}

// commitCreate commits a planned new case, and answers whether a failure
// certainly wrote nothing (its transaction was refused or never sent).
// An order that is not open (any more) is left as it is; a customer
// changed since its names were read is read again.
func (s *Service) commitCreate(ctx context.Context, tenant string, n *newCase) (wroteNothing bool, err error) {
	for range 3 {
		writes, err := s.createWrites(tenant, n)
		if err != nil {
			return true, err
		}
		err = s.commitRetrying(ctx, "create case", writes)
		switch {
		case errors.Is(err, errOrderNotOpen):
			n.completeOrder = false
		case errors.Is(err, errCustomerChanged):
			if n.c.names, n.customerAt, err = s.customerNames(ctx, tenant, n.c.CustomerID, n.c.ContactID); err != nil {
				return true, err
			}
		default:
			return err != nil && refused(err, writes), err
		}
	}
	return true, problem.New(problem.Unavailable, "The case could not be saved; try again.")
}

// createWrites are the writes of a new case.
func (s *Service) createWrites(tenant string, n *newCase) ([]dynamo.Write, error) {
	c := n.c
	ci, err := caseItem(tenant, c)
	if err != nil {
		return nil, err
	}
	// Another area's writes first: Commit answers the meaning of the first
	// failed condition, and theirs (a replayed request) decide the answer.
	var writes []dynamo.Write
	if n.extra != nil {
		if writes, err = n.extra(c); err != nil {
			return nil, err
		}
	}
	writes = append(writes, dynamo.Put(ci, dynamo.NotExists(), errIDTaken))
	if n.form != nil {
		fw, err := formCreate(tenant, n.form)
		if err != nil {
			return nil, err
		}
		writes = append(writes, fw)
	}
	for _, t := range n.tasks {
		it, err := taskKind.item(tenant, c.ID, t)
		if err != nil {
			return nil, err
		}
		writes = append(writes, dynamo.Put(it, dynamo.NotExists(), errIDTaken))
	}
	rest, err := s.caseWrites(tenant, nil, c, &n.effects)
	if err != nil {
		return nil, err
	}
	return fits(append(writes, rest...), "Give the case fewer assignees or a shorter title, or its type fewer template tasks.")
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
