package customers

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// The kinds of customer.
const (
	KindCompany = "company"
	KindPerson  = "person"
)

// Customer is a company or person the tenant serves, with its contacts.
type Customer struct {
	ID        string    `json:"id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	CustomerFields
}

// CustomerFields are the fields of a customer that a client sets.
type CustomerFields struct {
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	OrgNumber string    `json:"orgNumber,omitempty"`
	Email     string    `json:"email,omitempty"`
	Phone     string    `json:"phone,omitempty"`
	Contacts  []Contact `json:"contacts"`
}

// Contact is a person at a customer. The server assigns its ID when it is
// first sent without one; sending the ID back keeps the contact (and the
// cases that name it) linked.
type Contact struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
	// Locale is the language of mail to the contact; empty: the tenant's.
	Locale string `json:"locale,omitempty"`
}

// CurrentVersion returns the version, for the ETag.
func (c *Customer) CurrentVersion() int64 { return c.Version }

// Contact returns the customer's contact with the ID, if it has one.
func (c *Customer) Contact(id string) (Contact, bool) {
	i := slices.IndexFunc(c.Contacts, func(k Contact) bool { return k.ID == id })
	if i < 0 {
		return Contact{}, false
	}
	return c.Contacts[i], true
}

// check validates v. known are the IDs of the customer's stored contacts
// (none on create): a contact sent with any other ID is refused, so a
// client cannot mint IDs or take over another customer's contact.
func (v *CustomerFields) check(errs *problem.Fields, known []Contact) {
	checkLine(errs, "name", v.Name, 1, maxName)
	errs.OneOf("kind", v.Kind, KindCompany, KindPerson)
	checkLine(errs, "orgNumber", v.OrgNumber, 0, maxOrgNumber)
	errs.Email("email", v.Email, false)
	checkLine(errs, "phone", v.Phone, 0, maxPhone)
	if v.Contacts == nil {
		v.Contacts = []Contact{}
	}
	if len(v.Contacts) > maxContacts {
		errs.Add("contacts", "may hold at most %d contacts", maxContacts)
		return
	}
	for i, k := range v.Contacts {
		f := fmt.Sprintf("contacts[%d].", i)
		if k.ID != "" {
			switch {
			case !slices.ContainsFunc(known, func(o Contact) bool { return o.ID == k.ID }):
				errs.Add(f+"id", "is not a contact of this customer; leave the id out to add a new contact")
			case slices.ContainsFunc(v.Contacts[:i], func(o Contact) bool { return o.ID == k.ID }):
				errs.Add(f+"id", "is listed twice")
			}
		}
		checkLine(errs, f+"name", k.Name, 1, maxPerson)
		errs.Email(f+"email", k.Email, false)
		checkLine(errs, f+"phone", k.Phone, 0, maxPhone)
		if k.Locale != "" {
			errs.OneOf(f+"locale", k.Locale, "sv", "en")
		}
	}
}

// assignContactIDs gives every contact sent without an ID a new one.
func (v *CustomerFields) assignContactIDs(now time.Time) {
	for i := range v.Contacts {
		if v.Contacts[i].ID == "" {
			v.Contacts[i].ID = dynamo.NewID(now)
		}
	}
}

func customerKey(tenant, id string) map[string]types.AttributeValue {
	return key(dynamo.CustomerPK(tenant, id), dynamo.CustomerSK)
}

func contactKey(tenant, customerID, contactID string) map[string]types.AttributeValue {
	return key(dynamo.CustomerPK(tenant, customerID), dynamo.ContactSK(contactID))
}

// decodeCustomer reads a customer item. The native version is the one
// conditions test, so it is the one answered.
func decodeCustomer(item map[string]types.AttributeValue) (*Customer, error) {
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

// customerItem is the customer item as created: the order count starts
// at zero and is afterwards moved only by order writes (ADD).
func customerItem(tenant string, c *Customer) (map[string]types.AttributeValue, error) {
	data, err := dynamo.Data(c)
	if err != nil {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("marshal customer: %w", err), "")
	}
	item := customerKey(tenant, c.ID)
	item[dynamo.AttrKind] = dynamo.S(kindCustomer)
	item[dynamo.AttrVer] = dynamo.N(c.Version)
	item[dynamo.AttrGSI1PK] = dynamo.S(dynamo.CustomersGSI1PK(tenant))
	item[dynamo.AttrGSI1SK] = dynamo.S(dynamo.CustomerNameSK(c.Name, c.ID))
	item[attrOrders] = dynamo.N(0)
	item[dynamo.AttrData] = data
	return item, nil
}

// contactGuard is the small item whose existence proves that a contact
// belongs to a customer (see CheckContact).
func (s *Service) contactGuard(tenant, customerID, contactID string) types.TransactWriteItem {
	item := contactKey(tenant, customerID, contactID)
	item[dynamo.AttrKind] = dynamo.S(kindContact)
	return s.put(item, cond{})
}

// Customer returns the tenant's customer with the ID (one GetItem), or
// NotFound.
func (s *Service) Customer(ctx context.Context, tenant, id string) (*Customer, error) {
	c, _, err := s.readCustomer(ctx, tenant, id)
	return c, err
}

// readCustomer returns the customer and its order count.
func (s *Service) readCustomer(ctx context.Context, tenant, id string) (*Customer, int64, error) {
	if !validID(id) {
		return nil, 0, notFound("customer", id)
	}
	item, err := s.getItem(ctx, "get customer", customerKey(tenant, id))
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

// listCustomers answers one page of the tenant's customers by name.
func (s *Service) listCustomers(ctx context.Context, tenant string, p httpapi.Page) (httpapi.List[*Customer], error) {
	items, next, err := s.page(ctx, customersIndex(tenant), p)
	if err != nil {
		return httpapi.List[*Customer]{}, err
	}
	out := httpapi.List[*Customer]{Items: make([]*Customer, 0, len(items)), Next: next}
	for _, it := range items {
		c, err := decodeCustomer(it)
		if err != nil {
			return httpapi.List[*Customer]{}, err
		}
		out.Items = append(out.Items, c)
	}
	return out, nil
}

// createCustomer stores a new customer and its contacts' guards in one
// transaction.
func (s *Service) createCustomer(ctx context.Context, tenant string, in *CustomerFields) (*Customer, error) {
	var errs problem.Fields
	in.check(&errs, nil)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	in.assignContactIDs(now)
	c := &Customer{ID: dynamo.NewID(now), Version: 1, CreatedAt: now, UpdatedAt: now, CustomerFields: *in}
	item, err := customerItem(tenant, c)
	if err != nil {
		return nil, err
	}
	tx := []types.TransactWriteItem{s.put(item, mustNotExist())}
	for _, k := range c.Contacts {
		tx = append(tx, s.contactGuard(tenant, c.ID, k.ID))
	}
	if failed, err := s.commit(ctx, "create customer", tx); err != nil {
		return nil, err
	} else if len(failed) > 0 {
		return nil, problem.New(problem.Internal, "create customer: condition failed on %v", failed)
	}
	return c, nil
}

// updateCustomer merge-patches the customer, based on version. Contacts
// that appear get a guard item and contacts that go lose theirs, in the
// same transaction as the customer. The order count is not touched: an
// Update, not a Put, so a concurrent order write's ADD is never lost.
func (s *Service) updateCustomer(ctx context.Context, tenant, id string, version int64, in httpapi.ObjectRequest) (*Customer, error) {
	for range maxAttempts {
		old, _, err := s.readCustomer(ctx, tenant, id)
		if err != nil {
			return nil, err
		}
		if err := httpapi.CheckVersion("customer", old, version, in.Echoed); err != nil {
			return nil, err
		}
		v := new(CustomerFields)
		if err := httpapi.MergePatch(old.CustomerFields, in.Body, v); err != nil {
			return nil, err
		}
		var errs problem.Fields
		v.check(&errs, old.Contacts)
		if err := errs.Err(); err != nil {
			return nil, err
		}
		now := s.stamp()
		v.assignContactIDs(now)
		c := &Customer{ID: old.ID, Version: old.Version + 1, CreatedAt: old.CreatedAt, UpdatedAt: now, CustomerFields: *v}

		var added, removed []string
		for _, k := range c.Contacts {
			if _, had := old.Contact(k.ID); !had {
				added = append(added, k.ID)
			}
		}
		for _, k := range old.Contacts {
			if _, kept := c.Contact(k.ID); !kept {
				removed = append(removed, k.ID)
			}
		}
		for _, cid := range removed {
			if ref, err := dynamo.CaseIn(ctx, s.table, tenant, "contact="+cid); err != nil {
				return nil, err
			} else if ref != "" {
				return nil, problem.FieldInvalid("contacts", "contact %s is the contact of %s; switch that case's contact first", cid, ref)
			}
		}
		if 1+len(added)+len(removed) > maxTransactItems {
			return nil, problem.FieldInvalid("contacts", "one change may add and remove at most %d contacts together; remove some first, then add the new ones", maxTransactItems-1)
		}
		update, err := s.customerUpdate(tenant, c, old.Version)
		if err != nil {
			return nil, err
		}
		tx := []types.TransactWriteItem{update}
		for _, cid := range added {
			tx = append(tx, s.contactGuard(tenant, c.ID, cid))
		}
		for _, cid := range removed {
			tx = append(tx, s.del(contactKey(tenant, c.ID, cid), cond{}))
		}
		failed, err := s.commit(ctx, "update customer", tx)
		if err != nil {
			return nil, err
		}
		if len(failed) == 0 {
			return c, nil
		}
		// The customer changed or went between the read and the commit:
		// the next read answers 404 or 412, or plans again for If-Match: *.
	}
	return nil, problem.New(problem.Unavailable, "The customer is being changed by someone else; try again.")
}

// customerUpdate is the Update of the customer item's data, version and
// name key, conditioned on the version the change was based on.
func (s *Service) customerUpdate(tenant string, c *Customer, prev int64) (types.TransactWriteItem, error) {
	data, err := dynamo.Data(c)
	if err != nil {
		return types.TransactWriteItem{}, problem.Wrap(problem.Internal, fmt.Errorf("marshal customer: %w", err), "")
	}
	cd := versionIs(prev)
	cd.names["#d"] = dynamo.AttrData
	cd.names["#sk"] = dynamo.AttrGSI1SK
	cd.values[":d"] = data
	cd.values[":next"] = dynamo.N(c.Version)
	cd.values[":sk"] = dynamo.S(dynamo.CustomerNameSK(c.Name, c.ID))
	return types.TransactWriteItem{Update: &types.Update{
		TableName:                 aws.String(s.table.Name),
		Key:                       customerKey(tenant, c.ID),
		UpdateExpression:          aws.String("SET #d = :d, #v = :next, #sk = :sk"),
		ConditionExpression:       aws.String(cd.expr),
		ExpressionAttributeNames:  cd.names,
		ExpressionAttributeValues: cd.values,
	}}, nil
}

// deleteCustomer removes the customer and its contacts' guards. A customer
// with orders is kept (409, naming one): the order count on the customer
// item is part of the delete's condition, so an order created at the same
// moment cannot be left pointing at nothing.
//
// A customer that cases refer to is kept too (409 naming one case). A case
// registered at the same moment may still refer to it; the case then shows
// the customer as unknown.
func (s *Service) deleteCustomer(ctx context.Context, tenant, id string, version int64) error {
	if ref, err := dynamo.CaseIn(ctx, s.table, tenant, "customer="+id); err != nil {
		return err
	} else if ref != "" {
		return problem.New(problem.Conflict, "The customer is still the customer of %s and maybe others; switch their customer first.", ref)
	}
	for range maxAttempts {
		old, orders, err := s.readCustomer(ctx, tenant, id)
		if err != nil {
			return err
		}
		if err := httpapi.CheckVersion("customer", old, version, nil); err != nil {
			return err
		}
		if orders > 0 {
			return s.hasOrders(ctx, tenant, old, orders)
		}
		c := versionIs(old.Version)
		c.expr += " AND #o = :zero"
		c.names["#o"] = attrOrders
		c.values[":zero"] = dynamo.N(0)
		tx := []types.TransactWriteItem{s.del(customerKey(tenant, id), c)}
		for _, k := range old.Contacts {
			tx = append(tx, s.del(contactKey(tenant, id, k.ID), cond{}))
		}
		failed, err := s.commit(ctx, "delete customer", tx)
		if err != nil {
			return err
		}
		if len(failed) == 0 {
			return nil
		}
		// Changed, deleted or given an order since the read: read again.
	}
	return problem.New(problem.Unavailable, "The customer is being changed by someone else; try again.")
}
