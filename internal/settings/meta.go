// Package settings is the settings area of the module (Ärendehantering →
// Inställningar): statuses, priorities, case types and their fields, the
// standard case fields, canned responses, the case-detail menu, mail texts,
// external/portal/conversation settings, task and report templates, and the
// users and groups cases are assigned to. All settings of a tenant live in
// one DynamoDB partition and load in one Query.
package settings

import (
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Meta is what every stored object carries and no client may set.
type Meta struct {
	ID        string         `json:"id,omitempty"`
	Version   int64          `json:"version"`
	CreatedAt timestamp.Time `json:"createdAt"`
	UpdatedAt timestamp.Time `json:"updatedAt"`
	// nameKey is the Swedish collation key of the object's name, stored
	// beside the object (attrNameKey) when the settings function writes
	// it: readers sort by it without linking the collation tables (1.4
	// MiB in every bootstrap that does). "" for an object stored without
	// one (the defaults of a new tenant).
	nameKey string
}

// CurrentVersion returns the version, for the ETag.
func (m *Meta) CurrentVersion() int64 { return m.Version }

func (m *Meta) meta() *Meta { return m }

// object is any stored settings object.
type object interface {
	meta() *Meta
	CurrentVersion() int64
}

// readOnly are the body fields of every object that the server owns.
var readOnly = []string{"id", "createdAt", "updatedAt", "apiId", "tenantId", "tenant"}

// validID reports whether a path or body ID can be an ID at all, before it
// reaches a key.
func validID(id string) bool { return identity.ValidID(id) }
