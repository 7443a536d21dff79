package cases

import "context"

// Reader is what another area reads of a case: the mailer, for the case a
// mail is about. The cases area owns it and serves it (Service), so that
// no other area knows how a case is stored.
type Reader interface {
	// Case reads the tenant's case with the ID as stored (without what is
	// computed on answering, such as the SLA): strongly consistent, so a
	// case that was just created is found. A case that does not exist or
	// was deleted answers a NotFound error.
	Case(ctx context.Context, tenant, id string) (*Case, error)
}

var _ Reader = (*Service)(nil)

// Case reads the case item alone (one GetItem); see Reader.
func (s *Service) Case(ctx context.Context, tenant, id string) (*Case, error) {
	return s.getCase(ctx, tenant, id)
}
