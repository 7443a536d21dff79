package settings

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
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
	Users           map[string]*User
	Groups          map[string]*Group
	// Texts are keyed "<key>#<locale>".
	Texts map[string]*Text
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
		Users:           map[string]*User{},
		Groups:          map[string]*Group{},
		Texts:           map[string]*Text{},
	}
}

func textID(key, locale string) string { return key + "#" + locale }

// DefaultStatus returns the default status (category new).
func (s *Snapshot) DefaultStatus() *Status {
	for _, st := range sortedValues(s.Statuses, statusOrder) {
		if st.IsDefault {
			return st
		}
	}
	return nil
}

// DefaultPriority returns the default priority.
func (s *Snapshot) DefaultPriority() *Priority {
	for _, p := range sortedValues(s.Priorities, priorityOrder) {
		if p.IsDefault {
			return p
		}
	}
	return nil
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

// addItem puts one stored item into the snapshot.
func (s *Snapshot) addItem(item map[string]types.AttributeValue) error {
	kindAttr, _ := item[dynamo.AttrKind].(*types.AttributeValueMemberS)
	if kindAttr == nil {
		return fmt.Errorf("settings item without kind")
	}
	s.Bytes += dynamo.DataSize(item)
	switch kindAttr.Value {
	case kindRevision:
		s.Revision = dynamo.Int(item, "rev")
		return nil
	case kindGeneral:
		return decodeInto(item, &s.General)
	case kindCaseFields:
		return decodeInto(item, &s.CaseFields)
	case kindMenu:
		return decodeInto(item, &s.Menu)
	case kindExternal:
		return decodeInto(item, &s.External)
	case kindPortal:
		return decodeInto(item, &s.Portal)
	case kindConversations:
		return decodeInto(item, &s.Conversations)
	case kindStatus:
		return decodeToMap(item, s.Statuses)
	case kindPriority:
		return decodeToMap(item, s.Priorities)
	case kindField:
		return decodeToMap(item, s.Fields)
	case kindCaseType:
		return decodeToMap(item, s.CaseTypes)
	case kindCanned:
		return decodeToMap(item, s.Canned)
	case kindTaskTemplate:
		return decodeToMap(item, s.TaskTemplates)
	case kindReportTemplate:
		return decodeToMap(item, s.ReportTemplates)
	case kindUser:
		return decodeToMap(item, s.Users)
	case kindGroup:
		return decodeToMap(item, s.Groups)
	case kindText:
		var t Text
		if err := dynamo.DecodeData(item, &t); err != nil {
			return fmt.Errorf("decode text: %w", err)
		}
		s.Texts[textID(t.Key, t.Locale)] = &t
		return nil
	default:
		// An item of a kind this version does not know (a newer deploy
		// wrote it) is left alone rather than failing every request.
		return nil
	}
}

func decodeInto[T any](item map[string]types.AttributeValue, dst **T) error {
	v := new(T)
	if err := dynamo.DecodeData(item, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	*dst = v
	return nil
}

func decodeToMap[T any, P interface {
	*T
	object
}](item map[string]types.AttributeValue, m map[string]*T) error {
	v := new(T)
	if err := dynamo.DecodeData(item, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	m[P(v).meta().ID] = v
	return nil
}
