package settings_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/workcloud/arendehantering/internal/settings"
)

// TestWritesLeaveTheCacheWarm: after a settings write, the instance's
// cache holds the settings as committed, so three writes in a row on a
// warm instance cost one transaction each and no Query, and a read after
// each answers the new state from memory.
func TestWritesLeaveTheCacheWarm(t *testing.T) {
	h := newHarness(t)
	h.Do(&agent, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK)
	c := h.db.Counter
	oneTransaction := map[string]int{"TransactWriteItems": 1}
	fromMemory := map[string]int{}

	var id string
	c.Expect(t.Errorf, "create", oneTransaction, func() {
		id = h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Tack", "body": "Tack!"}).Must(t, http.StatusCreated).Str("id")
	})
	c.Expect(t.Errorf, "read after the create", fromMemory, func() {
		if got := h.Do(&agent, "GET", "/v1/settings/canned-responses/"+id, nil).Must(t, http.StatusOK).Str("body"); got != "Tack!" {
			t.Errorf("body %q after the create", got)
		}
	})

	// A new default status: two objects change in one transaction.
	var status string
	c.Expect(t.Errorf, "create of a new default", oneTransaction, func() {
		status = h.Do(&admin, "POST", "/v1/settings/statuses", map[string]any{"name": "Inkommen", "color": "#123456", "category": "new", "isDefault": true}).Must(t, http.StatusCreated).Str("id")
	})
	c.Expect(t.Errorf, "read after the new default", fromMemory, func() {
		defaults := 0
		for _, s := range h.Do(&agent, "GET", "/v1/settings/statuses", nil).Must(t, http.StatusOK).Items() {
			if s["isDefault"] == true {
				defaults++
				if s["id"] != status {
					t.Errorf("the default is %v, want %s", s["id"], status)
				}
			}
		}
		if defaults != 1 {
			t.Errorf("%d default statuses", defaults)
		}
	})

	c.Expect(t.Errorf, "delete", oneTransaction, func() {
		h.Do(&admin, "DELETE", "/v1/settings/canned-responses/"+id, nil, "If-Match", `"1"`).Must(t, http.StatusNoContent)
	})
	c.Expect(t.Errorf, "read after the delete", fromMemory, func() {
		h.Do(&agent, "GET", "/v1/settings/canned-responses/"+id, nil).MustProblem(t, http.StatusNotFound)
		if n := len(h.Do(&agent, "GET", "/v1/settings/canned-responses", nil).Must(t, http.StatusOK).Items()); n != 0 {
			t.Errorf("%d canned responses after the delete", n)
		}
	})

	// Back to back, with no read to warm the cache in between.
	for v := range 3 {
		c.Expect(t.Errorf, fmt.Sprintf("write %d of three in a row", v+1), oneTransaction, func() {
			h.Do(&admin, "PATCH", "/v1/settings/statuses/"+status, map[string]any{"name": fmt.Sprintf("Inkommen %d", v)}, "If-Match", fmt.Sprintf(`"%d"`, v+1)).Must(t, http.StatusOK)
		})
	}
	c.Expect(t.Errorf, "read after three writes in a row", fromMemory, func() {
		res := h.Do(&agent, "GET", "/v1/settings/statuses/"+status, nil).Must(t, http.StatusOK)
		if res.Str("name") != "Inkommen 2" || res.Version() != 4 {
			t.Errorf("status %q version %d, want \"Inkommen 2\" version 4", res.Str("name"), res.Version())
		}
	})
}

// TestCachedAfterWritesIsWhatALoadReads: after writes of every shape
// (creates with writes outside the partition, a default moved, singleton
// and text replacements, a delete, an import), the snapshot the writing
// instance holds is the one a fresh load reads, its revision and size
// bookkeeping included.
func TestCachedAfterWritesIsWhatALoadReads(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	ids := seedOneOfEach(t, h)
	h.Do(&admin, "PATCH", "/v1/settings/priorities/"+ids["/v1/settings/priorities"], map[string]any{"isDefault": true}, "If-Match", `"1"`).Must(t, http.StatusOK)
	general := h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK).Body
	general["mailFromName"] = "Acme Support"
	h.Do(&admin, "PUT", "/v1/settings/general", general).Must(t, http.StatusOK)
	h.Do(&admin, "PUT", "/v1/settings/texts/case-created", map[string]any{"locale": "sv", "subject": "Ärende {{case.number}}", "body": "Hej!"}, "If-Match", `"1"`).Must(t, http.StatusOK)
	h.Do(&admin, "DELETE", "/v1/settings/canned-responses/"+ids["/v1/settings/canned-responses"], nil, "If-Match", `"1"`).Must(t, http.StatusNoContent)
	if err := h.svc.ImportDirectory(ctx, admin.Tenant, []settings.User{{Meta: settings.Meta{ID: "imported"}, Name: "Ida", Email: "ida@acme.example", Roles: []string{"agent"}}}, nil); err != nil {
		t.Fatal(err)
	}

	c := h.db.Counter
	var cached *settings.Snapshot
	c.Expect(t.Errorf, "read after the writes", map[string]int{}, func() {
		var err error
		if cached, err = h.svc.Snapshot(ctx, admin.Tenant); err != nil {
			t.Fatal(err)
		}
	})
	loaded, err := settings.NewService(h.db.Table, h.clock.Now, 0).Snapshot(ctx, admin.Tenant)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(t, cached), dump(t, loaded); got != want {
		t.Errorf("cached after the writes:\n%s\nloaded:\n%s", got, want)
	}
}

// TestReaderKeepsItsSnapshotThroughWrites: a snapshot a request read
// before a write is shared with the cache; the write builds a new one
// beside it and leaves the one being read as it was.
func TestReaderKeepsItsSnapshotThroughWrites(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	ids := seedOneOfEach(t, h)
	snap, err := h.svc.Snapshot(ctx, admin.Tenant)
	if err != nil {
		t.Fatal(err)
	}
	before := dump(t, snap)

	// The reader walks its snapshot while the writes happen (go test
	// -race reports a write to what it reads).
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				_ = dump(t, snap)
			}
		}
	})
	h.Do(&admin, "POST", "/v1/settings/statuses", map[string]any{"name": "Inkommen", "color": "#123456", "category": "new", "isDefault": true}).Must(t, http.StatusCreated)
	h.Do(&admin, "PATCH", "/v1/settings/statuses/"+ids["/v1/settings/statuses"], map[string]any{"name": "Granskning"}, "If-Match", `"1"`).Must(t, http.StatusOK)
	h.Do(&admin, "DELETE", "/v1/settings/canned-responses/"+ids["/v1/settings/canned-responses"], nil, "If-Match", `"1"`).Must(t, http.StatusNoContent)
	h.Do(&admin, "PUT", "/v1/settings/case-menu", h.Do(&admin, "GET", "/v1/settings/case-menu", nil).Body).Must(t, http.StatusOK)
	close(stop)
	wg.Wait()

	if after := dump(t, snap); after != before {
		t.Errorf("the snapshot read before the writes changed:\nbefore %s\nafter  %s", before, after)
	}
	now, err := h.svc.Snapshot(ctx, admin.Tenant)
	if err != nil {
		t.Fatal(err)
	}
	if now == snap || now.Revision != snap.Revision+4 {
		t.Errorf("revision %d after four writes on revision %d", now.Revision, snap.Revision)
	}
}

// dump is a snapshot as JSON, to compare two.
func dump(t testing.TB, s *settings.Snapshot) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Error(err)
	}
	return string(b)
}
