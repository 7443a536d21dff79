package cases

import (
	"context"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/httpapi"
)

// CustomerCases answers one page of the cases of the tenant's customer,
// newest first, as stored (no SLA: the answer is for the customer's own
// view, package portal): one Query of the customer's list, reading only
// the entries it answers. The cursor is the one GET /v1/cases?customer=
// answers for the same customer.
func (s *Service) CustomerCases(ctx context.Context, tenant, customerID string, limit int, cursor string) (*httpapi.List[*Case], error) {
	if !validID(customerID) {
		return &httpapi.List[*Case]{Items: []*Case{}}, nil
	}
	lq := listQuery{list: caselist.ByCustomer(customerID), sort: sortNewest, limit: limit, cursor: cursor,
		filters: map[string]string{"customer": customerID}, exact: true}
	lq.tag = queryTag(lq)
	items, next, err := s.listPage(ctx, tenant, lq)
	if err != nil {
		return nil, err
	}
	return &httpapi.List[*Case]{Items: items, Next: next}, nil
}
