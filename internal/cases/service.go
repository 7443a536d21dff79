package cases

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Settings gives a tenant's settings (statuses, priorities, types, users).
type Settings interface {
	Snapshot(ctx context.Context, tenant string) (*settings.Snapshot, error)
}

// Directory builds the checks and changes of customers and orders that a
// case's transaction includes, so that no extra read is needed.
type Directory interface {
	CheckContact(tenant, customerID, contactID string) types.TransactWriteItem
	CheckOrder(tenant, orderID string) types.TransactWriteItem
	CompleteOrder(tenant, orderID string, now time.Time) types.TransactWriteItem
}

// Service works the cases of tenants.
type Service struct {
	table     dynamo.Table
	settings  Settings
	directory Directory
	now       func() time.Time
}

// NewService returns the cases service over the table.
func NewService(table dynamo.Table, st Settings, dir Directory, now func() time.Time) *Service {
	return &Service{table: table, settings: st, directory: dir, now: now}
}

// stamp is the time written into objects: UTC, milliseconds.
func (s *Service) stamp() time.Time { return dynamo.Stamp(s.now()) }

// Bounds of what a case holds.
const (
	maxTitle       = 200
	maxDescription = 20000
	maxFieldText   = 1000
	maxObjectBytes = 64 << 10
	maxTaskTitle   = 200
	maxNote        = 2000
)

func validID(id string) bool { return identity.ValidID(id) }
