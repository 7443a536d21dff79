package settings

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// maxCachedTenants bounds the memory a warm function spends on the cache.
const maxCachedTenants = 1000

// Service reads and changes the settings of tenants. A warm function
// keeps each tenant's snapshot for cacheTTL; its own writes drop it.
type Service struct {
	table    dynamo.Table
	now      func() time.Time
	cacheTTL time.Duration

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
	return &Service{table: table, now: now, cacheTTL: cacheTTL, cache: map[string]cachedSnapshot{}}
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
	snap, err = s.load(ctx, tenant)
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
func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

func (s *Service) remember(tenant string, snap *Snapshot) {
	if s.cacheTTL <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cache) >= maxCachedTenants {
		clear(s.cache)
	}
	s.cache[tenant] = cachedSnapshot{snap: snap, loadedAt: s.now()}
}

func (s *Service) forget(tenant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.cache, tenant)
}

// load reads the tenant's settings partition: one strongly consistent
// Query (more only if the partition outgrows a 1 MB page).
func (s *Service) load(ctx context.Context, tenant string) (*Snapshot, error) {
	snap := newSnapshot(tenant)
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table.Name),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": dynamo.AttrPK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(dynamo.SettingsPK(tenant))},
		ConsistentRead:            aws.Bool(true),
	}
	for {
		out, err := s.table.Client.Query(ctx, in)
		if err != nil {
			return nil, dynamo.Unavailable("query settings", err)
		}
		for _, item := range out.Items {
			if err := snap.addItem(item); err != nil {
				return nil, problem.Wrap(problem.Internal, err, "")
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if snap.Revision > 0 && (snap.General == nil || snap.CaseFields == nil || snap.Menu == nil ||
		snap.External == nil || snap.Portal == nil || snap.Conversations == nil) {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("tenant %s: settings partition lacks a singleton", tenant), "")
	}
	return snap, nil
}

// materialize stores the defaults of a new tenant in one transaction. If
// another request stored them first, theirs are read instead.
func (s *Service) materialize(ctx context.Context, tenant string) (*Snapshot, error) {
	const attempts = 3
	for attempt := range attempts {
		snap := defaults(tenant, s.stamp())
		w := newWrites(tenant)
		for _, o := range []object{snap.General, snap.CaseFields, snap.Menu, snap.External, snap.Portal, snap.Conversations} {
			w.put(kindOf(o), o, -1)
		}
		for _, st := range snap.Statuses {
			w.put(kindStatus, st, -1)
		}
		for _, p := range snap.Priorities {
			w.put(kindPriority, p, -1)
		}
		for _, t := range snap.Texts {
			w.put(kindText, t, -1)
		}
		if w.err != nil {
			return nil, w.err
		}
		w.items = append(w.items, types.TransactWriteItem{Put: &types.Put{
			Item: map[string]types.AttributeValue{
				dynamo.AttrPK: dynamo.S(dynamo.SettingsPK(tenant)), dynamo.AttrSK: dynamo.S(kindRevision),
				dynamo.AttrKind: dynamo.S(kindRevision), "rev": dynamo.N(1),
			},
			ConditionExpression: aws.String("attribute_not_exists(PK)"),
		}})
		w.setTable(s.table.Name)
		_, err := s.table.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: w.items})
		if err == nil {
			snap.Bytes = w.stored
			return snap, nil
		}
		if _, raced := dynamo.ConditionFailed(err); raced {
			return s.load(ctx, tenant) // another request stored them first
		}
		if !dynamo.Conflict(err) {
			return nil, dynamo.Unavailable("store default settings", err)
		}
		// Another request is storing them right now: wait, then use theirs
		// if they committed, or try again if they did not.
		if err := dynamo.Pause(ctx, attempt); err != nil {
			return nil, dynamo.Unavailable("store default settings", err)
		}
		if snap, err := s.load(ctx, tenant); err != nil || snap.Revision > 0 {
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
// snapshot costs one retry, not a wrong answer.
func (s *Service) change(ctx context.Context, tenant string, plan func(snap *Snapshot, w *writes) error) error {
	const attempts = 4
	fresh := false
	for attempt := range attempts {
		snap, cached, err := s.snapshot(ctx, tenant, fresh)
		if err != nil {
			return err
		}
		w := newWrites(tenant)
		if err := plan(snap, w); err != nil {
			if cached {
				// The refusal may come from a stale cache: decide on fresh data.
				fresh = true
				continue
			}
			return err
		}
		if w.err != nil {
			return w.err
		}
		if w.added > 0 && snap.Bytes+w.added > maxSettingsBytes {
			return problem.New(problem.Conflict, "The tenant's settings have reached their size limit (%d KiB); delete what is no longer used first.", maxSettingsBytes>>10)
		}
		w.items = append(w.items, types.TransactWriteItem{Update: &types.Update{
			Key:                       settingsKey(tenant, kindRevision, ""),
			UpdateExpression:          aws.String("SET rev = :next"),
			ConditionExpression:       aws.String("rev = :rev"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":rev": dynamo.N(snap.Revision), ":next": dynamo.N(snap.Revision + 1)},
		}})
		w.setTable(s.table.Name)
		_, err = s.table.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: w.items})
		s.forget(tenant)
		if _, changed := dynamo.ConditionFailed(err); changed {
			fresh = true // someone else changed the settings: plan again on fresh data
			continue
		}
		if dynamo.Conflict(err) {
			// Another write of the tenant's settings was in flight: the
			// revision item serialises them. Pause briefly, then re-plan.
			fresh = true
			if err := dynamo.Pause(ctx, attempt); err != nil {
				return dynamo.Unavailable("write settings", err)
			}
			continue
		}
		if err != nil {
			return dynamo.Unavailable("write settings", err)
		}
		return nil
	}
	return problem.New(problem.Unavailable, "The settings are being changed by someone else; try again.")
}

func settingsKey(tenant, kind, id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		dynamo.AttrPK: dynamo.S(dynamo.SettingsPK(tenant)),
		dynamo.AttrSK: dynamo.S(dynamo.SettingsSK(kind, id)),
	}
}

// writes collects the items of one settings transaction.
type writes struct {
	tenant string
	items  []types.TransactWriteItem
	err    error
	// added is the size of the objects this write creates; stored of all
	// it puts.
	added, stored int
}

func newWrites(tenant string) *writes { return &writes{tenant: tenant} }

// put stores o. prevVersion is the version it replaces (conditioned on), 0
// for a new object (conditioned on absence), -1 for no condition.
func (w *writes) put(kind string, o object, prevVersion int64) {
	data, err := dynamo.Data(o)
	if err != nil {
		w.err = problem.Wrap(problem.Internal, fmt.Errorf("marshal %s: %w", kind, err), "")
		return
	}
	if n := len(data.(*types.AttributeValueMemberS).Value); n > maxObjectBytes {
		w.err = problem.New(problem.TooLarge, "The %s would take %d bytes; at most %d are allowed. Shorten its texts or lists.", strings.ToLower(kind), n, maxObjectBytes)
		return
	} else if prevVersion == 0 {
		w.added += n
	}
	w.stored += len(data.(*types.AttributeValueMemberS).Value)
	item := settingsKey(w.tenant, kind, skID(o))
	item[dynamo.AttrKind] = dynamo.S(kind)
	item[dynamo.AttrVer] = dynamo.N(o.CurrentVersion())
	item[dynamo.AttrData] = data
	p := &types.Put{Item: item}
	switch {
	case prevVersion == 0:
		p.ConditionExpression = aws.String("attribute_not_exists(PK)")
	case prevVersion > 0:
		p.ConditionExpression = aws.String("version = :v")
		p.ExpressionAttributeValues = map[string]types.AttributeValue{":v": dynamo.N(prevVersion)}
	}
	w.items = append(w.items, types.TransactWriteItem{Put: p})
}

// remove deletes the object of kind and id, conditioned on its version.
func (w *writes) remove(kind, id string, version int64) {
	w.items = append(w.items, types.TransactWriteItem{Delete: &types.Delete{
		Key:                       settingsKey(w.tenant, kind, id),
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": dynamo.N(version)},
	}})
}

// raw adds an item outside the settings partition (e.g. an API-ID guard).
func (w *writes) raw(item types.TransactWriteItem) { w.items = append(w.items, item) }

func (w *writes) setTable(name string) {
	for i := range w.items {
		it := &w.items[i]
		switch {
		case it.Put != nil && it.Put.TableName == nil:
			it.Put.TableName = aws.String(name)
		case it.Update != nil && it.Update.TableName == nil:
			it.Update.TableName = aws.String(name)
		case it.Delete != nil && it.Delete.TableName == nil:
			it.Delete.TableName = aws.String(name)
		case it.ConditionCheck != nil && it.ConditionCheck.TableName == nil:
			it.ConditionCheck.TableName = aws.String(name)
		}
	}
}

// skID is the sort-key ID of an object: its ID, or for texts key#locale.
func skID(o object) string {
	if t, ok := o.(*Text); ok {
		return textID(t.Key, t.Locale)
	}
	return o.meta().ID
}

func kindOf(o object) string {
	switch o.(type) {
	case *General:
		return kindGeneral
	case *CaseFields:
		return kindCaseFields
	case *CaseMenu:
		return kindMenu
	case *External:
		return kindExternal
	case *Portal:
		return kindPortal
	case *Conversations:
		return kindConversations
	}
	panic(fmt.Sprintf("kindOf: %T is not a singleton", o))
}

// usedByCase answers 409 when a list of the tenant's cases holds a case.
// (A case made at the same moment may still refer to what is then
// deleted; it then shows it as unknown and asks for a new choice on its
// next change.)
func (s *Service) usedByCase(ctx context.Context, tenant, noun, list string) error {
	ref, err := dynamo.CaseIn(ctx, s.table, tenant, list)
	if err != nil || ref == "" {
		return err
	}
	return problem.New(problem.Conflict, "The %s is still used by %s and maybe others; change those first.", noun, ref)
}
