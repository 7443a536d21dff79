package apikeys

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Service keeps the tenants' API keys and checks the keys requests
// present. Its methods take a context and plain values; routes.go reads
// requests and writes answers, store.go holds every read and write.
type Service struct {
	store    store
	settings settings.Reader
	now      func() time.Time
}

// NewService returns the API key service over the table.
func NewService(table dynamo.Table, st settings.Reader, now func() time.Time) *Service {
	return &Service{store: store{table: table}, settings: st, now: now}
}

// List answers the tenant's keys, oldest first: one Query.
func (s *Service) List(ctx context.Context, tenant string) ([]*Key, error) {
	return s.store.list(ctx, tenant)
}

// Get answers the tenant's key with the ID: one GetItem.
func (s *Service) Get(ctx context.Context, tenant, id string) (*Key, error) {
	if !identity.ValidID(id) {
		return nil, errNotFound
	}
	it, err := s.store.item(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, errNotFound
	}
	return decodeKey(it)
}

// Create makes a new key for the tenant, as p: its secret is in the
// answer and nowhere else. A tenant has at most maxKeys (a Query counts
// them first).
func (s *Service) Create(ctx context.Context, p identity.Principal, in input) (*Created, error) {
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	limit, err := in.check(snap)
	if err != nil {
		return nil, err
	}
	keys, err := s.store.list(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	if len(keys) >= maxKeys {
		return nil, problem.New(problem.Conflict, "A company has at most %d API keys; delete one you no longer use first.", maxKeys)
	}
	now := timestamp.New(s.now())
	k := &Key{ID: dynamo.NewID(now.Time), Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: p.User,
		Name: in.Name, Origins: in.Origins, CaseTypes: in.CaseTypes, RateLimitPerMinute: limit}
	if u, err := snap.UserBySubject(p.User); err == nil {
		k.CreatedBy = u.ID
	}
	secret, prefix := newSecret(p.Tenant, k.ID)
	k.Prefix = prefix
	if err := s.store.create(ctx, p.Tenant, k, hashOf(secret)); err != nil {
		return nil, err
	}
	return &Created{Key: k, Secret: secret}, nil
}

// Delete removes the tenant's key, based on version (or any, for
// httpapi.AnyVersion): from then on it authenticates nothing.
func (s *Service) Delete(ctx context.Context, tenant, id string, version int64) error {
	for range 3 {
		k, err := s.Get(ctx, tenant, id)
		if err != nil {
			return err
		}
		if err := httpapi.CheckVersion("API key", k, version, nil); err != nil {
			return err
		}
		if err := s.store.remove(ctx, tenant, k); !errors.Is(err, errKeyChanged) {
			return err
		}
	}
	return problem.New(problem.Unavailable, "The API key is being changed by someone else; try again.")
}

// OriginAllowed reports whether any key allows the browser origin (for a
// CORS preflight, which names no key): one GetItem.
func (s *Service) OriginAllowed(ctx context.Context, origin string) (bool, error) {
	o, ok := NormalOrigin(origin)
	if !ok {
		return false, nil
	}
	return s.store.originAllowed(ctx, o)
}

// Grant is what a checked key allows.
type Grant struct {
	Tenant string
	Key    *Key
	p      Presented
	// minute and count are the key's count as read (its minute and the
	// requests counted in it).
	minute, count int64
}

// AllowsOrigin reports whether the key may be used from the browser
// origin (an Origin header's value).
func (g *Grant) AllowsOrigin(origin string) bool {
	o, ok := NormalOrigin(origin)
	return ok && slices.Contains(g.Key.Origins, o)
}

// AllowsType reports whether the key may create cases of the case type
// with the API-ID.
func (g *Grant) AllowsType(apiID string) bool {
	return len(g.Key.CaseTypes) == 0 || slices.Contains(g.Key.CaseTypes, apiID)
}

// By is who a case the key creates is registered by.
func (g *Grant) By() string { return "api-key:" + g.Key.ID }

// ItemKey is the key of the presented key's item, for a caller that reads
// it with other items in one BatchGetItem (then Verify).
func ItemKey(p Presented) dynamo.Item { return keyOf(p.Tenant, p.ID) }

// grant checks the presented key against its item as read (nil: none):
// 401 unless it is the key's, 429 when it has reached its limit this
// minute (at now).
func grant(p Presented, it dynamo.Item, now time.Time) (*Grant, error) {
	g, err := granted(p, it)
	if err != nil {
		return nil, err
	}
	if g.minute >= minuteOf(now) && g.count >= int64(g.Key.RateLimitPerMinute) {
		return nil, tooMany(g.Key, now)
	}
	return g, nil
}

// granted is the grant of the presented key's item (nil: none): 401
// unless it is the key's.
func granted(p Presented, it dynamo.Item) (*Grant, error) {
	hash, _ := it[attrHash].(*types.AttributeValueMemberS)
	if it == nil || hash == nil || !p.matches(hash.Value) {
		return nil, errInvalidKey
	}
	k, err := decodeKey(it)
	if err != nil {
		return nil, err
	}
	return &Grant{Tenant: p.Tenant, Key: k, p: p, minute: dynamo.Int(it, attrRateMinute), count: dynamo.Int(it, attrRateCount)}, nil
}

// tooMany is the answer over the key's limit: 429, retry at the next
// minute.
func tooMany(k *Key, now time.Time) error {
	return &problem.Error{Code: problem.TooManyRequests, RetryAfter: time.Duration(60-now.Unix()%60) * time.Second,
		Detail: fmt.Sprintf("This API key takes at most %d requests a minute; try again in the next minute.", k.RateLimitPerMinute)}
}

// Verify checks the presented key against its item as the caller read it
// (nil: none), without I/O: 401 unless it is the key's, 429 when it has
// reached its limit this minute. The request is counted by CountWrite in
// the caller's transaction, or by Count.
func (s *Service) Verify(p Presented, it dynamo.Item) (*Grant, error) {
	return grant(p, it, s.now())
}

// CountWrite is the count of a request of the key g was read for, for the
// transaction the request makes (a case's): it holds while the key is
// there and within its limit (ErrKeyRefused otherwise; Refused says why),
// and sets when it was last used.
func (s *Service) CountWrite(g *Grant) dynamo.Write {
	now := s.now()
	u, c := countUpdate(g.p, now, g.minute < minuteOf(now))
	return dynamo.Change(u, c, ErrKeyRefused)
}

// Refused answers why a CountWrite refused its transaction, reading the
// key again: 401 when it is gone, 429 when over its limit, nil when it
// only counted another minute meanwhile (the transaction may be made
// again, read anew).
func (s *Service) Refused(ctx context.Context, p Presented) error {
	it, err := s.store.item(ctx, p.Tenant, p.ID)
	if err != nil {
		return err
	}
	_, err = grant(p, it, s.now())
	return err
}

// Count checks the presented key and counts the request, for a request
// that writes nothing else: one conditional UpdateItem in the key's
// current minute; the first request of a minute makes a second, which
// starts the minute. 401 unless the key is there, 429 over its limit.
func (s *Service) Count(ctx context.Context, p Presented) (*Grant, error) {
	now := s.now()
	newMinute := false
	for range 3 {
		it, refused, err := s.store.countOnce(ctx, p, now, newMinute)
		if err != nil {
			return nil, err
		}
		if !refused {
			return granted(p, it)
		}
		g, err := grant(p, it, now)
		if err != nil {
			return nil, err
		}
		// Refused, but the key is there and within its limit: it last
		// counted an earlier minute (or another request just started
		// this one).
		newMinute = g.minute < minuteOf(now)
	}
	return nil, problem.New(problem.Unavailable, "The API key is busy; try again.")
}
