package settings

import "testing"

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
