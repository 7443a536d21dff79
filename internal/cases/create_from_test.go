package cases_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
)

// outboxTo lists the recipients of the tenant's outbox items about case id.
func (h *harness) outboxTo(t *testing.T, id string) []outbox.Recipient {
	t.Helper()
	var out []outbox.Recipient
	for _, it := range h.scan(t) {
		if k, _ := it[dynamo.AttrKind].(*types.AttributeValueMemberS); k == nil || k.Value != outbox.Kind {
			continue
		}
		var m outbox.Mail
		if err := dynamo.DecodeData(it, &m); err != nil {
			t.Fatal(err)
		}
		if m.CaseID == id {
			out = append(out, m.To)
		}
	}
	return out
}

// TestCreateFrom: a case from outside goes through the staff's create (its
// number, the type's template tasks, its SLA, the list of its customer, its
// event and its mail), with its source and requester; mail goes to the
// requester while the case has no contact. The staff's standard-field
// rules do not apply; fields staff fill are refused; the caller's writes
// commit with it, and what their failure means is answered.
func TestCreateFrom(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	// The tenant makes the customer mandatory on the staff's form.
	h.putSettings(t, "/v1/settings/case-fields", func(body map[string]any) {
		for _, f := range body["fields"].([]any) {
			if m := f.(map[string]any); m["key"] == "customer" {
				m["mandatory"] = true
			}
		}
	})
	// Customers fill the serial number (required) and the place; staff the count.
	typ := h.Do(&admin, "GET", "/v1/settings/case-types/"+w.service, nil).Must(t, http.StatusOK)
	h.Do(&admin, "PATCH", "/v1/settings/case-types/"+w.service, map[string]any{"fields": []map[string]any{
		{"fieldId": w.serial, "required": true, "filledBy": "customer"}, {"fieldId": w.count, "filledBy": "staff"},
		{"fieldId": w.place, "filledBy": "customer"}}}, ifMatch(typ.Version())...).Must(t, http.StatusOK)
	ctx := context.Background()
	req := &cases.Requester{Name: "Rita Rask", Email: "rita@example.se", Phone: "070-1"}
	c, err := h.svc.CreateFrom(ctx, "acme", cases.From{Source: cases.SourceExternal, By: "api-key:k1", Requester: req,
		Case: cases.NewCase{Title: "Läcka", TypeID: w.question}})
	if err != nil {
		t.Fatal(err)
	}
	got := h.get(t, c.ID)
	if got.Str("source") != cases.SourceExternal || got.Obj("requester")["email"] != "rita@example.se" || got.Num("number") != 1 ||
		got.Str("createdBy") != "api-key:k1" || got.Str("customerId") != "" {
		t.Errorf("case from outside: %s", got.Raw)
	}
	if to := h.outboxTo(t, c.ID); len(to) != 1 || !to[0].Requester {
		t.Errorf("new-case mail to %v, want the requester", to)
	}

	// With a customer and contact (the portal's), the type's template tasks.
	p, err := h.svc.CreateFrom(ctx, "acme", cases.From{Source: cases.SourcePortal, By: "cust1", CustomerID: w.custA, ContactID: w.anna,
		Case: cases.NewCase{Title: "Service", TypeID: w.service, Fields: map[string]any{w.serial: "SN-9"}}})
	if err != nil {
		t.Fatal(err)
	}
	if d := h.get(t, p.ID); len(d.List("tasks")) != 2 || d.Str("source") != cases.SourcePortal || d.Obj("sla") == nil {
		t.Errorf("portal case: %s", d.Raw)
	}
	if ids := h.listIDs(t, "?customer="+w.custA); len(ids) != 1 || ids[0] != p.ID {
		t.Errorf("the customer's list: %v", ids)
	}
	if to := h.outboxTo(t, p.ID); len(to) != 1 || to[0].ContactID != w.anna {
		t.Errorf("new-case mail to %v, want the contact", to)
	}
	page, err := h.svc.CustomerCases(ctx, "acme", w.custA, 10, "")
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != p.ID {
		t.Errorf("CustomerCases: %v %v", page, err)
	}

	// Staff's case still says so.
	if s := h.create(t, map[string]any{"title": "Av personal", "customerId": w.custA}); s.Str("source") != cases.SourceStaff {
		t.Errorf("staff case: %s", s.Raw)
	}

	// A staff-filled field is refused; the caller's failing write is answered.
	_, err = h.svc.CreateFrom(ctx, "acme", cases.From{Source: cases.SourcePortal, By: "cust1",
		Case: cases.NewCase{Title: "X", TypeID: w.service, Fields: map[string]any{w.serial: "SN", w.count: 2.0}}})
	if fields := problemFields(err); len(fields) != 1 || fields[0] != "fields."+w.count {
		t.Errorf("a staff field: %v", err)
	}
	mine := errors.New("mine")
	_, err = h.svc.CreateFrom(ctx, "acme", cases.From{Source: cases.SourceExternal, By: "x", Requester: req,
		Case: cases.NewCase{Title: "Y"},
		Extra: func(*cases.Case) ([]dynamo.Write, error) {
			return []dynamo.Write{dynamo.Check(dynamo.Key("NO", "NO"), dynamo.Exists(), mine)}, nil
		}})
	if err != mine {
		t.Errorf("the caller's write failed: %v, want its meaning", err)
	}
	h.checkIntegrity(t, "acme")
	h.Do(&agent, "GET", "/v1/cases/"+c.ID, nil).Must(t, http.StatusOK)
}

// problemFields are the fields a problem error names.
func problemFields(err error) []string {
	pe, ok := errors.AsType[*problem.Error](err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range pe.Fields {
		out = append(out, f.Field)
	}
	return out
}
