package notifications_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
)

// TestReadAllReachesEveryPage: after "read all", the notifications on
// every page read as read, not only those on the first; one that came
// after is unread on whichever page it is. The first page reads the state
// item with the notifications in one Query; a later page cannot (the
// state sorts after every notification, the page is a range below its
// cursor), so it reads it with one GetItem. (The harness's settings are
// not cached: each request also Queries them.)
func TestReadAllReachesEveryPage(t *testing.T) {
	h := newHarness(t)
	var old []string
	for range 4 {
		old = append([]string{h.notify(t, "agnes", true)}, old...)
	}
	h.Do(&agnes, "POST", "/v1/notifications/read", nil).Must(t, http.StatusNoContent)
	h.clock.Advance(time.Second)
	fresh := h.notify(t, "agnes", true)

	read := map[string]bool{}
	cursor, pages := "", 0
	for {
		path := "/v1/notifications?limit=2"
		want := map[string]int{"Query": 2} // settings, and the inbox with its state
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
			want = map[string]int{"Query": 2, "GetItem": 1} // and the state alone
		}
		pages++
		var res apitest.Response
		h.db.Counter.Expect(t.Errorf, fmt.Sprintf("page %d", pages), want, func() {
			res = h.Do(&agnes, "GET", path, nil).Must(t, http.StatusOK)
		})
		if cursor == "" && res.Num("unread") != 1 {
			t.Errorf("unread %d, want 1 (the one after reading all)", res.Num("unread"))
		}
		for _, n := range res.Items() {
			read[n["id"].(string)] = n["read"] == true
		}
		if cursor = res.Str("next"); cursor == "" {
			break
		}
	}
	if pages != 3 || len(read) != 5 {
		t.Fatalf("%d pages of %d notifications, want 3 of 5", pages, len(read))
	}
	if read[fresh] {
		t.Errorf("the notification after reading all reads as read")
	}
	for i, id := range old {
		if !read[id] {
			t.Errorf("notification %d before reading all (page %d) reads as unread", i+1, (i+1)/2+1)
		}
	}
}
