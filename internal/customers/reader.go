package customers

import "context"

// Reader is what another area reads of a customer's contact: the mailer,
// for the contact a mail goes to. The customers area owns it and serves it
// (Service), so that no other area knows how a customer is stored.
type Reader interface {
	// Contact reads the contact of the tenant's customer, with the
	// customer's name (one strongly consistent GetItem). A customer that
	// does not exist, or does not have the contact, answers a NotFound
	// error.
	Contact(ctx context.Context, tenant, customerID, contactID string) (*CustomerContact, error)
}

// CustomerContact is a contact with the name of its customer.
type CustomerContact struct {
	CustomerID   string
	CustomerName string
	Contact
}

var _ Reader = (*Service)(nil)

// Contact reads a customer's contact; see Reader.
func (s *Service) Contact(ctx context.Context, tenant, customerID, contactID string) (*CustomerContact, error) {
	c, err := s.Customer(ctx, tenant, customerID)
	if err != nil {
		return nil, err
	}
	k, ok := c.Contact(contactID)
	if !ok {
		return nil, notFound("contact", contactID)
	}
	return &CustomerContact{CustomerID: c.ID, CustomerName: c.Name, Contact: k}, nil
}
