package cases

import (
	"context"
	"errors"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// After a rename of a customer or of one of its contacts, the cases of the
// customer are found by the new names: CustomerRenamed reads the
// customer's list (renamePage cases a Query, then one BatchGetItem of
// their case items) and rewrites, for each case whose names changed, its
// names and its search entries in one transaction, renameWorkers at a
// time. Nothing else of the tenant is read.
//
// Each transaction holds only while the case is as read (its version and
// names) and the customer is at the version whose names it writes: a case
// changed meanwhile is read again; when the customer changed, it is read
// again: renamed again, a later call (its own rename's) writes the newer
// names and this one stops; changed otherwise, this one goes on.
const (
	renamePage    = 100
	renameWorkers = 4
	// maxCustomerChanges bounds how often the customer may change
	// otherwise (not its names: its phone, say) while its cases follow.
	maxCustomerChanges = 5
)

// CustomerRenamed makes the cases of the tenant's customer found by its
// names and its contacts' as they are now. The customers area calls it
// after a rename commits (see customers.Renames).
func (s *Service) CustomerRenamed(ctx context.Context, tenant, customerID string) error {
	cu, err := s.customers.Customer(ctx, tenant, customerID)
	if problem.CodeOf(err) == problem.NotFound {
		return nil // gone: it has no cases
	}
	if err != nil {
		return err
	}
	pk := dynamo.CaseViewPK(tenant, string(caselist.ByCustomer(customerID)))
	q := dynamo.PageQuery{
		Input: &dynamodb.QueryInput{KeyConditionExpression: aws.String("PK = :pk"), ConsistentRead: aws.Bool(true),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk)}},
		Limit: renamePage, KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
		Valid: func(k map[string]string) bool { return k[dynamo.AttrPK] == pk },
	}
	renamed, changes := 0, 0
	for {
		entries, next, err := s.table.Page(ctx, "list the customer's cases", q)
		if err != nil {
			return err
		}
		n, err := s.renameCases(ctx, tenant, cu, entries)
		renamed += n
		if errors.Is(err, errCustomerChanged) && changes < maxCustomerChanges {
			changes++
			if cu, err = s.changedMeanwhile(ctx, tenant, cu); err != nil {
				return err
			}
			if cu == nil {
				break // renamed again (that rename's call writes its names), or gone
			}
			continue // the same page again, at the customer's new version
		}
		if err != nil {
			return err
		}
		if next == "" {
			break
		}
		q.Cursor = next
	}
	httpapi.Log(ctx).InfoContext(ctx, "cases follow a customer's rename", "customer", customerID, "cases", renamed)
	return nil
}

// changedMeanwhile answers the customer as it is now, after it changed
// while its cases were given its names: nil when its names are others now
// (renamed again: that rename's call writes them) or it is gone; else
// (another change, such as its phone) its new version, to go on with.
func (s *Service) changedMeanwhile(ctx context.Context, tenant string, was *customers.Customer) (*customers.Customer, error) {
	now, err := s.customers.Customer(ctx, tenant, was.ID)
	if problem.CodeOf(err) == problem.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if now.Name != was.Name {
		return nil, nil
	}
	for _, k := range was.Contacts {
		if nk, ok := now.Contact(k.ID); ok && nk.Name != k.Name {
			return nil, nil
		}
	}
	return now, nil
}

// renameCases gives the cases of a page of the customer's list entries the
// customer's names, and answers how many it changed.
func (s *Service) renameCases(ctx context.Context, tenant string, cu *customers.Customer, entries []dynamo.Item) (int, error) {
	keys := make([]dynamo.Item, 0, len(entries))
	for _, e := range entries {
		c, err := decodeEntry(e)
		if err != nil {
			return 0, err
		}
		keys = append(keys, caseKey(tenant, c.ID))
	}
	found, err := s.table.GetMany(ctx, "read the customer's cases", keys)
	if err != nil {
		return 0, err
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		changed int
		first   error
		slots   = make(chan struct{}, renameWorkers)
	)
	for _, it := range found {
		c, err := decodeCase(it)
		if err != nil || c.CustomerID != cu.ID || c.names == namesOf(cu, c.ContactID) {
			continue // deleted, switched or already so
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			done, err := s.rename(ctx, tenant, cu, c)
			mu.Lock()
			defer mu.Unlock()
			if done {
				changed++
			}
			if first == nil {
				first = err
			}
		})
	}
	wg.Wait()
	return changed, first
}

// namesOf are the names a case of the customer with the contact has.
func namesOf(cu *customers.Customer, contactID string) caseNames {
	n := caseNames{Customer: cu.Name}
	if k, ok := cu.Contact(contactID); ok {
		n.Contact = k.Name
	}
	return n
}

// rename gives case c (as read) the names of its customer cu: its names
// and its search entries, while the case is as read and the customer at
// cu's version. It answers whether it wrote them.
func (s *Service) rename(ctx context.Context, tenant string, cu *customers.Customer, c *Case) (bool, error) {
	for range 3 {
		after := *c
		after.names = namesOf(cu, c.ContactID)
		if after.names == c.names {
			return false, nil
		}
		set, values := "SET #names = :names", map[string]types.AttributeValue{":names": dynamo.S(namesAttr(after.names))}
		if namesAttr(after.names) == "" {
			set, values = "REMOVE #names", nil
		}
		up := dynamo.Change(dynamo.Update{Key: caseKey(tenant, c.ID), Set: set, Names: map[string]string{"#names": attrNames}, Values: values},
			dynamo.VersionIs(c.Version).And(notDeleted).And(namesAsRead(c)), errCaseChanged)
		writes := append(append([]dynamo.Write{up}, searchWrites(tenant, c, &after)...), s.customerAt(tenant, cu.ID, cu.Version))
		err := s.commitRetrying(ctx, "rename in a case", writes)
		if !errors.Is(err, errCaseChanged) {
			return err == nil, err
		}
		c, err = s.getCase(ctx, tenant, c.ID)
		if problem.CodeOf(err) == problem.NotFound || (err == nil && c.CustomerID != cu.ID) {
			return false, nil // deleted or switched meanwhile
		}
		if err != nil {
			return false, err
		}
	}
	return false, problem.New(problem.Unavailable, "A case of the customer is being changed by someone else; try again.")
}
