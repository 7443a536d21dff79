package cases

import (
	"net/http"
	"strconv"
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
	limit := int32(50)
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return problem.FieldInvalid("limit", "must be a number from 1 to %d", maxLimit)
		}
		limit = int32(n)
	}
	pk := dynamo.CasePK(p.Tenant, caseID)
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table.Name),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :e)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S(pk), ":e": dynamo.S(dynamo.EventSKPrefix)},
		Limit:          aws.Int32(limit),
		ConsistentRead: aws.Bool(true), // the log shows the change just made
	}
	if c := r.URL.Query().Get("cursor"); c != "" {
		if in.ExclusiveStartKey, err = decodeCursor(c, pk, []string{dynamo.AttrPK, dynamo.AttrSK},
			within{dynamo.AttrSK: func(v string) bool { return strings.HasPrefix(v, dynamo.EventSKPrefix) }}); err != nil {
			return err
		}
	}
	out, err := s.table.Client.Query(r.Context(), in)
	if err != nil {
		return dynamo.Unavailable("list events", err)
	}
	page := httpapi.List[*Event]{Items: make([]*Event, 0, len(out.Items))}
	for _, it := range out.Items {
		var e Event
		if err := dynamo.DecodeData(it, &e); err != nil {
			return problem.Wrap(problem.Internal, err, "")
		}
		page.Items = append(page.Items, &e)
	}
	if page.Next, err = encodeCursor(out.LastEvaluatedKey); err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, page)
	return nil
}
