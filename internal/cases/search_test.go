package cases_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// searchWorld is five cases with words to find: titles, customers and
// contacts (customer A is Byggbolaget AB with Anna Andersson and Bo Berg,
// B is Cafét HB with Cecilia Ek).
type searchWorld struct {
	world
	k1, k2, k3, k4, k5 string
	n12                string // case number 12
}

func seedSearch(t *testing.T, h *harness) searchWorld {
	t.Helper()
	sw := searchWorld{world: h.seed(t)}
	mk := func(body map[string]any) string {
		t.Helper()
		h.clock.Advance(time.Minute)
		return h.create(t, body).Str("id")
	}
	sw.k1 = mk(map[string]any{"title": "Läckande kran", "customerId": sw.custA, "contactId": sw.anna})
	sw.k2 = mk(map[string]any{"title": "Kranbyte i köket", "customerId": sw.custB, "contactId": sw.cecilia, "statusId": statusOpen})
	sw.k3 = mk(map[string]any{"title": "Trasig dörr", "customerId": sw.custA, "contactId": sw.bo, "statusId": statusClosed})
	sw.k4 = mk(map[string]any{"title": "KRAN läcker igen!", "statusId": statusWaiting})
	sw.k5 = mk(map[string]any{"title": "Värmepump", "customerId": sw.custA})
	for i := 6; i <= 12; i++ {
		id := mk(map[string]any{"title": fmt.Sprintf("Övrigt %d", i)})
		if i == 12 {
			sw.n12 = id
		}
	}
	return sw
}

// TestSearch: q finds the cases with a word beginning with each query word
// in their number, title, customer's name or contact's name, whatever the
// case of the letters, newest first; with a category (or active), and
// with other filters; one Query and one BatchGetItem.
func TestSearch(t *testing.T) {
	h := newHarness(t)
	sw := seedSearch(t, h)
	h.listIDs(t, "") // settings warm
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"kran", []string{sw.k4, sw.k2, sw.k1}},
		{"KRAN", []string{sw.k4, sw.k2, sw.k1}},
		{"kranbyte", []string{sw.k2}},
		{"läck", []string{sw.k4, sw.k1}},
		{"LÄCK", []string{sw.k4, sw.k1}},
		{"kran läck", []string{sw.k4, sw.k1}},
		{"läck kran", []string{sw.k4, sw.k1}},
		{"kran, läck!", []string{sw.k4, sw.k1}},
		{"ran", nil},
		{"byggbolaget", []string{sw.k5, sw.k3, sw.k1}},
		{"bygg anna", []string{sw.k1}},
		{"andersson", []string{sw.k1}},
		{"cecilia kran", []string{sw.k2}},
		{"bo dörr", []string{sw.k3}},
		{"12", []string{sw.n12}},
		{"övrigt 12", []string{sw.n12}},
		{"kran i", []string{sw.k4, sw.k2, sw.k1}}, // one-letter words narrow nothing
		{"värmepumpen", nil},
		{"zz", nil},
	} {
		t.Run(tc.q, func(t *testing.T) {
			var got []string
			c := h.cost(func() { got = h.listIDs(t, "?q="+url.QueryEscape(tc.q)) })
			if !slices.Equal(got, tc.want) {
				t.Errorf("q=%s: %v, want %v", tc.q, got, tc.want)
			}
			want := map[string]int{"Query": 1, "BatchGetItem": 1}
			if len(tc.want) == 0 {
				want = map[string]int{"Query": 1}
			}
			if fmt.Sprint(c) != fmt.Sprint(want) {
				t.Errorf("q=%s cost %v, want %v", tc.q, c, want)
			}
		})
	}
	for q, want := range map[string][]string{
		"q=kran&category=open":                        {sw.k2},
		"q=kran&category=active":                      {sw.k4, sw.k2, sw.k1},
		"q=kran&category=new":                         {sw.k1},
		"q=kran&category=closed":                      nil,
		"q=dörr&category=closed":                      {sw.k3},
		"q=byggbolaget&category=active":               {sw.k5, sw.k1},
		"q=kran&customer=" + sw.custA:                 {sw.k1},
		"q=kran&status=" + statusWaiting:              {sw.k4},
		"q=kran&sort=newest":                          {sw.k4, sw.k2, sw.k1},
		"q=byggbolaget&customer=" + sw.custB:          nil,
		"q=kran&number=2":                             {sw.k2},
		"q=kran&category=active&assignee=" + userBoss: nil,
	} {
		if got := h.listIDs(t, "?"+q); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	// The answers are the cases, with their SLA.
	for _, it := range h.Do(&agent, "GET", "/v1/cases?q=kranbyte", nil).Must(t, http.StatusOK).Items() {
		if it["title"] != "Kranbyte i köket" || it["sla"] == nil || it["activityAt"] == nil {
			t.Errorf("search answer %v", it)
		}
	}
	h.checkEntries(t, admin.Tenant)
}

// TestSearchPages: a search pages newest first with no gap and no repeat;
// its cursor is its own: not another search's, list's or tenant's.
func TestSearchPages(t *testing.T) {
	h := newHarness(t)
	sw := seedSearch(t, h)
	var got []string
	for cursor := ""; len(got) < 10; {
		q := "?q=kran&limit=1"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		res := h.Do(&agent, "GET", "/v1/cases"+q, nil).Must(t, http.StatusOK)
		got = append(got, res.IDs()...)
		if cursor = res.Str("next"); cursor == "" {
			break
		}
	}
	if want := []string{sw.k4, sw.k2, sw.k1}; !slices.Equal(got, want) {
		t.Errorf("pages of 1: %v, want %v", got, want)
	}
	next := h.Do(&agent, "GET", "/v1/cases?q=kran&limit=1", nil).Must(t, http.StatusOK).Str("next")
	if next == "" {
		t.Fatal("no cursor")
	}
	list := h.Do(&agent, "GET", "/v1/cases?limit=1", nil).Must(t, http.StatusOK).Str("next")
	for _, q := range []string{
		"?q=kranen&limit=1&cursor=" + url.QueryEscape(next),                 // another search, same partition
		"?q=kran&category=active&limit=1&cursor=" + url.QueryEscape(next),   // another filter
		"?limit=1&cursor=" + url.QueryEscape(next),                          // a list
		"?q=kran&limit=1&cursor=" + url.QueryEscape(list),                   // a list's cursor
		"?q=kran&limit=1&cursor=" + url.QueryEscape(next[:len(next)-2]+"x"), // tampered
	} {
		h.Do(&agent, "GET", "/v1/cases"+q, nil).MustProblem(t, http.StatusBadRequest, "cursor")
	}
	h.Do(&intruder, "GET", "/v1/cases?q=kran&limit=1&cursor="+url.QueryEscape(next), nil).MustProblem(t, http.StatusBadRequest, "cursor")
}

// TestSearchIsolation: another tenant's search never finds this tenant's
// cases, with the same words, and the reverse.
func TestSearchIsolation(t *testing.T) {
	h := newHarness(t)
	sw := seedSearch(t, h)
	theirs := h.Do(&intruder, "POST", "/v1/cases", map[string]any{"title": "Läckande kran hos grannen"}).Must(t, http.StatusCreated).Str("id")
	if got := h.Do(&intruder, "GET", "/v1/cases?q=kran", nil).Must(t, http.StatusOK).IDs(); !slices.Equal(got, []string{theirs}) {
		t.Errorf("the other tenant finds %v, want only its own %s", got, theirs)
	}
	if got := h.listIDs(t, "?q=kran"); !slices.Equal(got, []string{sw.k4, sw.k2, sw.k1}) {
		t.Errorf("this tenant finds %v", got)
	}
	for _, q := range []string{"byggbolaget", "anna", "1"} {
		if got := h.Do(&intruder, "GET", "/v1/cases?q="+q+"1", nil).Must(t, http.StatusOK).IDs(); slices.ContainsFunc(got, func(id string) bool { return id != theirs }) {
			t.Errorf("the other tenant's q=%s1 finds %v", q, got)
		}
	}
}

// TestSearchFollowsChanges: the words a case is found by follow a new
// title, a switch of customer, a rename of its customer or contact, a
// move to another category and a delete, without a rescan of the tenant.
func TestSearchFollowsChanges(t *testing.T) {
	h := newHarness(t)
	sw := seedSearch(t, h)
	find := func(q string) []string { t.Helper(); return h.listIDs(t, "?q="+url.QueryEscape(q)) }
	expect := func(q string, want ...string) {
		t.Helper()
		if got := find(q); !slices.Equal(got, want) {
			t.Errorf("q=%s: %v, want %v", q, got, want)
		}
	}

	h.patch(t, sw.k1, map[string]any{"title": "Droppande kran"}).Must(t, http.StatusOK)
	expect("läck", sw.k4)
	expect("dropp", sw.k1)
	expect("kran anna", sw.k1)

	v := h.get(t, sw.k2).Version()
	h.Do(&agent, "POST", "/v1/cases/"+sw.k2+"/customer", map[string]any{"customerId": sw.custA, "contactId": sw.anna}, ifMatch(v)...).Must(t, http.StatusOK)
	expect("cecilia")
	expect("café")
	expect("anna", sw.k2, sw.k1)

	// Rename the customer and a contact: one PATCH of the customer, whose
	// cases follow.
	cust := h.Do(&admin, "GET", "/v1/customers/"+sw.custA, nil).Must(t, http.StatusOK)
	contacts := cust.List("contacts")
	contacts[0]["name"] = "Annika Andersson"
	h.Do(&admin, "PATCH", "/v1/customers/"+sw.custA, map[string]any{"name": "Snickarna i Kalmar AB", "contacts": contacts}, ifMatch(cust.Version())...).
		Must(t, http.StatusOK)
	expect("byggbolaget")
	expect("snickarna", sw.k5, sw.k3, sw.k2, sw.k1)
	expect("kalmar kran", sw.k2, sw.k1)
	expect("anna")
	expect("annika", sw.k2, sw.k1)
	expect("bo", sw.k3)

	h.patch(t, sw.k1, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	if got := h.listIDs(t, "?q=kran&category=active"); !slices.Equal(got, []string{sw.k4, sw.k2}) {
		t.Errorf("active kran after k1 closed: %v", got)
	}
	if got := h.listIDs(t, "?q=kran&category=closed"); !slices.Equal(got, []string{sw.k1}) {
		t.Errorf("closed kran after k1 closed: %v", got)
	}

	h.Do(&admin, "DELETE", "/v1/cases/"+sw.k4, nil, ifMatch(h.get(t, sw.k4).Version())...).Must(t, http.StatusNoContent)
	expect("kran", sw.k2, sw.k1)
	expect("igen")
	h.checkEntries(t, admin.Tenant)
}

// TestRenameCost: a rename of a customer reads its list a page at a time
// (a Query and a BatchGetItem per 100 cases) and writes one transaction
// per case whose names change; a change of the customer that renames
// nothing reaches no case.
func TestRenameCost(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	for i := range 7 {
		h.create(t, map[string]any{"title": fmt.Sprintf("Fall %d", i), "customerId": w.custB, "contactId": w.cecilia})
	}
	h.create(t, map[string]any{"title": "Annan kund", "customerId": w.custA})
	cust := h.Do(&admin, "GET", "/v1/customers/"+w.custB, nil).Must(t, http.StatusOK)
	c := h.cost(func() {
		h.Do(&admin, "PATCH", "/v1/customers/"+w.custB, map[string]any{"phone": "070-1234567"}, ifMatch(cust.Version())...).Must(t, http.StatusOK)
	})
	if c["Query"] != 0 || c["BatchGetItem"] != 0 || c["TransactWriteItems"] != 1 {
		t.Errorf("a change that renames nothing cost %v", c)
	}
	c = h.cost(func() {
		h.Do(&admin, "PATCH", "/v1/customers/"+w.custB, map[string]any{"name": "Kaféet HB"}, ifMatch(cust.Version()+1)...).Must(t, http.StatusOK)
	})
	// The customer's read and transaction, then the rename: the customer
	// read again, its list, its cases, a transaction each.
	if want := map[string]int{"GetItem": 2, "Query": 1, "BatchGetItem": 1, "TransactWriteItems": 1 + 7}; fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("a rename of a customer with 7 cases cost %v, want %v", c, want)
	}
	if got := h.listIDs(t, "?q=kaféet"); len(got) != 7 {
		t.Errorf("q=kaféet finds %d cases", len(got))
	}
	h.checkEntries(t, admin.Tenant)
}

// renameCustomer renames the tenant's customer as admin.
func (h *harness) renameCustomer(t testing.TB, id, name string) {
	t.Helper()
	v := h.Do(&admin, "GET", "/v1/customers/"+id, nil).Must(t, http.StatusOK).Version()
	h.Do(&admin, "PATCH", "/v1/customers/"+id, map[string]any{"name": name}, ifMatch(v)...).Must(t, http.StatusOK)
}

// TestRenameRaces: a rename of the customer between a write's read and
// its transaction (a change of the case's title, a create, a switch to
// the customer) makes the write read again and take the new names: no
// case is left found by the old ones.
func TestRenameRaces(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, map[string]any{"title": "Läckande kran", "customerId": w.custA, "contactId": w.anna}).Str("id")

	h.probe.onNextTransact(func() { h.renameCustomer(t, w.custA, "Rörläggarna AB") })
	h.patch(t, id, map[string]any{"title": "Droppande kran"}).Must(t, http.StatusOK)
	if h.probe.hookPending() {
		t.Fatal("the rename did not run")
	}
	for q, want := range map[string][]string{"rörläggarna dropp": {id}, "byggbolaget": nil, "läckande": nil} {
		if got := h.listIDs(t, "?q="+url.QueryEscape(q)); !slices.Equal(got, want) {
			t.Errorf("after a rename during a change, q=%s: %v, want %v", q, got, want)
		}
	}

	h.probe.onNextTransact(func() { h.renameCustomer(t, w.custA, "Rörmokarna AB") })
	created := h.create(t, map[string]any{"title": "Ny kran", "customerId": w.custA, "contactId": w.anna})
	if created.Num("number") != 2 {
		t.Errorf("the create retried took number %d", created.Num("number"))
	}
	for q, want := range map[string][]string{"rörmokarna ny": {created.Str("id")}, "rörläggarna": nil} {
		if got := h.listIDs(t, "?q="+url.QueryEscape(q)); !slices.Equal(got, want) {
			t.Errorf("after a rename during a create, q=%s: %v, want %v", q, got, want)
		}
	}

	other := h.create(t, map[string]any{"title": "Byter kund", "customerId": w.custB}).Str("id")
	h.probe.onNextTransact(func() { h.renameCustomer(t, w.custA, "VVS-gänget AB") })
	h.Do(&agent, "POST", "/v1/cases/"+other+"/customer", map[string]any{"customerId": w.custA, "contactId": w.bo}, ifMatch(1)...).Must(t, http.StatusOK)
	for q, want := range map[string][]string{"gänget byter": {other}, "rörmokarna": nil, "café": nil} {
		if got := h.listIDs(t, "?q="+url.QueryEscape(q)); !slices.Equal(got, want) {
			t.Errorf("after a rename during a switch, q=%s: %v, want %v", q, got, want)
		}
	}
	h.checkEntries(t, admin.Tenant)
	h.checkIntegrity(t, admin.Tenant)
}

// TestCustomerChangesWhileItsCasesFollow: while the cases of a renamed
// customer take its new name, another change of the customer (its phone)
// does not stop them; a second rename does, and its own names win.
func TestCustomerChangesWhileItsCasesFollow(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	var ids []string
	for i := range 3 {
		ids = append(ids, h.create(t, map[string]any{"title": fmt.Sprintf("Fall %d", i), "customerId": w.custB, "contactId": w.cecilia}).Str("id"))
	}
	slices.Reverse(ids) // newest first
	meanwhile := func(body map[string]any) {
		// Before the rename's own transaction: arrange that the first
		// transaction of its cases meets another change of the customer.
		h.probe.onNextTransact(func() {
			h.probe.onNextTransact(func() {
				v := h.Do(&admin, "GET", "/v1/customers/"+w.custB, nil).Must(t, http.StatusOK).Version()
				h.Do(&admin, "PATCH", "/v1/customers/"+w.custB, body, ifMatch(v)...).Must(t, http.StatusOK)
			})
		})
	}
	meanwhile(map[string]any{"phone": "070-1"})
	h.renameCustomer(t, w.custB, "Konditoriet HB")
	if got := h.listIDs(t, "?q=konditoriet"); !slices.Equal(got, ids) {
		t.Errorf("after a phone change during the rename: %v, want %v", got, ids)
	}
	meanwhile(map[string]any{"name": "Bageriet HB"})
	h.renameCustomer(t, w.custB, "Skafferiet HB")
	if got, old := h.listIDs(t, "?q=bageriet"), h.listIDs(t, "?q=skafferiet"); !slices.Equal(got, ids) || len(old) != 0 {
		t.Errorf("after a second rename during the first: bageriet %v, skafferiet %v", got, old)
	}
	if h.probe.hookPending() {
		t.Error("the change meanwhile did not run")
	}
	h.checkEntries(t, admin.Tenant)
}
