package customers

import (
	"context"
	"fmt"
	"slices"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// The kinds of customer.
const (
	KindCompany = "company"
	KindPerson  = "person"
)

// Customer is a company or person the tenant serves, with its contacts.
type Customer struct {
	ID        string         `json:"id"`
	Version   int64          `json:"version"`
	CreatedAt timestamp.Time `json:"createdAt"`
	UpdatedAt timestamp.Time `json:"updatedAt"`
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
func (v *CustomerFields) assignContactIDs(now timestamp.Time) {
	for i := range v.Contacts {
		if v.Contacts[i].ID == "" {
			v.Contacts[i].ID = dynamo.NewID(now.Time)
		}
	}
}

// newCustomer plans a new customer from what a client sent: checked, with
// new IDs for it and its contacts.
func newCustomer(in *CustomerFields, now timestamp.Time) (*Customer, error) {
	if err := checked(in, func(v *CustomerFields, errs *problem.Fields) { v.check(errs, nil) }); err != nil {
		return nil, err
	}
	in.assignContactIDs(now)
	return &Customer{ID: dynamo.NewID(now.Time), Version: 1, CreatedAt: now, UpdatedAt: now, CustomerFields: *in}, nil
}

// edited plans the customer after e: the next version, checked, with new
// IDs for the contacts e adds.
func (c *Customer) edited(e edit, now timestamp.Time) (*Customer, error) {
	v, err := apply("customer", c, c.CustomerFields, e, func(v *CustomerFields, errs *problem.Fields) { v.check(errs, c.Contacts) })
	if err != nil {
		return nil, err
	}
	v.assignContactIDs(now)
	return &Customer{ID: c.ID, Version: c.Version + 1, CreatedAt: c.CreatedAt, UpdatedAt: now, CustomerFields: *v}, nil
}

// contactChanges are the IDs of the contacts that next has and c has not
// (added), and of those that c has and next has not (removed).
func (c *Customer) contactChanges(next *Customer) (added, removed []string) {
	for _, k := range next.Contacts {
		if _, had := c.Contact(k.ID); !had {
			added = append(added, k.ID)
		}
	}
	for _, k := range c.Contacts {
		if _, kept := next.Contact(k.ID); !kept {
			removed = append(removed, k.ID)
		}
	}
	return added, removed
}

// Customer returns the tenant's customer with the ID (one GetItem), or
// NotFound.
func (s *Service) Customer(ctx context.Context, tenant, id string) (*Customer, error) {
	c, _, err := s.store.customer(ctx, tenant, id)
	return c, err
}

// listCustomers answers one page of the tenant's customers by name, and
// the cursor of the next page.
func (s *Service) listCustomers(ctx context.Context, tenant string, limit int, cursor string) ([]*Customer, string, error) {
	return s.store.customers(ctx, tenant, limit, cursor)
}

// createCustomer stores a new customer and its contacts.
func (s *Service) createCustomer(ctx context.Context, tenant string, in *CustomerFields) (*Customer, error) {
	c, err := newCustomer(in, s.stamp())
	if err != nil {
		return nil, err
	}
	if err := s.store.createCustomer(ctx, tenant, c); err != nil {
		return nil, err
	}
	return c, nil
}

// updateCustomer merge-patches the customer. A contact may go only when
// no case has it as its contact. After a rename (of the customer or a
// contact), the cases area is told (see Renames).
func (s *Service) updateCustomer(ctx context.Context, tenant, id string, e edit) (*Customer, error) {
	var c, old *Customer
	err := retry("customer", func() error {
		var err error
		old, _, err = s.store.customer(ctx, tenant, id)
		if err != nil {
			return err
		}
		if c, err = old.edited(e, s.stamp()); err != nil {
			return err
		}
		added, removed := old.contactChanges(c)
		for _, cid := range removed {
			if err := s.unused(ctx, tenant, caselist.ByContact(cid), func(ref string) error {
				return problem.FieldInvalid("contacts", "contact %s is the contact of %s; switch that case's contact first", cid, ref)
			}); err != nil {
				return err
			}
		}
		var guards []dynamo.Write
		if len(removed) > 0 {
			guards, err = s.definitionGuard(ctx, tenant, "contact", func(cu, co, _ string) bool { return cu == id && slices.Contains(removed, co) })
			if err != nil {
				return err
			}
		}
		return s.store.updateCustomer(ctx, tenant, c, old, added, removed, guards...)
	})
	if err != nil {
		return nil, err
	}
	if old.renamed(c) {
		s.tellRenamed(ctx, tenant, id)
	}
	return c, nil
}

// deleteCustomer removes the customer and its contacts. A customer with
// orders is kept (409, naming one), and so is a customer that cases refer
// to (409 naming one case). A case registered at the same moment may
// still refer to it; the case then shows the customer as unknown.
func (s *Service) deleteCustomer(ctx context.Context, tenant, id string, version int64) error {
	if err := s.deletable(ctx, tenant, "customer", id, caselist.ByCustomer(id),
		"The customer is still the customer of %s and maybe others; switch their customer first."); err != nil {
		return err
	}
	return retry("customer", func() error {
		old, orders, err := s.store.customer(ctx, tenant, id)
		if err != nil {
			return err
		}
		if err := httpapi.CheckVersion("customer", old, version, nil); err != nil {
			return err
		}
		if orders > 0 {
			return s.hasOrders(ctx, tenant, old, orders)
		}
		guards, err := s.definitionGuard(ctx, tenant, "customer", func(cu, _, _ string) bool { return cu == id })
		if err != nil {
			return err
		}
		return s.store.deleteCustomer(ctx, tenant, old, guards...)
	})
}

// hasOrders answers why a customer with orders cannot be deleted, naming
// one of them: the customer's newest order. The index lags the table a
// little, so the count on the customer item decides and the index only
// names an example.
func (s *Service) hasOrders(ctx context.Context, tenant string, c *Customer, count int64) error {
	o, err := s.store.newestOrder(ctx, tenant, c.ID)
	if err != nil {
		return err
	}
	example := ""
	if o != nil {
		example = fmt.Sprintf(", among them order %s", o.Number)
	}
	return problem.New(problem.Conflict, "The customer %q has %d order(s)%s. Delete them or move them to another customer first.", c.Name, count, example)
}
