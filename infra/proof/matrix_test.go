package proof_test

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/identity"
)

// notIDs are parameters that name no object of a tenant (every tenant has
// a text "case-created"): asking for another tenant's is asking for one's
// own, so the matrix does not compare them with unknown ones.
var notIDs = map[string]bool{"/v1/settings/texts/{key}": true}

// unknownIDs are well-formed values that name nothing, for parameters
// whose IDs are not plain object IDs (apitest.NoSuchID is the rest's).
var unknownIDs = map[string]string{
	"/v1/notifications/{id}": fmt.Sprintf("%d-%s", t0.UnixMilli(), apitest.NoSuchID),
}

// otherCustomer are the parameters of portal routes with the values of
// the tenant's second customer (see seedRest): a customer's login must
// find them exactly as unknown.
func otherCustomer(s *tenant) map[string]string {
	return map[string]string{"/v1/portal/cases/{id}": s.refs["case2"]}
}

// matrix runs the isolation checks of one world with two seeded tenants:
// a (whose objects are asked for) and b (who asks).
type matrix struct {
	t    *testing.T
	w    *world
	a, b *tenant
	// secrets are the IDs of a's objects (and its API key): no answer to
	// b, nor to a's other customer, may hold one it was not sent.
	secrets []string
	// others are the IDs of a's second customer and its case, which no
	// answer to a's first customer may hold.
	others []string
	checks map[string]int
}

// TestIsolationMatrix: for every operation of infra/openapi.yaml, as the
// issue of the proofs says:
//
//   - without a token: 401 (website intake: without a key, 401);
//   - by each of admin, agent and customer its x-roles leave out: 401 or
//     403 (a customer on staff routes, an agent on admin ones, staff on the
//     portal's);
//   - by another tenant's login of an allowed role, with this tenant's real
//     IDs in the path: exactly what a well-formed unknown ID gets (status
//     and problem code), and that is 404; with this tenant's IDs in the
//     body instead of its own: exactly what unknown IDs there get;
//   - on the portal, by a customer's login with its tenant's other
//     customer's case: exactly as unknown;
//   - every GET by an allowed role with the real IDs answers 200, so that
//     the IDs compared are real;
//   - no answer to another tenant (or to the other customer) holds an ID of
//     this tenant's (that customer's) objects it was not sent;
//   - public routes by their own rules: a link token naming another tenant
//     with this tenant's case is as an unknown case's, the link itself
//     works; a CORS preflight answers an origin of a key and refuses
//     another; a new public route fails until it has a rule.
//
// And nothing of all this changes anything of the tenant asked about.
func TestIsolationMatrix(t *testing.T) {
	w := newWorld(t)
	ops := operations(t)
	m := &matrix{t: t, w: w, a: w.seed(ops, "acme"), b: w.seed(ops, "bravo"), checks: map[string]int{}}
	if t.Failed() {
		return
	}
	before := w.scan()
	m.secrets, m.others = m.idsOf(before)
	for _, o := range ops {
		t.Run(o.String(), func(t *testing.T) {
			m.t = t
			m.run(o)
		})
	}
	m.t = t
	if diff := diffTenant(before.dump(keyUse...), w.scan().dump(keyUse...), "acme"); diff != "" {
		t.Errorf("the matrix changed the tenant it asked about:\n%s", diff)
	}
	total := 0
	for _, n := range m.checks {
		total += n
	}
	t.Logf("isolation matrix: %d operations, %d checks: %v", len(ops), total, m.checks)
}

func (m *matrix) run(o operation) {
	switch {
	case o.Public && slices.Contains(o.Params, "token"):
		m.link(o)
	case o.Public && o.Method == "OPTIONS":
		m.preflight(o)
	case o.Public:
		m.t.Errorf("%s is public and the matrix has no rule for it: add one (what stands in for a token, and what another tenant's is)", o)
	default:
		m.noCredentials(o)
		m.roles(o)
		m.tenants(o)
		m.queries(o)
		m.portal(o)
		m.readable(o)
	}
}

// send builds o's request from s (with as and key, when given, instead
// of s's own principal and API key) and sends it, checking that its
// answer holds no ID it must not.
func (m *matrix) send(o operation, s *tenant, as *identity.Principal, key string, forbidden []string) (request, apitest.Response) {
	m.t.Helper()
	r, err := m.w.request(o, s)
	if err != nil {
		m.t.Fatalf("%v", err)
	}
	r.as = as
	for i := 0; i+1 < len(r.headers); i += 2 {
		if r.headers[i] == "X-Api-Key" {
			r.headers[i+1] = key
		}
	}
	res := m.w.do(r)
	if leaked := leaks(r, res, forbidden); len(leaked) > 0 {
		m.t.Errorf("%s %s as %v answered IDs of objects it may not see: %v\n%s", r.method, r.path, who(as), leaked, res.Raw)
	}
	return r, res
}

func (m *matrix) count(check string) { m.checks[check]++ }

// noCredentials: without a token (or key) the answer is 401.
func (m *matrix) noCredentials(o operation) {
	_, res := m.send(o, m.a, nil, "", m.secrets)
	if res.Status != http.StatusUnauthorized {
		m.t.Errorf("without credentials: %d, want 401: %s", res.Status, res.Raw)
	}
	m.count("no credentials")
}

// roles: a role x-roles leaves out is refused, with this tenant's own
// real IDs.
func (m *matrix) roles(o operation) {
	if o.APIKey {
		return
	}
	for _, p := range []*identity.Principal{m.a.admin(), m.a.agent(), m.a.customer()} {
		if o.Needs(p.Roles[0]) {
			continue
		}
		_, res := m.send(o, m.a, p, "", nil)
		if res.Status != http.StatusForbidden && res.Status != http.StatusUnauthorized {
			m.t.Errorf("as %s (x-roles %v): %d, want 403: %s", p.Roles[0], o.Roles, res.Status, res.Raw)
		}
		m.count("role refused: " + string(p.Roles[0]))
	}
}

// tenants: b's login of the operation's role (b's key on website intake)
// with a's IDs gets what unknown IDs get; in the path and in the body.
func (m *matrix) tenants(o operation) {
	as, key := principalOf(o, specs[o.String()], m.b), m.b.refs["apiKey"]
	if ids := m.idParams(o); len(ids) > 0 {
		theirs := &tenant{name: m.b.name, ids: m.a.ids, refs: m.b.refs}
		unknown := &tenant{name: m.b.name, ids: unknownFor(o, m.a.ids), refs: m.b.refs}
		r, got := m.send(o, theirs, as, key, m.secrets)
		_, want := m.send(o, unknown, as, key, m.secrets)
		m.same("another tenant's IDs in the path", r, got, want)
		if want.Status != http.StatusNotFound {
			m.t.Errorf("with unknown IDs (%v) %d, not 404: the request must reach the lookup for the comparison to mean something: %s", ids, want.Status, want.Raw)
		}
		m.count("another tenant's IDs in the path")
	}
	theirs := &tenant{name: m.b.name, ids: m.b.ids, refs: m.a.refs}
	unknown := &tenant{name: m.b.name, ids: m.b.ids, refs: m.a.unknown().refs}
	if !o.Write() || m.isSame(o, theirs, unknown) {
		return
	}
	r, got := m.send(o, theirs, as, key, m.secrets)
	_, want := m.send(o, unknown, as, key, m.secrets)
	m.same("another tenant's IDs in the body", r, got, want)
	m.count("another tenant's IDs in the body")
}

// queryRefs are query parameters that name a tenant's objects (filters of
// lists), with the ref of the seeded object each takes.
var queryRefs = map[string]string{
	"customer": "customer", "customerId": "customer", "type": "caseType", "status": "status",
	"priority": "priority", "assignee": "erik", "group": "group",
}

// queries: a list filtered by another tenant's object answers as one
// filtered by an unknown object.
func (m *matrix) queries(o operation) {
	if o.Method != "GET" {
		return
	}
	for _, q := range o.Query {
		ref, ok := queryRefs[q]
		if !ok {
			continue
		}
		as := principalOf(o, specs[o.String()], m.b)
		var answers [2]apitest.Response
		var r request
		for i, v := range []string{m.a.refs[ref], apitest.NoSuchID} {
			r = request{as: as, method: "GET", path: mustFill(m.t, o, m.b.ids) + "?" + q + "=" + v}
			answers[i] = m.w.do(r)
			if leaked := leaks(r, answers[i], m.secrets); len(leaked) > 0 {
				m.t.Errorf("%s answered IDs of another tenant: %v", r.path, leaked)
			}
		}
		m.same("another tenant's ID in ?"+q, r, answers[0], answers[1])
		if len(answers[0].Items()) != len(answers[1].Items()) {
			m.t.Errorf("?%s with another tenant's ID lists %d, with an unknown one %d", q, len(answers[0].Items()), len(answers[1].Items()))
		}
		m.count("another tenant's IDs in the query")
	}
}

func mustFill(t testing.TB, o operation, ids map[string]string) string {
	t.Helper()
	path, err := fill(o, ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// isSame reports whether o's request is the same built from two tenants.
func (m *matrix) isSame(o operation, x, y *tenant) bool {
	rx, errx := m.w.request(o, x)
	ry, erry := m.w.request(o, y)
	return errx != nil || erry != nil || reflect.DeepEqual(rx.body, ry.body)
}

// portal: a customer's login with its tenant's other customer's case gets
// what an unknown case gets.
func (m *matrix) portal(o operation) {
	if !o.Needs(identity.Customer) || len(o.Params) == 0 {
		return
	}
	theirs := &tenant{name: m.a.name, ids: overlay(m.a.ids, otherCustomer(m.a)), refs: m.a.refs}
	for i := range o.Params {
		if _, ok := otherCustomer(m.a)[o.Prefix(i)]; !ok {
			m.t.Errorf("no value of the other customer for %s: add one to otherCustomer", o.Prefix(i))
			return
		}
	}
	unknown := &tenant{name: m.a.name, ids: unknownFor(o, m.a.ids), refs: m.a.refs}
	r, got := m.send(o, theirs, m.a.customer(), "", m.others)
	_, want := m.send(o, unknown, m.a.customer(), "", m.others)
	m.same("the other customer's case", r, got, want)
	m.count("portal: the other customer's IDs")
}

// readable: every allowed role reads the real objects (200), and sees
// nothing of what it may not.
func (m *matrix) readable(o operation) {
	if o.Method != "GET" {
		return
	}
	if o.APIKey {
		if _, res := m.send(o, m.a, nil, m.a.refs["apiKey"], nil); res.Status != http.StatusOK {
			m.t.Errorf("with the tenant's key: %d, want 200: %s", res.Status, res.Raw)
		}
		m.count("read with a key")
	}
	for _, p := range []*identity.Principal{m.a.admin(), m.a.agent(), m.a.customer()} {
		if !o.Needs(p.Roles[0]) {
			continue
		}
		forbidden := []string(nil)
		if p.Has(identity.Customer) {
			forbidden = m.others
		}
		_, res := m.send(o, m.a, p, m.a.refs["apiKey"], forbidden)
		if res.Status != http.StatusOK {
			m.t.Errorf("as %s with the real IDs: %d, want 200: %s", p.Roles[0], res.Status, res.Raw)
		}
		m.count("read by " + string(p.Roles[0]))
	}
}

// link: the customer's page of a link. The link works; one naming another
// tenant with this tenant's case and contact is as one naming an unknown
// case.
func (m *matrix) link(o operation) {
	w := m.w
	if o.Method == "GET" {
		if _, res := m.send(o, m.a, nil, "", m.others); res.Status != http.StatusOK {
			m.t.Errorf("the link itself: %d, want 200", res.Status)
		}
		m.count("link: works")
	}
	epoch := m.a.refs["linkEpoch"]
	theirs := w.sealFor(m.b.name, m.a.refs["case"], m.a.refs["contact"], epoch, 24*time.Hour)
	unknown := w.sealFor(m.b.name, apitest.NoSuchID, apitest.NoSuchID, epoch, 24*time.Hour)
	at := func(token string) *tenant {
		return &tenant{name: m.b.name, ids: overlay(m.a.ids, map[string]string{"/c/{token}": token}), refs: m.a.refs}
	}
	r, got := m.send(o, at(theirs), nil, "", m.secrets)
	_, want := m.send(o, at(unknown), nil, "", m.secrets)
	m.same("a link naming another tenant", r, got, want)
	m.count("link: another tenant's")
}

// preflight: a CORS preflight is answered for an origin some key allows,
// refused for another.
func (m *matrix) preflight(o operation) {
	for origin, want := range map[string]int{"https://www.example.se": http.StatusNoContent, "https://evil.example": http.StatusForbidden} {
		res := m.w.do(request{method: "OPTIONS", path: mustFill(m.t, o, m.a.ids), headers: []string{"Origin", origin, "Access-Control-Request-Method", "POST"}})
		if res.Status != want {
			m.t.Errorf("preflight from %s: %d, want %d", origin, res.Status, want)
		}
		m.count("preflight")
	}
}

// same reports a got that differs from want in status or problem code.
func (m *matrix) same(what string, r request, got, want apitest.Response) {
	m.t.Helper()
	if got.Status != want.Status || got.Str("code") != want.Str("code") || !slices.Equal(got.ProblemFields(), want.ProblemFields()) {
		m.t.Errorf("%s: %s %s as %v answered %d %s, unknown IDs %d %s\n%s", what, r.method, r.path, who(r.as),
			got.Status, got.Str("code"), want.Status, want.Str("code"), got.Raw)
	}
}

// idParams are o's parameters that name a tenant's objects.
func (m *matrix) idParams(o operation) []string {
	var ids []string
	for i, p := range o.Params {
		if !notIDs[o.Prefix(i)] {
			ids = append(ids, p)
		}
	}
	return ids
}

// unknownFor is ids with o's ID parameters naming nothing.
func unknownFor(o operation, ids map[string]string) map[string]string {
	out := map[string]string{}
	for i := range o.Params {
		k := o.Prefix(i)
		switch {
		case notIDs[k]:
			out[k] = ids[k]
		case unknownIDs[k] != "":
			out[k] = unknownIDs[k]
		default:
			out[k] = apitest.NoSuchID
		}
	}
	return out
}

func overlay(base, over map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

var ulidIn = regexp.MustCompile(`[0-9a-hjkmnp-tv-z]{26}`)

// idsOf collects the IDs of acme's objects from the table (every ID in
// its items, and its API key), and those of its second customer.
func (m *matrix) idsOf(s snapshot) (secrets, others []string) {
	seen := map[string]bool{}
	for line, item := range s.dump() {
		if !strings.Contains(line, "#acme#") {
			continue
		}
		for _, id := range ulidIn.FindAllString(item, -1) {
			if !seen[id] {
				seen[id] = true
				secrets = append(secrets, id)
			}
		}
	}
	secrets = append(secrets, m.a.refs["apiKey"])
	others = []string{m.a.refs["customer2"], m.a.refs["contact2"], m.a.refs["case2"]}
	return secrets, others
}

// leaks are the forbidden IDs res holds that r did not send.
func leaks(r request, res apitest.Response, forbidden []string) []string {
	sent := r.path + fmt.Sprint(r.body) + fmt.Sprint(r.headers)
	var out []string
	for _, id := range forbidden {
		if id != "" && strings.Contains(string(res.Raw), id) && !strings.Contains(sent, id) {
			out = append(out, id)
		}
	}
	return out
}

func who(p *identity.Principal) string {
	if p == nil {
		return "nobody"
	}
	return fmt.Sprintf("%s/%s%v", p.Tenant, p.User, p.Roles)
}

// diffTenant lists the items of a tenant (their key names it) that
// differ between two dumps.
func diffTenant(before, after dump, name string) string {
	var out []string
	for k, v := range after {
		if strings.Contains(k, "#"+name+"#") && before[k] != v {
			out = append(out, "changed or new: "+k+"\n  before: "+before[k]+"\n  after:  "+v)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok && strings.Contains(k, "#"+name+"#") {
			out = append(out, "gone: "+k)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}
