package proof_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/linktoken"
)

// tenant is what one tenant was seeded with, through the API.
type tenant struct {
	name string
	// ids are the values of path parameters, by the path up to the
	// parameter (operation.Prefix): "/v1/cases/{id}" → a case's ID.
	ids map[string]string
	// spares are a second object of each collection with a DELETE, by the
	// same key: what the fault suite deletes, so that what the first one
	// is used by does not stand in the way.
	spares map[string]string
	// refs are what bodies refer to, by name: "customer", "contact",
	// "erik" (a user's ID), "apiKey" (its secret) ...
	refs map[string]string
	// missing collects the refs a body asked for that are not there yet.
	missing []string
}

func newTenant(name string) *tenant {
	return &tenant{name: name, ids: map[string]string{}, spares: map[string]string{}, refs: map[string]string{}}
}

// ref is a value seeded earlier; one not seeded yet is noted in missing.
func (s *tenant) ref(name string) string {
	v, ok := s.refs[name]
	if !ok {
		s.missing = append(s.missing, name)
	}
	return v
}

// The tenant's logins. The staff's are users of its directory (by their
// subject); a customer's names the customer its portal shows.
func (s *tenant) admin() *identity.Principal {
	return &identity.Principal{Tenant: s.name, User: "anna", Roles: []identity.Role{identity.Admin}}
}

func (s *tenant) agent() *identity.Principal {
	return &identity.Principal{Tenant: s.name, User: "erik", Roles: []identity.Role{identity.Agent}}
}

// customer is the login of the tenant's first customer (its portal).
func (s *tenant) customer() *identity.Principal {
	c := s.ref("customer")
	if c == "" {
		return nil
	}
	return &identity.Principal{Tenant: s.name, User: "login-customer", Roles: []identity.Role{identity.Customer}, Customer: c}
}

// ulidShape is an ID as the product makes them (dynamo.NewID).
var ulidShape = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{26}$`)

// unknown is s with every ID it refers to replaced by a well-formed ID
// that no object has: what a body that names unknown objects is built
// from.
func (s *tenant) unknown() *tenant {
	u := newTenant(s.name)
	u.ids, u.spares = s.ids, s.spares
	for k, v := range s.refs {
		if ulidShape.MatchString(v) {
			v = apitest.NoSuchID
		}
		u.refs[k] = v
	}
	return u
}

// spec is what the suites need to know of an operation beyond the
// document: a body that works in the seeded tenant where the document's
// example does not, who sends it, what a create's answer gives later
// bodies. Keyed by the operation's route key; an operation without one
// is sent with the document's example by the role its x-roles name first.
type spec struct {
	body   func(s *tenant) any
	as     func(s *tenant) *identity.Principal
	params func(w *world, s *tenant) map[string]string
	// form is the body of an operation that takes a form.
	form   func(w *world, s *tenant) url.Values
	seeded func(s *tenant, r apitest.Response)
}

// remember is a seeded hook that keeps the answer's field under a ref.
func remember(pairs ...string) func(s *tenant, r apitest.Response) {
	return func(s *tenant, r apitest.Response) {
		for i := 0; i+1 < len(pairs); i += 2 {
			s.refs[pairs[i]] = r.Str(pairs[i+1])
		}
	}
}

func mention(s *tenant) string { return "@[Erik Eriksson](user:" + s.ref("erik") + ")" }

var specs = map[string]spec{
	"POST /v1/users":                     {seeded: remember("karin", "id")},
	"POST /v1/groups":                    {body: func(s *tenant) any { return map[string]any{"name": "Support", "members": []string{s.ref("erik")}} }, seeded: remember("group", "id")},
	"PATCH /v1/groups/{id}":              {body: func(s *tenant) any { return map[string]any{"members": []string{s.ref("erik"), s.ref("anna")}} }},
	"POST /v1/settings/case-type-fields": {seeded: remember("field", "id")},
	"POST /v1/settings/task-templates":   {seeded: remember("taskTemplate", "id")},
	"POST /v1/settings/report-templates": {seeded: remember("reportTemplate", "id")},
	"POST /v1/settings/statuses":         {seeded: remember("status", "id")},
	"POST /v1/settings/priorities":       {seeded: remember("priority", "id")},
	"POST /v1/settings/canned-responses": {seeded: remember("canned", "id")},
	"POST /v1/settings/case-types":       {body: caseType, seeded: remember("caseType", "id", "apiId", "apiId")},
	"POST /v1/settings/forms":            {seeded: remember("form", "id")},
	"PATCH /v1/settings/forms/{id}":      {body: func(*tenant) any { return map[string]any{"name": "Servicebesök på plats"} }},
	"PUT /v1/portal/cases/{id}/form":     {body: func(*tenant) any { return map[string]any{"answers": map[string]any{"model": "Nibe F1255"}} }},
	"PATCH /v1/settings/case-types/{id}": {body: func(s *tenant) any {
		return map[string]any{"assignees": map[string]any{"users": []string{s.ref("erik")}}}
	}},
	"PUT /v1/settings/external": {body: func(s *tenant) any {
		return map[string]any{"typeId": s.ref("caseType"), "priorityId": "priority-normal", "statusId": "status-new"}
	}},
	"POST /v1/customers": {seeded: func(s *tenant, r apitest.Response) {
		s.refs["customer"], s.refs["contact"] = r.Str("id"), r.List("contacts")[0]["id"].(string)
	}},
	"PATCH /v1/customers/{id}": {body: func(s *tenant) any { return map[string]any{"phone": "+46 90 12 34 57"} }},
	"POST /v1/orders": {body: func(s *tenant) any {
		return map[string]any{"number": "SO-1042", "title": "Service", "customerId": s.ref("customer")}
	}, seeded: remember("order", "id")},
	"POST /v1/cases":                   {body: caseBody, seeded: remember("case", "id")},
	"PATCH /v1/cases/{id}":             {body: func(*tenant) any { return map[string]any{"statusId": "status-closed"} }},
	"POST /v1/cases/{id}/customer":     {body: func(s *tenant) any { return map[string]any{"customerId": s.ref("customer2")} }},
	"POST /v1/cases/{id}/tasks":        {body: func(s *tenant) any { return map[string]any{"title": "Ring kunden", "assigneeId": s.ref("erik")} }},
	"POST /v1/cases/{id}/comments":     {body: func(s *tenant) any { return map[string]any{"body": mention(s) + " kan du ta med en ny givare?"} }},
	"POST /v1/notifications/{id}/read": {as: (*tenant).agent},
	"POST /v1/external/cases":          {body: externalCase},
	"POST /v1/settings/api-keys":       {seeded: remember("apiKey", "key")},
	"POST /c/{token}": {form: func(w *world, s *tenant) url.Values {
		return url.Values{"binding": {w.binding(s.ids["/c/{token}"])}, "body": {"Tack, det passar bra."}}
	}},
	"POST /c/{token}/form": {form: func(w *world, s *tenant) url.Values {
		return url.Values{"binding": {w.binding(s.ids["/c/{token}"])}, "action": {"save"}, "version": {"1"}, "a.model": {"Nibe F1255"}}
	}},
	// A fresh link is for an expired one.
	"POST /c/{token}/link": {params: func(w *world, s *tenant) map[string]string { return map[string]string{"token": w.seal(s, -time.Hour)} }},
}

func caseType(s *tenant) any {
	return map[string]any{"name": "Felanmälan", "visibleInPortal": true, "selectableInPortal": true,
		"assignees":      map[string]any{"groups": []string{s.ref("group")}},
		"fields":         []map[string]any{{"fieldId": s.ref("field"), "filledBy": "customer"}},
		"taskTemplateId": s.ref("taskTemplate"), "reportTemplateId": s.ref("reportTemplate"),
		"defaultForm": map[string]any{"formId": s.ref("form"), "filledBy": "customer"}}
}

func caseBody(s *tenant) any {
	return map[string]any{"title": "Värmepumpen larmar", "description": "Larmet E12 sedan i morse.",
		"typeId": s.ref("caseType"), "customerId": s.ref("customer"), "contactId": s.ref("contact"),
		"assignees": map[string]any{"users": []string{s.ref("erik")}, "groups": []string{s.ref("group")}},
		"fields":    map[string]any{s.ref("field"): "Källare"}, "linkedOrderId": s.ref("order")}
}

func externalCase(s *tenant) any {
	return map[string]any{"apiId": s.ref("apiId"), "title": "Värmepumpen larmar",
		"contact": map[string]any{"name": "Karin Lund", "email": "karin.lund@bostadnorr.example"},
		"fields":  map[string]any{s.ref("field"): "Källare"}}
}

// request builds the request of o in s by its spec: the principal, the
// path filled from s.ids (or the spec's params), the body (the spec's, or
// the document's example without a version), If-Match: * where the
// operation takes If-Match (the suites do not race), the API key where
// it takes one, a form where it takes a form. It fails while a ref or a
// parameter it needs is not seeded, saying which.
func (w *world) request(o operation, s *tenant) (request, error) {
	sp := specs[o.String()]
	s.missing = nil
	r := request{method: o.Method, as: principalOf(o, sp, s)}
	var override map[string]string
	if sp.params != nil {
		override = sp.params(w, s)
	}
	path, err := fill(o, s.ids, override)
	if err != nil {
		return r, err
	}
	r.path = path
	switch {
	case sp.body != nil:
		r.body = sp.body(s)
	case o.Example != nil:
		r.body = withoutVersion(o.Example)
	}
	if o.IfMatch {
		r.headers = append(r.headers, "If-Match", "*")
	}
	if o.APIKey {
		r.headers = append(r.headers, "X-Api-Key", s.ref("apiKey"))
	}
	if o.Form {
		form := url.Values{}
		if sp.form != nil {
			form = sp.form(w, s)
		}
		r.body = form.Encode()
		r.headers = append(r.headers, "Content-Type", "application/x-www-form-urlencoded")
	}
	if len(s.missing) > 0 {
		return r, fmt.Errorf("needs %s, not seeded yet", strings.Join(s.missing, ", "))
	}
	if !o.Public && !o.APIKey && r.as == nil {
		return r, fmt.Errorf("no principal yet")
	}
	return r, nil
}

// principalOf is who sends o: the spec's choice, else the first of admin,
// agent, customer its x-roles allow; nobody on public routes.
func principalOf(o operation, sp spec, s *tenant) *identity.Principal {
	switch {
	case sp.as != nil:
		return sp.as(s)
	case o.Public || o.APIKey:
		return nil
	case o.Needs(identity.Admin):
		return s.admin()
	case o.Needs(identity.Agent):
		return s.agent()
	default:
		return s.customer()
	}
}

// fill writes o's path with its parameters: override's by name, else
// the seeded ones by prefix.
func fill(o operation, ids, override map[string]string) (string, error) {
	path := o.Path
	for i, p := range o.Params {
		v, ok := override[p]
		if !ok {
			v, ok = ids[o.Prefix(i)]
		}
		if !ok || v == "" {
			return "", fmt.Errorf("no value for {%s} (nothing seeded under %s)", p, o.Prefix(i))
		}
		path = strings.Replace(path, "{"+p+"}", url.PathEscape(v), 1)
	}
	return path, nil
}

func withoutVersion(example any) any {
	m, ok := example.(map[string]any)
	if !ok {
		return example
	}
	m = maps.Clone(m)
	delete(m, "version")
	return m
}

// seal is a link token of s's case for its contact, expiring after d
// (negative: expired already), as the mailer makes them.
func (w *world) seal(s *tenant, d time.Duration) string {
	return w.sealFor(s.name, s.ref("case"), s.ref("contact"), s.refs["linkEpoch"], d)
}

func (w *world) sealFor(tenantName, caseID, contact, epoch string, d time.Duration) string {
	var ep int64
	fmt.Sscan(epoch, &ep)
	tok, err := w.links.Ring.Seal(linktoken.Claims{Tenant: tenantName, Case: caseID, Contact: contact, Epoch: ep,
		Expires: t0.Add(d), Locale: "sv"})
	if err != nil {
		w.t.Fatalf("seal: %v", err)
	}
	return tok
}

// binding is the reply form's binding to a link (its CSRF token).
func (w *world) binding(token string) string {
	b, err := w.links.Ring.Binding(token)
	if err != nil {
		w.t.Fatalf("binding: %v", err)
	}
	return b
}

// itemPrefix is the key of the objects a create of o makes: the path of
// the route that reads one ("/v1/cases/{id}" for POST /v1/cases), if the
// document has one.
func itemPrefix(ops []operation, o operation) (string, bool) {
	for _, x := range ops {
		if len(x.Params) == len(o.Params)+1 && x.Prefix(len(x.Params)-1) == x.Path && strings.HasPrefix(x.Path, o.Path+"/{") &&
			!strings.Contains(strings.TrimPrefix(x.Path, o.Path+"/"), "/") {
			return x.Path, true
		}
	}
	return "", false
}

// deletable reports whether the document deletes objects under prefix.
func deletable(ops []operation, prefix string) bool {
	return slices.ContainsFunc(ops, func(x operation) bool { return x.Method == "DELETE" && x.Path == prefix })
}

// seed makes a tenant through the API: its staff (an admin and an agent),
// then one object of every kind the document creates (every operation
// that answers 201, in the order their bodies' refs allow), a second of
// every kind it deletes, a second customer with a case, and the values of
// the parameters no create makes (a link token, a notification, a text
// key). A parameter of a route left without a value fails the test: a new
// route needs a seeder, never silence.
func (w *world) seed(ops []operation, name string) *tenant {
	w.t.Helper()
	s := newTenant(name)
	for _, u := range []struct{ ref, subject, name, role string }{
		{"anna", "anna", "Anna Andersson", "admin"}, {"erik", "erik", "Erik Eriksson", "agent"},
	} {
		r := w.mustDo(request{as: s.admin(), method: "POST", path: "/v1/users", body: map[string]any{
			"name": u.name, "email": u.subject + "@" + name + ".example", "roles": []string{u.role}, "subject": u.subject}}, http.StatusCreated)
		s.refs[u.ref] = r.Str("id")
	}
	w.seedCreates(ops, s)
	w.seedRest(s)
	for _, o := range ops {
		if _, err := w.request(o, s); err != nil {
			w.t.Errorf("%s cannot be sent in the seeded tenant: %v. Seed it: a create the document describes, an entry of specs, or one of seed's own steps", o, err)
		}
	}
	return s
}

// seedCreates runs every create of the document once (twice where its
// objects can be deleted), in passes, each create as soon as the refs
// its body needs are seeded.
func (w *world) seedCreates(ops []operation, s *tenant) {
	w.t.Helper()
	var pending []operation
	for _, o := range ops {
		if o.Creates {
			pending = append(pending, o)
		}
	}
	for len(pending) > 0 {
		var later []operation
		var why []string
		for _, o := range pending {
			r, err := w.request(o, s)
			if err != nil {
				later = append(later, o)
				why = append(why, fmt.Sprintf("%s: %v", o, err))
				continue
			}
			w.create(ops, o, s, r)
		}
		if len(later) == len(pending) {
			w.t.Fatalf("cannot seed:\n%s", strings.Join(why, "\n"))
		}
		pending = later
	}
}

// create runs one create and keeps what it made.
func (w *world) create(ops []operation, o operation, s *tenant, r request) {
	w.t.Helper()
	res := w.do(r)
	if res.Status != http.StatusCreated {
		w.t.Fatalf("seed %s: %d %s\nits body (from specs, else the document's example) must make one in a seeded tenant", o, res.Status, res.Raw)
	}
	if sp := specs[o.String()]; sp.seeded != nil {
		sp.seeded(s, res)
	}
	prefix, ok := itemPrefix(ops, o)
	if !ok {
		return
	}
	s.ids[prefix] = res.Str("id")
	if !deletable(ops, prefix) {
		return
	}
	r.body = another(r.body, " 2")
	spare := w.do(r)
	if spare.Status != http.StatusCreated {
		w.t.Fatalf("seed a second of %s: %d %s", o, spare.Status, spare.Raw)
	}
	s.spares[prefix] = spare.Str("id")
}

// another is a create's body for another object: names that must be
// unique get a suffix.
func another(body any, suffix string) any {
	m, ok := body.(map[string]any)
	if !ok {
		return body
	}
	m = maps.Clone(m)
	for _, k := range []string{"name", "title", "number"} {
		if v, ok := m[k].(string); ok {
			m[k] = v + suffix
		}
	}
	if v, ok := m["email"].(string); ok {
		m["email"] = strings.TrimSpace(suffix) + "." + v
	}
	return m
}

// seedRest seeds what no create of the document makes: a second customer
// with a case (the portal's other customer), the link of the case, the
// agent's notification (a mention), and the names of parameters that
// are no objects' IDs.
func (w *world) seedRest(s *tenant) {
	w.t.Helper()
	c2 := w.mustDo(request{as: s.admin(), method: "POST", path: "/v1/customers", body: map[string]any{"name": "Andra Kunden AB", "kind": "company",
		"contacts": []map[string]any{{"name": "Per Holm", "email": "per.holm@andra.example"}}}}, http.StatusCreated)
	s.refs["customer2"], s.refs["contact2"] = c2.Str("id"), c2.List("contacts")[0]["id"].(string)
	case2 := w.mustDo(request{as: s.admin(), method: "POST", path: "/v1/cases", body: map[string]any{"title": "Andra kundens ärende",
		"customerId": s.refs["customer2"], "contactId": s.refs["contact2"]}}, http.StatusCreated)
	s.refs["case2"] = case2.Str("id")

	c := w.mustDo(request{as: s.admin(), method: "GET", path: "/v1/cases/" + s.ref("case")}, http.StatusOK)
	s.refs["linkEpoch"] = fmt.Sprint(c.Num("linkEpoch"))
	s.ids["/c/{token}"] = w.seal(s, 30*24*time.Hour)
	s.ids["/v1/portal/cases/{id}"] = s.ref("case")
	s.ids["/v1/settings/texts/{key}"] = "case-created"
	s.ids["/v1/external/case-types/{apiId}"] = s.ref("apiId")
	inbox := w.mustDo(request{as: s.agent(), method: "GET", path: "/v1/notifications"}, http.StatusOK)
	if items := inbox.Items(); len(items) > 0 {
		s.ids["/v1/notifications/{id}"], _ = items[0]["id"].(string)
	}
}

// mustDo sends r and fails the test unless it answers want.
func (w *world) mustDo(r request, want int) apitest.Response {
	w.t.Helper()
	res := w.do(r)
	if res.Status != want {
		w.t.Fatalf("%s %s: %d, want %d: %s", r.method, r.path, res.Status, want, res.Raw)
	}
	return res
}
