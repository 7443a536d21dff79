package cases_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/workcloud/arendehantering/internal/settings"
)

// world is what seed stores in the tenant: the IDs tests refer to.
type world struct {
	// Case-type fields.
	serial, count, place string
	// Case types: service has fields, assignees, a task template and a
	// report template; question has nothing.
	service, question string
	taskTemplate      string
	reportTemplate    string
	// Customers and their contacts.
	custA, anna, bo string
	custB, cecilia  string
	// Orders of customer A.
	openOrder, cancelledOrder string
}

// Users and groups of the seeded tenant, imported with fixed IDs: the
// principals' user IDs are directory users.
const (
	userBoss   = "boss"
	userAgent1 = "agent1"
	userAgent2 = "agent2"
	groupSupp  = "support"
)

// The default statuses and priorities every tenant starts with.
const (
	statusNew     = "status-new"
	statusOpen    = "status-in-progress"
	statusWaiting = "status-waiting"
	statusClosed  = "status-closed"

	prioLow    = "priority-low"    // P2D / P10D
	prioNormal = "priority-normal" // P1D / P5D, the default
	prioHigh   = "priority-high"   // PT4H / P2D
	prioUrgent = "priority-urgent" // PT1H / PT8H
)

// seed fills the tenant acme with settings (through the settings routes
// and ImportDirectory), customers and orders (through the directory
// routes).
func (h *harness) seed(t testing.TB) world {
	t.Helper()
	err := h.settings.ImportDirectory(context.Background(), admin.Tenant, []settings.User{
		{Meta: settings.Meta{ID: userBoss}, Name: "Berit Boss", Email: "boss@acme.example", Roles: []string{"admin"}},
		{Meta: settings.Meta{ID: userAgent1}, Name: "Agnes Agent", Email: "agnes@acme.example", Roles: []string{"agent"}},
		{Meta: settings.Meta{ID: userAgent2}, Name: "Arvid Agent", Email: "arvid@acme.example", Roles: []string{"agent"}},
	}, []settings.Group{{Meta: settings.Meta{ID: groupSupp}, Name: "Support", Members: []string{userAgent1, userAgent2}}})
	if err != nil {
		t.Fatal(err)
	}
	var w world
	post := func(path string, body any) string {
		t.Helper()
		return h.Do(&admin, "POST", path, body).Must(t, http.StatusCreated).Str("id")
	}
	w.serial = post("/v1/settings/case-type-fields", map[string]any{"name": "Serienummer", "kind": "text"})
	w.count = post("/v1/settings/case-type-fields", map[string]any{"name": "Antal", "kind": "number"})
	w.place = post("/v1/settings/case-type-fields", map[string]any{"name": "Plats", "kind": "dropdown", "options": []string{"Kontor", "Hemma"}})
	w.taskTemplate = post("/v1/settings/task-templates", map[string]any{"name": "Installation",
		"tasks": []map[string]any{{"title": "Boka tid", "dueWithin": "P1D"}, {"title": "Installera"}}})
	w.reportTemplate = post("/v1/settings/report-templates", map[string]any{"name": "Servicerapport", "fields": []map[string]any{
		{"key": "arbete", "name": "Arbete", "kind": "dropdown", "required": true, "options": []string{"Service", "Installation"}},
		{"key": "km", "name": "Körda km", "kind": "number"},
	}})
	w.service = post("/v1/settings/case-types", map[string]any{"name": "Service",
		"assignees": map[string]any{"users": []string{userAgent1}, "groups": []string{groupSupp}},
		"fields": []map[string]any{
			{"fieldId": w.serial, "required": true}, {"fieldId": w.count}, {"fieldId": w.place},
		},
		"taskTemplateId": w.taskTemplate, "reportTemplateId": w.reportTemplate})
	w.question = post("/v1/settings/case-types", map[string]any{"name": "Fråga"})

	a := h.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Byggbolaget AB", "kind": "company",
		"contacts": []map[string]any{{"name": "Anna Andersson", "email": "anna@bygg.example"}, {"name": "Bo Berg", "email": "bo@bygg.example"}}}).Must(t, http.StatusCreated)
	w.custA = a.Str("id")
	w.anna, w.bo = a.List("contacts")[0]["id"].(string), a.List("contacts")[1]["id"].(string)
	b := h.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Cafét HB", "kind": "company",
		"contacts": []map[string]any{{"name": "Cecilia Ek", "email": "cecilia@cafe.example"}}}).Must(t, http.StatusCreated)
	w.custB = b.Str("id")
	w.cecilia = b.List("contacts")[0]["id"].(string)
	w.openOrder = post("/v1/orders", map[string]any{"number": "SO-1", "title": "Installation", "customerId": w.custA, "status": "open"})
	w.cancelledOrder = post("/v1/orders", map[string]any{"number": "SO-2", "title": "Avbokad", "customerId": w.custA, "status": "cancelled"})
	return w
}

// validService is a valid create body of a case of the service type.
func (w world) validService(title string) map[string]any {
	return map[string]any{"title": title, "typeId": w.service, "fields": map[string]any{w.serial: "SN-1"}}
}
