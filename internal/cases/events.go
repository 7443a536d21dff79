package cases

import (
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/problem"
)

// handleEvents answers a case's event log, oldest first, page by page. The
// log is readable only while the case menu's "events" item (Händelser) is
// enabled in the settings.
func (s *Service) handleEvents(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	snap, err := s.settings.Snapshot(r.Context(), p.Tenant)
	if err != nil {
		return err
	}
	if !snap.MenuItemEnabled("events") {
		return problem.New(problem.Forbidden, "The event log is turned off: enable \"Händelser\" (events) in the case-detail menu settings to read it.")
	}
	caseID := r.PathValue("id")
	if _, err := s.getCase(r.Context(), p.Tenant, caseID); err != nil {
		return err
	}
	page, err := readItems[Event](r, s, p.Tenant, caseID, dynamo.EventSKPrefix, 50)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, page)
	return nil
}

// readItems answers one page of a case's items whose sort keys start with
// prefix (its event log, its comments), oldest first: one strongly
// consistent Query, so the page shows the change just made.
func readItems[T any](r *http.Request, s *Service, tenant, caseID, prefix string, defaultLimit int) (httpapi.List[*T], error) {
	var page httpapi.List[*T]
	pg, err := httpapi.ReadPage(r, defaultLimit)
	if err != nil {
		return page, err
	}
	pk := dynamo.CasePK(tenant, caseID)
	in := &dynamodb.QueryInput{
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S(pk), ":prefix": dynamo.S(prefix)},
		ConsistentRead: aws.Bool(true),
	}
	items, next, err := s.table.Page(r.Context(), "list "+prefix, dynamo.PageQuery{Input: in, Limit: pg.Limit, Cursor: pg.Cursor,
		KeyNames: []string{dynamo.AttrPK, dynamo.AttrSK},
		Valid: func(k map[string]string) bool {
			return k[dynamo.AttrPK] == pk && strings.HasPrefix(k[dynamo.AttrSK], prefix)
		}})
	if err != nil {
		return page, err
	}
	page.Items, page.Next = make([]*T, 0, len(items)), next
	for _, it := range items {
		v := new(T)
		if err := dynamo.DecodeData(it, v); err != nil {
			return page, problem.Wrap(problem.Internal, err, "")
		}
		page.Items = append(page.Items, v)
	}
	return page, nil
}
