package settings

import (
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
)

// TestAfterLeavesTheSnapshotAlone: applying a write builds a new snapshot;
// the one the write was planned on keeps its objects, revision and size.
func TestAfterLeavesTheSnapshotAlone(t *testing.T) {
	s := newSnapshot("t")
	s.Revision = 7
	w := newWrites("t")
	w.put(kindCanned, &CannedResponse{Meta: Meta{ID: "c1", Version: 1}, Name: "Tack", Body: "Tack!"}, 0)
	w.nextRevision(s.Revision)

	next, ok := s.after(w)
	if !ok {
		t.Fatal("a put could not be applied")
	}
	if next.Canned["c1"] == nil || next.Revision != 8 || next.Bytes != w.added || next.Bytes == 0 {
		t.Errorf("after the put: canned %v, revision %d, bytes %d (added %d)", next.Canned["c1"], next.Revision, next.Bytes, w.added)
	}
	if len(s.Canned) != 0 || s.Revision != 7 || s.Bytes != 0 || len(s.sizes) != 0 {
		t.Errorf("the planned-on snapshot changed: %d canned, revision %d, bytes %d", len(s.Canned), s.Revision, s.Bytes)
	}

	w = newWrites("t")
	w.remove(kindCanned, "c1", 1)
	w.nextRevision(next.Revision)
	last, ok := next.after(w)
	if !ok || len(last.Canned) != 0 || last.Bytes != 0 || last.Revision != 9 {
		t.Errorf("after the remove: ok %v, %d canned, bytes %d, revision %d", ok, len(last.Canned), last.Bytes, last.Revision)
	}
	if next.Canned["c1"] == nil {
		t.Error("the remove took the object out of the snapshot it was planned on")
	}
}

// TestCacheIsDroppedWhenAWriteCannotBeApplied: a write the snapshot cannot
// take (a singleton removed, an unknown kind, no revision) leaves nothing
// stale in the cache, and the cache never goes back to an older revision.
func TestCacheIsDroppedWhenAWriteCannotBeApplied(t *testing.T) {
	for name, w := range map[string]*writes{
		"singleton removed": func() *writes {
			w := newWrites("t")
			w.remove(kindGeneral, "", 1)
			w.nextRevision(3)
			return w
		}(),
		"unknown kind": func() *writes {
			w := newWrites("t")
			w.put("NEWKIND", &CannedResponse{Meta: Meta{ID: "x", Version: 1}}, 0)
			w.nextRevision(3)
			return w
		}(),
		"no revision": func() *writes {
			w := newWrites("t")
			w.add(dynamo.Check(dynamo.Key("a", "b"), dynamo.Exists(), errStale))
			return w
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			svc := NewService(dynamo.Table{}, time.Now, time.Minute)
			snap := newSnapshot("t")
			snap.Revision = 3
			svc.remember("t", snap)
			svc.committed("t", snap, w)
			if _, cached := svc.cache["t"]; cached {
				t.Error("the snapshot the write was planned on is still cached")
			}
		})
	}

	svc := NewService(dynamo.Table{}, time.Now, time.Minute)
	later, earlier := newSnapshot("t"), newSnapshot("t")
	later.Revision, earlier.Revision = 5, 4
	svc.remember("t", later)
	svc.remember("t", earlier)
	if got := svc.cache["t"].snap; got != later {
		t.Errorf("cached revision %d after remembering 5, then 4", got.Revision)
	}
	svc.forget("t", 4)
	if svc.cache["t"].snap != later {
		t.Error("forgetting revision 4 dropped revision 5")
	}
	svc.forget("t", 5)
	if _, cached := svc.cache["t"]; cached {
		t.Error("forgetting revision 5 left it cached")
	}
}
