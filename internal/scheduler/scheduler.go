// Package scheduler is the adapter to EventBridge Scheduler: one-time
// schedules (at() expressions) that invoke the recurring function with a
// trigger as input, and delete themselves once they have fired.
// eventbridge.Scheduler (the subpackage, which only the recurring function
// imports) is the implementation over aws-sdk-go-v2/service/scheduler; Local runs the
// same triggers in the process of the local stack, at their time on the
// stack's clock, and lists them for its development routes.
//
// Names are deterministic (Name), so that creating a schedule twice makes
// one, and deleting needs no lookup: a caller that knows the occurrence
// knows the name.
package scheduler

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"
)

// Schedule is a one-time schedule.
type Schedule struct {
	// Name is unique within the schedule group (see Name).
	Name string
	// Expression is "at(yyyy-mm-ddThh:mm:ss)" in Zone (an IANA zone).
	Expression string
	Zone       string
	// Time is the instant Expression names (what Local fires by).
	Time time.Time
	// Input is the JSON the target receives.
	Input []byte
}

// Scheduler creates and deletes one-time schedules.
type Scheduler interface {
	// Create makes the schedule; one of the same name that exists
	// already counts as made (names say what a schedule is for).
	Create(ctx context.Context, s Schedule) error
	// Delete removes the schedule of the name; none counts as removed.
	Delete(ctx context.Context, name string) error
}

// maxName is EventBridge Scheduler's limit of a schedule's name.
const maxName = 64

var tenantTag = base32.StdEncoding.WithPadding(base32.NoPadding)

// Name is the deterministic name of a schedule: its purpose (a short
// word), a tag of the tenant (8 characters of its SHA-256: tenants'
// names stay out of the account's console, and two tenants' objects never
// share a name), the ID of the object and what of it the schedule is for
// (an occurrence, a target). Characters a name may not have become "-".
func Name(purpose, tenant, id, what string) string {
	sum := sha256.Sum256([]byte(tenant))
	tag := strings.ToLower(tenantTag.EncodeToString(sum[:])[:8])
	name := purpose + "-" + tag + "-" + id + "-" + what
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, name)
	if len(name) > maxName {
		name = name[:maxName]
	}
	return name
}
