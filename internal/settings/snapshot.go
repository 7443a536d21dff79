package settings

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// The kinds of settings item, which are also their sort-key prefixes.
const (
	kindRevision       = "REVISION"
	kindGeneral        = "GENERAL"
	kindCaseFields     = "CASEFIELDS"
	kindMenu           = "MENU"
	kindExternal       = "EXTERNAL"
	kindPortal         = "PORTAL"
	kindConversations  = "CONVERSATIONS"
	kindStatus         = "STATUS"
	kindPriority       = "PRIORITY"
	kindField          = "FIELD"
	kindCaseType       = "CASETYPE"
	kindCanned         = "CANNED"
	kindTaskTemplate   = "TASKTEMPLATE"
	kindReportTemplate = "REPORTTEMPLATE"
	kindForm           = "FORM"
	kindUser           = "USER"
	kindGroup          = "GROUP"
	kindText           = "TEXT"
)

// Snapshot is every setting of one tenant at one revision. It is shared
// between requests through the cache: never modify one; build new objects.
type Snapshot struct {
	Tenant   string
	Revision int64
	// Bytes is the size of the stored objects, held under maxSettingsBytes
	// so that the partition loads in one or two Query pages.
	Bytes int

	General       *General
	CaseFields    *CaseFields
	Menu          *CaseMenu
	External      *External
	Portal        *Portal
	Conversations *Conversations

	Statuses        map[string]*Status
	Priorities      map[string]*Priority
	Fields          map[string]*Field
	CaseTypes       map[string]*CaseType
	Canned          map[string]*CannedResponse
	TaskTemplates   map[string]*TaskTemplate
	ReportTemplates map[string]*ReportTemplate
	Forms           map[string]*Form
	Users           map[string]*User
	Groups          map[string]*Group
	// Texts are keyed "<key>#<locale>".
	Texts map[string]*Text
	// RecurringCases are the definitions of recurring cases.
	RecurringCases map[string]*RecurringCase

	// sizes is the share of Bytes of each stored object, by sort key, so
	// that a write can be applied to the snapshot (see after).
	sizes map[string]int
}

func newSnapshot(tenant string) *Snapshot {
	return &Snapshot{
		Tenant:          tenant,
		Statuses:        map[string]*Status{},
		Priorities:      map[string]*Priority{},
		Fields:          map[string]*Field{},
		CaseTypes:       map[string]*CaseType{},
		Canned:          map[string]*CannedResponse{},
		TaskTemplates:   map[string]*TaskTemplate{},
		ReportTemplates: map[string]*ReportTemplate{},
		Forms:           map[string]*Form{},
		Users:           map[string]*User{},
		Groups:          map[string]*Group{},
		Texts:           map[string]*Text{},
		RecurringCases:  map[string]*RecurringCase{},
		sizes:           map[string]int{},
	}
}

func textID(key, locale string) string { return key + "#" + locale }

// DefaultStatus returns the default status (category new).
func (s *Snapshot) DefaultStatus() *Status {
	return theDefault(s.Statuses, func(st *Status) bool { return st.IsDefault })
}

// DefaultPriority returns the default priority.
func (s *Snapshot) DefaultPriority() *Priority {
	return theDefault(s.Priorities, func(p *Priority) bool { return p.IsDefault })
}

// theDefault is the object marked default, nil if none. The rules keep one
// (making another the default unmarks the former in the same write); were
// two ever stored, the lowest ID wins, so every reader picks the same.
// It needs no order by name, which would link the collation tables into
// every function that reads settings.
func theDefault[T any](m map[string]*T, isDefault func(*T) bool) *T {
	var out *T
	lowest := ""
	for id, v := range m {
		if isDefault(v) && (out == nil || id < lowest) {
			out, lowest = v, id
		}
	}
	return out
}

// MenuItemEnabled reports whether the case-detail menu item key is enabled.
func (s *Snapshot) MenuItemEnabled(key string) bool {
	for _, it := range s.Menu.Items {
		if it.Key == key {
			return it.Enabled
		}
	}
	return false
}

func sortedValues[T any](m map[string]*T, cmp func(a, b *T) int) []*T {
	return slices.SortedFunc(maps.Values(m), cmp)
}

// addItem puts one stored item into the snapshot: the revision, or an
// object of the resource of its kind.
func (s *Snapshot) addItem(item dynamo.Item, byKind map[string]resource) error {
	kind := dynamo.KindOf(item)
	if n := dynamo.DataSize(item); n > 0 {
		s.Bytes += n
		s.sizes[sortKey(item)] = n
	}
	r, known := byKind[kind]
	switch {
	case kind == kindRevision:
		s.Revision = dynamo.Int(item, attrRev)
		return nil
	case kind == "":
		return errors.New("settings item without kind")
	case !known:
		// An item of a kind this version does not know (a newer deploy
		// wrote it) is left alone rather than failing every request.
		return nil
	}
	return r.decode(s, item)
}

// byKind indexes resources by the kind of their items.
func byKind(rs []resource) map[string]resource {
	m := make(map[string]resource, len(rs))
	for _, r := range rs {
		m[r.storedKind()] = r
	}
	return m
}

// Reader is what other areas read of the settings: a tenant's snapshot.
// *Service serves it.
type Reader interface {
	Snapshot(ctx context.Context, tenant string) (*Snapshot, error)
}

var _ Reader = (*Service)(nil)

// SnapshotBeside starts reading the tenant's snapshot and answers a wait
// for it: a path that needs the settings and another read makes both at
// once, so a cold instance (which holds no snapshot) waits one round
// trip, not two.
func SnapshotBeside(ctx context.Context, r Reader, tenant string) func() (*Snapshot, error) {
	type read struct {
		snap *Snapshot
		err  error
	}
	ch := make(chan read, 1)
	go func() {
		snap, err := r.Snapshot(ctx, tenant)
		ch <- read{snap, err}
	}()
	return func() (*Snapshot, error) {
		got := <-ch
		return got.snap, got.err
	}
}

// errCustomersShutOut answers the routes customers use (the portal) while
// the tenant lets its customers reach their cases by no means.
var errCustomersShutOut = problem.New(problem.Forbidden, "The customer portal is turned off: this company does not let customers reach their cases (general setting customerAccess is none).")

// PortalOpen answers 403 while the general setting customerAccess is
// none, and nil while customers may reach their cases (portal or link).
func (s *Snapshot) PortalOpen() error {
	if s.General != nil && s.General.CustomerAccess == "none" {
		return errCustomersShutOut
	}
	return nil
}
