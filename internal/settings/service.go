package settings

import (
	"context"
	"errors"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"sync"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// maxCachedTenants bounds the memory a warm function spends on the cache.
const maxCachedTenants = 1000

// Service reads and changes the settings of tenants. A warm function
// keeps each tenant's snapshot for cacheTTL; its own writes replace it
// with the settings as they committed them.
type Service struct {
	store    store
	now      func() time.Time
	cacheTTL time.Duration
	// caseRules check the case data of recurring-case definitions.
	caseRules CaseRules

	mu    sync.Mutex
	cache map[string]cachedSnapshot
}

type cachedSnapshot struct {
	snap     *Snapshot
	loadedAt time.Time
}

// NewService returns a settings service over the table. now is the clock;
// cacheTTL how long a loaded snapshot may be served (0 disables the cache).
func NewService(table dynamo.Table, now func() time.Time, cacheTTL time.Duration) *Service {
	return &Service{store: store{table: table}, now: now, cacheTTL: cacheTTL, cache: map[string]cachedSnapshot{}}
}

// Snapshot returns all settings of tenant: from the cache when it is fresh,
// else with one Query. A tenant without settings gets the defaults, stored
// on first use so their IDs and versions are stable.
func (s *Service) Snapshot(ctx context.Context, tenant string) (*Snapshot, error) {
	snap, _, err := s.snapshot(ctx, tenant, false)
	return snap, err
}

func (s *Service) snapshot(ctx context.Context, tenant string, fresh bool) (snap *Snapshot, cached bool, err error) {
	if !fresh && s.cacheTTL > 0 {
		s.mu.Lock()
		c, ok := s.cache[tenant]
		s.mu.Unlock()
		if ok && s.now().Sub(c.loadedAt) < s.cacheTTL {
			return c.snap, true, nil
		}
	}
	snap, err = s.store.load(ctx, tenant)
	if err != nil {
		return nil, false, err
	}
	if snap.Revision == 0 {
		if snap, err = s.materialize(ctx, tenant); err != nil {
			return nil, false, err
		}
	}
	s.remember(tenant, snap)
	return snap, false, nil
}

// stamp is the time written into createdAt/updatedAt: UTC, milliseconds.
func (s *Service) stamp() timestamp.Time { return timestamp.New(s.now()) }

// remember caches snap, read or made just now, unless the cache holds
// the tenant's settings at a later revision (a write of this instance
// committed after snap was read): the cache never goes back. A revision
// is one state of the settings, as every write moves it on.
func (s *Service) remember(tenant string, snap *Snapshot) {
	if s.cacheTTL <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[tenant]; ok && c.snap.Revision > snap.Revision {
		return
	}
	if len(s.cache) >= maxCachedTenants {
		clear(s.cache)
	}
	s.cache[tenant] = cachedSnapshot{snap: snap, loadedAt: s.now()}
}

// forget drops the cached settings of tenant if they are at revision rev
// or before: a write planned on rev committed, or may have.
func (s *Service) forget(tenant string, rev int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[tenant]; ok && c.snap.Revision <= rev {
		delete(s.cache, tenant)
	}
}

// committed leaves in the cache the settings as w, planned on snap, has
// made them, without reading them again; or, if w cannot be applied to
// snap, drops what w made stale.
func (s *Service) committed(tenant string, snap *Snapshot, w *writes) {
	if s.cacheTTL <= 0 {
		return
	}
	if next, ok := snap.after(w); ok {
		s.remember(tenant, next)
		return
	}
	s.forget(tenant, snap.Revision)
}

// materialize stores the defaults of a new tenant in one transaction. If
// another request stored them first, theirs are read instead.
func (s *Service) materialize(ctx context.Context, tenant string) (*Snapshot, error) {
	const attempts = 3
	for attempt := range attempts {
		snap, err := defaults(tenant, s.stamp())
		if err != nil {
			return nil, problem.Wrap(problem.Internal, err, "")
		}
		w := newWrites(tenant)
		for _, r := range resources() {
			r.storeAll(snap, w)
		}
		if w.err != nil {
			return nil, w.err
		}
		w.firstRevision()
		err = s.store.commit(ctx, "store default settings", w)
		if err == nil {
			if stored, ok := newSnapshot(tenant).after(w); ok {
				return stored, nil
			}
			return s.store.load(ctx, tenant)
		}
		if errors.Is(err, errStale) {
			return s.store.load(ctx, tenant) // another request stored them first
		}
		if !dynamo.Conflict(err) {
			return nil, err
		}
		// Another request is storing them right now: wait, then use theirs
		// if they committed, or try again if they did not.
		if err := dynamo.Pause(ctx, attempt); err != nil {
			return nil, dynamo.Unavailable("store default settings", err)
		}
		if snap, err := s.store.load(ctx, tenant); err != nil || snap.Revision > 0 {
			return snap, err
		}
	}
	return nil, problem.New(problem.Unavailable, "The settings are being set up; try again.")
}

// change runs one settings write: plan computes the writes from a snapshot
// (or answers why not); they are committed in one transaction together
// with a bump of the tenant's settings revision, conditioned on the
// revision plan saw. So every write is validated against the settings as
// they are when it commits, and references cannot dangle. A stale cached
// snapshot costs one re-plan, not a wrong answer; a write that loses to
// other writes of the tenant plans again on fresh settings, after a
// jittered pause, for as long as writeBudget allows. Once committed, the
// snapshot plan ran on plus the writes is the settings at the new
// revision: that is what the cache holds next, so the instance's next
// read or write costs no Query.
func (s *Service) change(ctx context.Context, tenant string, plan func(snap *Snapshot, w *writes) error) error {
	retry := newContention(ctx)
	fresh := false
	for {
		snap, cached, err := s.snapshot(ctx, tenant, fresh)
		if err != nil {
			return err
		}
		w, err := planOn(snap, plan)
		if err != nil {
			if cached {
				// The refusal may come from a stale cache: decide on fresh data.
				fresh = true
				continue
			}
			return err
		}
		err = s.store.commit(ctx, "write settings", w)
		if err == nil {
			s.committed(tenant, snap, w)
			return nil
		}
		s.forget(tenant, snap.Revision)
		if !errors.Is(err, errStale) && !dynamo.Conflict(err) {
			return err
		}
		// Another write of the tenant committed after snap was read (or
		// was in flight with this one): plan again on fresh settings; at
		// once if snap came from the cache, else after a pause.
		fresh = true
		if !cached || !errors.Is(err, errStale) {
			if err := retry.pause(ctx); err != nil {
				return err
			}
		}
	}
}

// planOn runs plan on snap and returns its writes, with the move of the
// revision on from snap's, or why they cannot be made.
func planOn(snap *Snapshot, plan func(snap *Snapshot, w *writes) error) (*writes, error) {
	w := newWrites(snap.Tenant)
	if err := plan(snap, w); err != nil {
		return nil, err
	}
	if w.err != nil {
		return nil, w.err
	}
	if w.added > 0 && snap.Bytes+w.added > maxSettingsBytes {
		return nil, problem.New(problem.Conflict, "The tenant's settings have reached their size limit (%d KiB); delete what is no longer used first.", maxSettingsBytes>>10)
	}
	w.nextRevision(snap.Revision)
	return w, nil
}

// usedByCase answers 409 when a list of the tenant's cases holds a case.
// (A case made at the same moment may still refer to what is then
// deleted; it then shows it as unknown and asks for a new choice on its
// next change.)
func (s *Service) usedByCase(ctx context.Context, tenant, noun string, list caselist.List) error {
	ref, err := caselist.Usage{Table: s.store.table}.UsedBy(ctx, tenant, list)
	if err != nil || ref == "" {
		return err
	}
	return problem.New(problem.Conflict, "The %s is still used by %s and maybe others; change those first.", noun, ref)
}
