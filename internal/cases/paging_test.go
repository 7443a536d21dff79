package cases_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestNoCursorToAnEmptyPage: a page that ends exactly where its list ends
// answers no cursor, in the case lists, the event log and the comments;
// a page that does not end there answers one, and it leads to the rest.
func TestNoCursorToAnEmptyPage(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	const n = 4
	var id string
	for i := range n {
		h.clock.Advance(time.Minute)
		id = h.create(t, map[string]any{"title": fmt.Sprintf("Sida %d", i), "customerId": w.custA}).Str("id")
	}
	for i := range n - 1 { // with "commented", n events and n-1 comments
		h.Do(&agent, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": fmt.Sprintf("Kommentar %d", i)}).Must(t, http.StatusCreated)
	}
	for _, tc := range []struct {
		path  string
		query string
		count int
	}{
		{"/v1/cases", "", n},
		{"/v1/cases", "sort=updated&", n},
		{"/v1/cases", "sort=urgent&", n},
		{"/v1/cases", "customer=" + w.custA + "&", n},
		{"/v1/cases", "overdue=true&", 0},
		{"/v1/cases/" + id + "/events", "", n},
		{"/v1/cases/" + id + "/comments", "", n - 1},
	} {
		t.Run(tc.path+"?"+tc.query, func(t *testing.T) {
			if tc.count == 0 {
				if r := h.Do(&agent, "GET", tc.path+"?"+tc.query+"limit=1", nil).Must(t, http.StatusOK); r.Str("next") != "" || len(r.Items()) != 0 {
					t.Errorf("an empty list answered %s", r.Raw)
				}
				return
			}
			full := h.Do(&agent, "GET", fmt.Sprintf("%s?%slimit=%d", tc.path, tc.query, tc.count), nil).Must(t, http.StatusOK)
			if len(full.Items()) != tc.count || full.Str("next") != "" {
				t.Errorf("a page of the whole list (%d) answered %d items and cursor %q", tc.count, len(full.Items()), full.Str("next"))
			}
			first := h.Do(&agent, "GET", fmt.Sprintf("%s?%slimit=%d", tc.path, tc.query, tc.count-1), nil).Must(t, http.StatusOK)
			if len(first.Items()) != tc.count-1 || first.Str("next") == "" {
				t.Fatalf("a page of all but one answered %d items and cursor %q", len(first.Items()), first.Str("next"))
			}
			last := h.Do(&agent, "GET", fmt.Sprintf("%s?%slimit=%d&cursor=%s", tc.path, tc.query, tc.count-1, url.QueryEscape(first.Str("next"))), nil).Must(t, http.StatusOK)
			if len(last.Items()) != 1 || last.Str("next") != "" {
				t.Errorf("the last page answered %d items and cursor %q", len(last.Items()), last.Str("next"))
			}
		})
	}
}
