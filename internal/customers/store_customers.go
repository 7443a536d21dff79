package customers

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// A customer is its own partition: the customer item and one guard item
// per contact, so that a contact's membership can be proved by a
// ConditionCheck on its guard without reading the customer (CheckContact).

func customerKey(tenant, id string) dynamo.Item {
	return dynamo.Key(dynamo.CustomerPK(tenant, id), dynamo.CustomerSK)
}

func contactKey(tenant, customerID, contactID string) dynamo.Item {
	return dynamo.Key(dynamo.CustomerPK(tenant, customerID), dynamo.ContactSK(contactID))
}

// customerItem is the customer item as created: listed by name on GSI1,
// and with an order count that starts at zero and is afterwards moved
// only by order writes (ADD).
func customerItem(tenant string, c *Customer) (dynamo.Item, error) {
	item, err := dynamo.NewItem(dynamo.CustomerPK(tenant, c.ID), dynamo.CustomerSK, kindCustomer, c.Version, c, maxItemBytes, "customer")
	if err != nil {
		return nil, err
	}
	item[dynamo.AttrGSI1PK] = dynamo.S(dynamo.CustomersGSI1PK(tenant))
	item[dynamo.AttrGSI1SK] = dynamo.S(dynamo.CustomerNameSK(c.Name, c.ID))
	item[attrOrders] = dynamo.N(0)
	return item, nil
}

// decodeCustomer reads a customer item. The native version is the one
// conditions test, so it is the one answered.
func decodeCustomer(item dynamo.Item) (*Customer, error) {
	var c Customer
	if err := dynamo.DecodeData(item, &c); err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode customer: %w", err), "")
	}
	c.Version = dynamo.Int(item, dynamo.AttrVer)
	if c.Contacts == nil {
		c.Contacts = []Contact{}
	}
	return &c, nil
}

// contactGuard writes the small item whose existence proves that a
// contact belongs to a customer (see CheckContact).
func contactGuard(tenant, customerID, contactID string) dynamo.Write {
	item := contactKey(tenant, customerID, contactID)
	item[dynamo.AttrKind] = dynamo.S(kindContact)
	return dynamo.Put(item, dynamo.Cond{}, nil)
}

// dropContactGuard removes a contact's guard.
func dropContactGuard(tenant, customerID, contactID string) dynamo.Write {
	return dynamo.Delete(contactKey(tenant, customerID, contactID), dynamo.Cond{}, nil)
}

// customer reads the tenant's customer with the ID and its order count
// (one GetItem), or answers NotFound.
func (st store) customer(ctx context.Context, tenant, id string) (*Customer, int64, error) {
	if !identity.ValidID(id) {
		return nil, 0, notFound("customer", id)
	}
	item, err := st.get(ctx, "get customer", customerKey(tenant, id))
	if err != nil {
		return nil, 0, err
	}
	if item == nil {
		return nil, 0, notFound("customer", id)
	}
	c, err := decodeCustomer(item)
	return c, dynamo.Int(item, attrOrders), err
}

func customersIndex(tenant string) listIndex {
	return listIndex{
		index: dynamo.IndexGSI1, pkAttr: dynamo.AttrGSI1PK, skAttr: dynamo.AttrGSI1SK,
		partition: dynamo.CustomersGSI1PK(tenant),
		itemPK:    dynamo.CustomerPK(tenant, ""), itemSK: dynamo.CustomerSK,
	}
}

// customers reads one page of the tenant's customers by name.
func (st store) customers(ctx context.Context, tenant string, limit int, cursor string) ([]*Customer, string, error) {
	return page(ctx, st, customersIndex(tenant), limit, cursor, decodeCustomer)
}

// createCustomer stores a new customer and its contacts' guards in one
// transaction.
func (st store) createCustomer(ctx context.Context, tenant string, c *Customer) error {
	item, err := customerItem(tenant, c)
	if err != nil {
		return err
	}
	writes := []dynamo.Write{dynamo.Put(item, dynamo.NotExists(), idTaken("customer", c.ID))}
	for _, k := range c.Contacts {
		writes = append(writes, contactGuard(tenant, c.ID, k.ID))
	}
	writes, err = fitsOne(append(writes, emailWrites(tenant, nil, c)...))
	if err != nil {
		return err
	}
	return st.table.Commit(ctx, "create customer", writes...)
}

// updateCustomer stores c over old, the customer as read (errChanged
// when that is no longer the stored version), with guards for the
// contacts added and without those of the contacts removed, and its
// contacts' entries in the e-mail index, in one transaction. The customer
// item gets an Update, not a Put, so that a concurrent order write's ADD
// to its order count is never lost.
func (st store) updateCustomer(ctx context.Context, tenant string, c, old *Customer, added, removed []string, guards ...dynamo.Write) error {
	prev := old.Version
	item, err := customerItem(tenant, c)
	if err != nil {
		return err
	}
	writes := []dynamo.Write{dynamo.Change(dynamo.Update{
		Key:    customerKey(tenant, c.ID),
		Set:    "SET #d = :d, #v = :next, #sk = :sk",
		Names:  map[string]string{"#d": dynamo.AttrData, "#v": dynamo.AttrVer, "#sk": dynamo.AttrGSI1SK},
		Values: map[string]types.AttributeValue{":d": item[dynamo.AttrData], ":next": item[dynamo.AttrVer], ":sk": item[dynamo.AttrGSI1SK]},
	}, dynamo.VersionIs(prev), errChanged)}
	for _, id := range added {
		writes = append(writes, contactGuard(tenant, c.ID, id))
	}
	for _, id := range removed {
		writes = append(writes, dropContactGuard(tenant, c.ID, id))
	}
	writes, err = fitsOne(append(append(writes, emailWrites(tenant, old, c)...), guards...))
	if err != nil {
		return err
	}
	return st.table.Commit(ctx, "update customer", writes...)
}

// deleteCustomer removes the customer c as it was read, and its contacts'
// guards: only while it is that version and has no orders (errChanged
// otherwise). The order count is part of the condition, so an order
// created at the same moment cannot be left pointing at nothing.
func (st store) deleteCustomer(ctx context.Context, tenant string, c *Customer, guards ...dynamo.Write) error {
	noOrders := dynamo.Cond{Expr: "#o = :zero", Names: map[string]string{"#o": attrOrders},
		Values: map[string]types.AttributeValue{":zero": dynamo.N(0)}}
	writes := []dynamo.Write{dynamo.Delete(customerKey(tenant, c.ID), dynamo.VersionIs(c.Version).And(noOrders), errChanged)}
	for _, k := range c.Contacts {
		writes = append(writes, dropContactGuard(tenant, c.ID, k.ID))
	}
	writes, err := fitsDelete(append(append(writes, emailWrites(tenant, c, nil)...), guards...))
	if err != nil {
		return err
	}
	return st.table.Commit(ctx, "delete customer", writes...)
}
