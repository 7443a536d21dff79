package cases

import (
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/settings"
)

// CheckRecurring checks the case data of a recurring-case definition by
// the rules of a case registered by staff, on the settings snap (no
// I/O), and answers the checks of the customer, contact and order it
// names, for the definition's own transaction: that they exist is proved
// when it commits, as for a case. It is the settings' CaseRules.
func (s *Service) CheckRecurring(snap *settings.Snapshot, d *settings.RecurringCaseData) ([]dynamo.Write, error) {
	in := input{Title: d.Title, Description: d.Description, TypeID: d.TypeID, PriorityID: d.PriorityID,
		CustomerID: d.CustomerID, ContactID: d.ContactID, Assignees: d.Assignees, Fields: d.Fields, LinkedOrderID: d.LinkedOrderID}
	if _, err := planCreate(snap, identity.Principal{Tenant: snap.Tenant, User: "recurring"}, in, s.stamp()); err != nil {
		return nil, err
	}
	var writes []dynamo.Write
	if d.CustomerID != "" {
		writes = append(writes, s.customers.CheckContact(snap.Tenant, d.CustomerID, d.ContactID))
	}
	if d.LinkedOrderID != "" {
		writes = append(writes, s.customers.CheckOrder(snap.Tenant, d.LinkedOrderID))
	}
	return writes, nil
}
