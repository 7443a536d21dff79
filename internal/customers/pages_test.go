package customers_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/identity"
)

// pages follows a list's cursors from the first page and returns the
// items' IDs per page. It fails on a cursor loop.
func (h *harness) pages(t testing.TB, p *identity.Principal, path string) [][]string {
	t.Helper()
	var out [][]string
	next := path
	for range 100 {
		r := h.Do(p, "GET", next, nil).Must(t, http.StatusOK)
		out = append(out, r.IDs())
		cursor := r.Str("next")
		if cursor == "" {
			return out
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		next = path + sep + "cursor=" + url.QueryEscape(cursor)
	}
	t.Fatalf("%s: more than 100 pages", path)
	return nil
}

func TestCustomerPages(t *testing.T) {
	h := newHarness(t)
	names := []string{"Gamma AB", "alfa AB", "Beta AB", "Öberg AB", "delta AB", "Epsilon AB", "beta AB"}
	ids := map[string]string{}
	for _, n := range names {
		ids[h.newCustomer(t, map[string]any{"name": n}).Str("id")] = n
	}
	pages := h.pages(t, &agent, "/v1/customers?limit=3")
	if got := []int{len(pages[0]), len(pages[1]), len(pages[2])}; len(pages) != 3 || !slices.Equal(got, []int{3, 3, 1}) {
		t.Fatalf("pages %v, want sizes 3, 3, 1", pages)
	}
	var all []string
	for _, p := range pages {
		for _, id := range p {
			all = append(all, ids[id])
		}
	}
	// By name, case ignored; equal names keep a stable order by ID.
	want := []string{"alfa AB", "Beta AB", "beta AB", "delta AB", "Epsilon AB", "Gamma AB", "Öberg AB"}
	if !slices.Equal(all[:1], want[:1]) || !slices.Equal(all[3:], want[3:]) || !slices.Contains(all[1:3], "Beta AB") || !slices.Contains(all[1:3], "beta AB") {
		t.Errorf("order %v, want %v", all, want)
	}
	if len(h.read(t, "/v1/customers").Items()) != 7 {
		t.Error("the default page does not hold all 7")
	}
	// A full last page has no next: exactly 6 with limit 3 is two pages.
	if n := len(h.pages(t, &agent, "/v1/customers?limit=6")); n != 2 {
		t.Errorf("limit 6 over 7 customers: %d pages, want 2", n)
	}
	if n := len(h.pages(t, &agent, "/v1/customers?limit=7")); n != 1 {
		t.Errorf("limit 7 over 7 customers: %d pages, want 1", n)
	}
	// A rename moves the customer in the list (before Ö, which sorts
	// after z).
	first := h.read(t, "/v1/customers?limit=1").Items()[0]
	h.Do(&agent, "PATCH", "/v1/customers/"+first["id"].(string), map[string]any{"name": "Zeta AB"}, "If-Match", "*").Must(t, http.StatusOK)
	if moved := h.read(t, "/v1/customers").Items()[5]; moved["id"] != first["id"] {
		t.Errorf("renamed customer is not between Gamma and Öberg: %v", moved)
	}
}

func TestOrderPages(t *testing.T) {
	h := newHarness(t)
	c1 := h.newCustomer(t, map[string]any{"name": "Ett"}).Str("id")
	c2 := h.newCustomer(t, map[string]any{"name": "Två"}).Str("id")
	var newestFirst, ofC1 []string
	for i := range 7 {
		cid := c1
		if i%2 == 1 {
			cid = c2
		}
		// Whole seconds and fractions within one second: the sort key must
		// still sort by time ("09:00:01Z" after "09:00:00.5Z").
		h.clock.Advance(500 * time.Millisecond)
		id := h.newOrder(t, cid, fmt.Sprintf("SO-%d", i)).Str("id")
		newestFirst = append([]string{id}, newestFirst...)
		if cid == c1 {
			ofC1 = append([]string{id}, ofC1...)
		}
	}
	if got := slices.Concat(h.pages(t, &agent, "/v1/orders?limit=3")...); !slices.Equal(got, newestFirst) {
		t.Errorf("orders %v, want newest first %v", got, newestFirst)
	}
	pages := h.pages(t, &agent, "/v1/orders?customerId="+c1+"&limit=3")
	if len(pages) != 2 || !slices.Equal(slices.Concat(pages...), ofC1) {
		t.Errorf("orders of customer 1 %v, want %v", pages, ofC1)
	}
	if n := len(h.read(t, "/v1/orders?customerId="+noSuchID).Items()); n != 0 {
		t.Errorf("unknown customer has %d orders", n)
	}
}

func TestCursorsAndLimits(t *testing.T) {
	h := newHarness(t)
	c1 := h.newCustomer(t, map[string]any{"name": "Ett"}).Str("id")
	c2 := h.newCustomer(t, map[string]any{"name": "Två"}).Str("id")
	h.newCustomer(t, map[string]any{"name": "Tre"})
	for i := range 3 {
		h.newOrder(t, c1, fmt.Sprintf("A-%d", i))
		h.newOrder(t, c2, fmt.Sprintf("B-%d", i))
	}
	for range 3 {
		h.Do(&intruder, "POST", "/v1/customers", map[string]any{"name": "Deras", "kind": "person"}).Must(t, http.StatusCreated)
	}
	customerCursor := h.read(t, "/v1/customers?limit=1").Str("next")
	orderCursor := h.read(t, "/v1/orders?limit=1").Str("next")
	c1Cursor := h.read(t, "/v1/orders?limit=1&customerId="+c1).Str("next")
	theirCursor := h.Do(&intruder, "GET", "/v1/customers?limit=1", nil).Must(t, http.StatusOK).Str("next")
	if customerCursor == "" || orderCursor == "" || c1Cursor == "" || theirCursor == "" {
		t.Fatal("a first page of 1 answered no cursor")
	}

	// What a cursor decodes to, tampered with: each is refused.
	var key map[string]string
	raw, _ := base64.RawURLEncoding.DecodeString(customerCursor)
	if err := json.Unmarshal(raw, &key); err != nil {
		t.Fatalf("cursor is not base64url JSON: %v", err)
	}
	tamper := func(change func(map[string]string)) string {
		k := map[string]string{}
		for n, v := range key {
			k[n] = v
		}
		change(k)
		b, _ := json.Marshal(k)
		return base64.RawURLEncoding.EncodeToString(b)
	}

	bad := []struct {
		name, path string
		field      string
	}{
		{"malformed query string", "/v1/customers?cursor=%%%", ""},
		{"not base64", "/v1/customers?cursor=not*base64", "cursor"},
		{"truncated cursor", "/v1/customers?cursor=" + customerCursor[:len(customerCursor)-4], "cursor"},
		{"empty cursor", "/v1/customers?cursor=", "cursor"},
		{"huge cursor", "/v1/customers?cursor=" + strings.Repeat("A", 2000), "cursor"},
		{"another tenant's cursor", "/v1/customers?cursor=" + theirCursor, "cursor"},
		{"order cursor on customers", "/v1/customers?cursor=" + orderCursor, "cursor"},
		{"customer cursor on orders", "/v1/orders?cursor=" + customerCursor, "cursor"},
		{"all-orders cursor on one customer's", "/v1/orders?customerId=" + c1 + "&cursor=" + orderCursor, "cursor"},
		{"one customer's cursor on another's", "/v1/orders?customerId=" + c2 + "&cursor=" + c1Cursor, "cursor"},
		{"other tenant in the key", "/v1/customers?cursor=" + tamper(func(k map[string]string) { k["PK"] = strings.Replace(k["PK"], "#acme#", "#other#", 1) }), "cursor"},
		{"other partition", "/v1/customers?cursor=" + tamper(func(k map[string]string) { k["GSI1PK"] = "T#other#CUSTOMERS" }), "cursor"},
		{"other sort key", "/v1/customers?cursor=" + tamper(func(k map[string]string) { k["SK"] = "CONTACT#x" }), "cursor"},
		{"mismatched id", "/v1/customers?cursor=" + tamper(func(k map[string]string) { k["GSI1SK"] = "ett#" + noSuchID }), "cursor"},
		{"extra attribute", "/v1/customers?cursor=" + tamper(func(k map[string]string) { k["data"] = "{}" }), "cursor"},
		{"limit 0", "/v1/customers?limit=0", "limit"},
		{"limit 101", "/v1/orders?limit=101", "limit"},
		{"limit not a number", "/v1/orders?limit=ten", "limit"},
		{"limit twice", "/v1/orders?limit=1&limit=2", "limit"},
		{"unknown parameter", "/v1/orders?customer=" + c1, "customer"},
		{"filter customers do not have", "/v1/customers?customerId=" + c1, "customerId"},
		{"malformed customerId", "/v1/orders?customerId=a%23b", "customerId"},
		{"empty customerId", "/v1/orders?customerId=", "customerId"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			h.Do(&agent, "GET", tc.path, nil).MustProblem(t, http.StatusBadRequest, fields...)
		})
	}
	t.Run("tenant B with tenant A's cursor", func(t *testing.T) {
		h.Do(&intruder, "GET", "/v1/customers?cursor="+customerCursor, nil).MustProblem(t, http.StatusBadRequest, "cursor")
		h.Do(&intruder, "GET", "/v1/orders?cursor="+orderCursor, nil).MustProblem(t, http.StatusBadRequest, "cursor")
	})
	t.Run("untampered cursors work", func(t *testing.T) {
		if n := len(h.read(t, "/v1/customers?cursor="+customerCursor).Items()); n != 2 {
			t.Errorf("second page of customers holds %d, want 2", n)
		}
		if n := len(h.read(t, "/v1/orders?customerId="+c1+"&cursor="+c1Cursor).Items()); n != 2 {
			t.Errorf("second page of customer 1's orders holds %d, want 2", n)
		}
	})
}

// TestCustomersInSwedishOrder: å, ä, ö come after z and in that order,
// whatever the case.
func TestCustomersInSwedishOrder(t *testing.T) {
	h := newHarness(t)
	for _, n := range []string{"Örebro Bygg", "ärlebo AB", "Zeta AB", "Åkerby AB", "ängby AB", "Alfa AB"} {
		h.newCustomer(t, map[string]any{"name": n})
	}
	var got []string
	for _, c := range h.read(t, "/v1/customers").Items() {
		got = append(got, c["name"].(string))
	}
	want := []string{"Alfa AB", "Zeta AB", "Åkerby AB", "ängby AB", "ärlebo AB", "Örebro Bygg"}
	if !slices.Equal(got, want) {
		t.Errorf("customers %v, want %v", got, want)
	}
}
