package portal_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/wiring"
)

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

var (
	admin = identity.Principal{Tenant: "acme", User: "boss", Roles: []identity.Role{identity.Admin}}
	agent = identity.Principal{Tenant: "acme", User: "agent1", Roles: []identity.Role{identity.Agent}}
)

type harness struct {
	*apitest.Client
	db    *dynamotest.Env
	clock *apitest.Clock
	areas *wiring.Areas
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	db := dynamotest.New(t)
	clk := apitest.NewClock(t0)
	areas := wiring.New(db.Table, clk.Now)
	return &harness{Client: apitest.NewClient(t, clk, areas.AllRoutes()), db: db, clock: clk, areas: areas}
}

// world is what seed makes: a type with a field customers fill and one
// staff fill, a type visible but not selectable, a hidden type, and two
// customers with a login each.
type world struct {
	service, info, hidden string
	custField, staffField string
	anna, bo              identity.Principal
}

func (h *harness) seed(t testing.TB, tenant string) world {
	t.Helper()
	boss := identity.Principal{Tenant: tenant, User: "boss", Roles: []identity.Role{identity.Admin}}
	err := h.areas.Settings.ImportDirectory(context.Background(), tenant, []settings.User{
		{Meta: settings.Meta{ID: "agent1"}, Subject: "agent1", Name: "Agnes Agent", Email: "agnes@acme.example", Phone: "08-1", Roles: []string{"agent"}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	post := func(path string, body any) apitest.Response {
		t.Helper()
		return h.Do(&boss, "POST", path, body).Must(t, http.StatusCreated)
	}
	var w world
	w.custField = post("/v1/settings/case-type-fields", map[string]any{"name": "Lägenhet", "kind": "text"}).Str("id")
	w.staffField = post("/v1/settings/case-type-fields", map[string]any{"name": "Kostnad", "kind": "number"}).Str("id")
	w.service = post("/v1/settings/case-types", map[string]any{"name": "Service", "visibleInPortal": true, "selectableInPortal": true,
		"assignees": map[string]any{"users": []string{"agent1"}},
		"fields":    []map[string]any{{"fieldId": w.custField, "required": true, "filledBy": "customer"}, {"fieldId": w.staffField, "filledBy": "staff"}}}).Str("id")
	w.info = post("/v1/settings/case-types", map[string]any{"name": "Avisering", "visibleInPortal": true}).Str("id")
	w.hidden = post("/v1/settings/case-types", map[string]any{"name": "Intern"}).Str("id")
	login := func(name string) identity.Principal {
		id := post("/v1/customers", map[string]any{"name": name, "kind": "company"}).Str("id")
		return identity.Principal{Tenant: tenant, User: "login-" + strings.ReplaceAll(name, " ", "-"), Roles: []identity.Role{identity.Customer}, Customer: id}
	}
	w.anna, w.bo = login("Anna AB"), login("Bo AB")
	return w
}

// newCase registers a case in the portal as p.
func (h *harness) newCase(t testing.TB, p identity.Principal, body map[string]any) apitest.Response {
	t.Helper()
	return h.Do(&p, "POST", "/v1/portal/cases", body).Must(t, http.StatusCreated)
}

// TestPortalCaseTypes: the types visible in the portal, by name, with the
// fields customers fill and whether they may be chosen.
func TestPortalCaseTypes(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	items := h.Do(&w.anna, "GET", "/v1/portal/case-types", nil).Must(t, http.StatusOK).Items()
	if len(items) != 2 || items[0]["name"] != "Avisering" || items[0]["selectable"] != false || items[1]["id"] != w.service ||
		items[1]["selectable"] != true || len(items[1]["fields"].([]any)) != 1 {
		t.Errorf("portal types: %v", items)
	}
	h.Do(&agent, "GET", "/v1/portal/case-types", nil).MustProblem(t, http.StatusForbidden)
}

// TestPortalCaseTypesInSwedishOrder: the portal lists types as Swedes
// read (å, ä, ö after z, whatever the case), by the collation key the
// settings function stored, and a renamed type moves to its new place.
func TestPortalCaseTypesInSwedishOrder(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	boss := identity.Principal{Tenant: "acme", User: "boss", Roles: []identity.Role{identity.Admin}}
	ids := map[string]string{}
	for _, name := range []string{"Översyn", "ärende", "Zonbyte", "Årsservice", "Ändring"} {
		ids[name] = h.Do(&boss, "POST", "/v1/settings/case-types", map[string]any{"name": name, "visibleInPortal": true}).
			Must(t, http.StatusCreated).Str("id")
	}
	names := func() []string {
		var out []string
		for _, it := range h.Do(&w.anna, "GET", "/v1/portal/case-types", nil).Must(t, http.StatusOK).Items() {
			out = append(out, it["name"].(string))
		}
		return out
	}
	if got, want := names(), []string{"Avisering", "Service", "Zonbyte", "Årsservice", "Ändring", "ärende", "Översyn"}; !slices.Equal(got, want) {
		t.Errorf("portal types %v, want %v", got, want)
	}
	h.Do(&boss, "PATCH", "/v1/settings/case-types/"+ids["Zonbyte"], map[string]any{"name": "Ödla"}, apitest.IfMatch(1)...).
		Must(t, http.StatusOK)
	if got, want := names(), []string{"Avisering", "Service", "Årsservice", "Ändring", "ärende", "Ödla", "Översyn"}; !slices.Equal(got, want) {
		t.Errorf("after a rename: %v, want %v", got, want)
	}
}

// TestPortalCreate: a case for the login's customer with the portal
// settings' priority and deadline, through the staff's create (its type's
// template, its lists); what staff set, fields staff fill and types not
// selectable in the portal are refused, and nothing is created.
func TestPortalCreate(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	r := h.newCase(t, w.anna, map[string]any{"typeId": w.service, "title": "Droppande kran", "description": "I köket.",
		"fields": map[string]any{w.custField: "1101"}})
	if r.Header.Get("Location") != "/v1/portal/cases/"+r.Str("id") || r.Num("number") != 1 {
		t.Fatalf("created: %s", r.Raw)
	}
	c := h.Do(&agent, "GET", "/v1/cases/"+r.Str("id"), nil).Must(t, http.StatusOK)
	deadline := c.Time(t, "deadline")
	if c.Str("source") != "portal" || c.Str("customerId") != w.anna.Customer || c.Str("priorityId") != "priority-normal" ||
		!deadline.Equal(t0.Add(14*24*time.Hour)) || c.Str("createdBy") != w.anna.User {
		t.Errorf("the case: %s", c.Raw)
	}
	for _, tc := range []struct {
		name, field string
		body        map[string]any
	}{
		{"status", "statusId", map[string]any{"title": "x", "statusId": "status-closed"}},
		{"priority", "priorityId", map[string]any{"title": "x", "priorityId": "priority-urgent"}},
		{"assignees", "assignees", map[string]any{"title": "x", "assignees": map[string]any{"users": []string{"agent1"}}}},
		{"deadline", "deadline", map[string]any{"title": "x", "deadline": "2026-12-01T00:00:00Z"}},
		{"customer", "customerId", map[string]any{"title": "x", "customerId": w.bo.Customer}},
		{"contact", "contactId", map[string]any{"title": "x", "contactId": "c1"}},
		{"linked order", "linkedOrderId", map[string]any{"title": "x", "linkedOrderId": "o1"}},
		{"a field staff fill", "fields." + w.staffField, map[string]any{"title": "x", "typeId": w.service, "fields": map[string]any{w.custField: "1", w.staffField: 5}}},
		{"missing required field", "fields." + w.custField, map[string]any{"title": "x", "typeId": w.service}},
		{"a type not selectable", "typeId", map[string]any{"title": "x", "typeId": w.info}},
		{"a hidden type", "typeId", map[string]any{"title": "x", "typeId": w.hidden}},
		{"no title", "title", map[string]any{"title": ""}},
		{"unknown field", "number", map[string]any{"title": "x", "number": 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.Do(&w.anna, "POST", "/v1/portal/cases", tc.body).MustProblem(t, http.StatusBadRequest, tc.field)
		})
	}
	if n := len(h.Do(&agent, "GET", "/v1/cases", nil).Must(t, http.StatusOK).Items()); n != 1 {
		t.Errorf("%d cases after refused creates", n)
	}
	// A login whose customer the tenant does not have.
	ghost := w.anna
	ghost.Customer = apitest.NoSuchID
	h.Do(&ghost, "POST", "/v1/portal/cases", map[string]any{"title": "x"}).MustProblem(t, http.StatusForbidden)
}

// TestPortalView: the customer's view of a case holds its number, title,
// description, type, status (name and colour only when visible to
// customers, else the category's words in the tenant's language), dates,
// the fields customers fill and the contact the conversation settings
// show; nothing else of the case.
func TestPortalView(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	id := h.newCase(t, w.anna, map[string]any{"typeId": w.service, "title": "Kran", "fields": map[string]any{w.custField: "1101"}}).Str("id")
	staffCase := h.Do(&agent, "GET", "/v1/cases/"+id, nil).Must(t, http.StatusOK)
	h.Do(&agent, "PATCH", "/v1/cases/"+id, map[string]any{"fields": map[string]any{w.custField: "1101", w.staffField: 1200}, "statusId": "status-in-progress"},
		apitest.IfMatch(staffCase.Version())...).Must(t, http.StatusOK)
	h.Do(&agent, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": "Intern anteckning"}).Must(t, http.StatusCreated)

	v := h.Do(&w.anna, "GET", "/v1/portal/cases/"+id, nil).Must(t, http.StatusOK)
	keys := slices.Sorted(maps.Keys(v.Body))
	if want := []string{"contact", "createdAt", "deadline", "fields", "id", "number", "status", "title", "type", "updatedAt", "version"}; !slices.Equal(keys, want) {
		t.Errorf("the view has %v, want %v", keys, want)
	}
	if st := v.Obj("status"); st["name"] != "Pågående" || st["color"] != "#FB8C00" || st["category"] != "open" {
		t.Errorf("a visible status: %v", st)
	}
	if f := v.Obj("fields"); len(f) != 1 || f[w.custField] != "1101" {
		t.Errorf("fields: %v", f)
	}
	if k := v.Obj("contact"); k["name"] != "Agnes Agent" || k["email"] != "agnes@acme.example" {
		t.Errorf("contact: %v", k)
	}
	if ty := v.Obj("type"); ty["name"] != "Service" {
		t.Errorf("type: %v", ty)
	}

	// The status hidden from customers: its category's words, in English
	// for an English tenant; the company's contact details.
	st := h.Do(&admin, "GET", "/v1/settings/statuses/status-in-progress", nil).Must(t, http.StatusOK)
	h.Do(&admin, "PATCH", "/v1/settings/statuses/status-in-progress", map[string]any{"visibleToCustomer": false}, apitest.IfMatch(st.Version())...).Must(t, http.StatusOK)
	put := func(path string, body map[string]any) {
		cur := h.Do(&admin, "GET", path, nil).Must(t, http.StatusOK)
		body["version"] = cur.Version()
		h.Do(&admin, "PUT", path, body).Must(t, http.StatusOK)
	}
	put("/v1/settings/conversations", map[string]any{"access": "link", "showContact": "company", "linkValidFor": "P30D",
		"companyContact": map[string]any{"name": "Kundtjänst", "email": "kund@acme.example", "phone": "08-2"}})
	if v := h.Do(&w.anna, "GET", "/v1/portal/cases/"+id, nil).Must(t, http.StatusOK); v.Obj("status")["name"] != "Pågående" || v.Obj("status")["color"] != nil ||
		v.Obj("contact")["name"] != "Kundtjänst" {
		t.Errorf("a hidden status in Swedish, the company's contact: %s", v.Raw)
	}
	put("/v1/settings/general", map[string]any{"customerAccess": "portal", "timeZone": "Europe/Stockholm", "locale": "en", "sendMailOnCreate": true})
	if v := h.Do(&w.anna, "GET", "/v1/portal/cases/"+id, nil).Must(t, http.StatusOK); v.Obj("status")["name"] != "In progress" {
		t.Errorf("a hidden status in English: %s", v.Raw)
	}
}

// TestPortalIsolation: a login sees its own customer's cases only: another
// customer's of the same tenant, and another tenant's, are not found and
// not listed.
func TestPortalIsolation(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	other := h.seed(t, "other")
	annas := h.newCase(t, w.anna, map[string]any{"title": "Annas"}).Str("id")
	bos := h.newCase(t, w.bo, map[string]any{"title": "Bos"}).Str("id")
	foreign := h.newCase(t, other.anna, map[string]any{"title": "Andra bolagets"}).Str("id")
	staff := h.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Utan kund"}).Must(t, http.StatusCreated).Str("id")

	if ids := h.Do(&w.anna, "GET", "/v1/portal/cases", nil).Must(t, http.StatusOK).IDs(); !slices.Equal(ids, []string{annas}) {
		t.Errorf("Anna lists %v", ids)
	}
	for _, id := range []string{bos, foreign, staff, "not-an-id!"} {
		h.Do(&w.anna, "GET", "/v1/portal/cases/"+id, nil).MustProblem(t, http.StatusNotFound)
	}
	// The same customer ID in another tenant's token reads nothing here.
	twin := other.anna
	twin.Customer = w.anna.Customer
	if ids := h.Do(&twin, "GET", "/v1/portal/cases", nil).Must(t, http.StatusOK).IDs(); len(ids) != 0 {
		t.Errorf("another tenant's login with the same customer ID lists %v", ids)
	}
	h.Do(&twin, "GET", "/v1/portal/cases/"+annas, nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "GET", "/v1/portal/cases", nil).MustProblem(t, http.StatusForbidden)
}

// TestCustomerAccess: customerAccess none turns every portal route off
// (403, saying why); portal and link keep them on.
func TestCustomerAccess(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	id := h.newCase(t, w.anna, map[string]any{"title": "Före"}).Str("id")
	set := func(access string) {
		cur := h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
		h.Do(&admin, "PUT", "/v1/settings/general", map[string]any{"customerAccess": access, "timeZone": "Europe/Stockholm", "locale": "sv",
			"version": cur.Version()}).Must(t, http.StatusOK)
	}
	set("none")
	for _, r := range []apitest.Response{
		h.Do(&w.anna, "GET", "/v1/portal/case-types", nil),
		h.Do(&w.anna, "GET", "/v1/portal/cases", nil),
		h.Do(&w.anna, "POST", "/v1/portal/cases", map[string]any{"title": "x"}),
		h.Do(&w.anna, "GET", "/v1/portal/cases/"+id, nil),
		h.Do(&w.anna, "GET", "/v1/portal/cases/"+id+"/form", nil),
		h.Do(&w.anna, "PUT", "/v1/portal/cases/"+id+"/form", map[string]any{"answers": map[string]any{}}, "If-Match", "*"),
	} {
		if r.MustProblem(t, http.StatusForbidden); !slices.Contains([]string{r.Detail()}, "The customer portal is turned off: this company does not let customers reach their cases (general setting customerAccess is none).") {
			t.Errorf("the reason: %s", r.Detail())
		}
	}
	for _, access := range []string{"portal", "link"} {
		set(access)
		h.Do(&w.anna, "GET", "/v1/portal/cases/"+id, nil).Must(t, http.StatusOK)
	}
}

// TestPortalRoundTrips: with the settings warm, the types cost nothing, a
// page of cases and a case one read each, a create three; the case's
// form one read, a save of it two round trips.
func TestPortalRoundTrips(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t, "acme")
	id := h.newCase(t, w.anna, map[string]any{"title": "Först"}).Str("id")
	h.giveForm(t, admin, w.service, "customer")
	withForm := h.newCase(t, w.anna, map[string]any{"typeId": w.service, "title": "Med formulär", "fields": map[string]any{w.custField: "1"}}).Str("id")
	for _, tc := range []struct {
		name string
		want map[string]int
		call func()
	}{
		{"case types", map[string]int{}, func() { h.Do(&w.anna, "GET", "/v1/portal/case-types", nil).Must(t, http.StatusOK) }},
		{"list", map[string]int{"Query": 1}, func() { h.Do(&w.anna, "GET", "/v1/portal/cases", nil).Must(t, http.StatusOK) }},
		{"get", map[string]int{"GetItem": 1}, func() { h.Do(&w.anna, "GET", "/v1/portal/cases/"+id, nil).Must(t, http.StatusOK) }},
		{"create", map[string]int{"UpdateItem": 1, "GetItem": 1, "TransactWriteItems": 1}, func() {
			h.newCase(t, w.anna, map[string]any{"typeId": w.service, "title": "Sen", "fields": map[string]any{w.custField: "1"}})
		}},
		{"form", map[string]int{"BatchGetItem": 1}, func() { h.Do(&w.anna, "GET", "/v1/portal/cases/"+withForm+"/form", nil).Must(t, http.StatusOK) }},
		{"save the form", map[string]int{"BatchGetItem": 1, "TransactWriteItems": 1}, func() {
			h.Do(&w.anna, "PUT", "/v1/portal/cases/"+withForm+"/form", map[string]any{"answers": map[string]any{"what": "Droppar"}}, "If-Match", "*").Must(t, http.StatusOK)
		}},
	} {
		h.db.Counter.Expect(t.Errorf, tc.name, tc.want, tc.call)
	}
}

// TestColdPortalReadsAtOnce: a customer's case, and a page of their
// cases, read by an instance that holds no settings: the settings and the
// case (or the page) are read at the same time, one round trip's wait,
// not two.
func TestColdPortalReadsAtOnce(t *testing.T) {
	db := dynamotest.New(t)
	clk := apitest.NewClock(t0)
	m := &dynamotest.Meeting{Client: db.Table.Client}
	areas := wiring.New(dynamo.Table{Client: m, Name: db.Table.Name}, clk.Now)
	h := &harness{Client: apitest.NewClient(t, clk, areas.AllRoutes()), db: db, clock: clk, areas: areas}
	w := h.seed(t, "acme")
	id := h.newCase(t, w.anna, map[string]any{"title": "Kall läsning"}).Str("id")
	for _, path := range []string{"/v1/portal/cases/" + id, "/v1/portal/cases"} {
		clk.Advance(wiring.SettingsCacheTTL + time.Second) // the settings are no longer held
		m.Arm()
		h.Do(&w.anna, "GET", path, nil).Must(t, http.StatusOK)
	}
}
