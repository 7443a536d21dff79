package cases

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// A case's activity: when anything last happened on it. A change sets it
// (with the case's new version); a task, a time report, a comment (and,
// through Activity, another area's write such as a customer message) set
// it without a new version. It is kept as a native attribute of the case
// item and of every list entry, whose GSI1 sort key it is, so that lists
// sorted by update (sort=updated) move the case to the top.

// attrActivityAt holds the activity time (a key time) on the case item and
// on its list entries.
const attrActivityAt = "activityAt"

// ErrCaseChanged is what the writes of Activity fail with when the case
// changed (or was deleted) after Activity read it: read it again.
var ErrCaseChanged = errCaseChanged

// activity is when anything last happened on the case: its activity
// time, or its last change for a case stored without one.
func activity(c *Case) time.Time {
	if c.ActivityAt != nil && c.ActivityAt.After(c.UpdatedAt.Time) {
		return c.ActivityAt.Time
	}
	return c.UpdatedAt.Time
}

// activityKey is the GSI1 sort key of the case's list entries.
func activityKey(c *Case) string { return dynamo.KeyTime(activity(c)) + "#" + c.ID }

// readActivity sets what an item (the case, or an entry) holds of its
// activity on c.
func readActivity(it dynamo.Item, c *Case) {
	c.ActivityAt = nil
	if t, err := time.Parse(timestamp.Layout, str(it, attrActivityAt)); err == nil {
		c.ActivityAt = timestamp.Ptr(t)
	}
	c.ActivityAt = timestamp.Ptr(activity(c))
}

// touchWrites are the writes of an activity at now on case c, as read:
// its activity time, changed by minutes on its time total, and its
// place in every list sorted by update. The case's write holds only while
// the case is at the version read and not deleted, and each entry's only
// while the entry is there: none creates a stray entry of a case that
// changed meanwhile. They fail with errCaseChanged.
func touchWrites(tenant string, c *Case, now time.Time, minutes int64) []dynamo.Write {
	at := dynamo.S(dynamo.KeyTime(now))
	u := dynamo.Update{Key: caseKey(tenant, c.ID), Set: "SET #at = :at",
		Names: map[string]string{"#at": attrActivityAt}, Values: map[string]types.AttributeValue{":at": at}}
	if minutes != 0 {
		u.Set += " ADD #total :d"
		u.Names["#total"], u.Values[":d"] = attrTimeTotal, dynamo.N(minutes)
	}
	out := []dynamo.Write{dynamo.Change(u, dynamo.VersionIs(c.Version).And(notDeleted), errCaseChanged)}
	touched := *c
	touched.ActivityAt = timestamp.Ptr(now)
	gsi := dynamo.S(activityKey(&touched))
	for _, list := range views(c) {
		out = append(out, dynamo.Change(dynamo.Update{Key: entryKey(tenant, list, c), Set: "SET #g = :g, #at = :at",
			Names:  map[string]string{"#g": dynamo.AttrGSI1SK, "#at": attrActivityAt},
			Values: map[string]types.AttributeValue{":g": gsi, ":at": at}}, dynamo.Exists(), errCaseChanged))
	}
	return out
}

// commitTouching commits writes, an activity at now on case c (as read),
// with its touch (see touchWrites; minutes changes its time total). When
// the case changed meanwhile it is read again and the touch made anew; a
// case deleted meanwhile answers 404.
func (s *Service) commitTouching(ctx context.Context, op, tenant string, c *Case, now time.Time, minutes int64, writes ...dynamo.Write) error {
	const attempts = 3
	for range attempts {
		all := append(touchWrites(tenant, c, now, minutes), writes...)
		if len(all) > dynamo.MaxTxWrites {
			return problem.New(problem.TooLarge, "This would write %d items in one transaction; at most %d are allowed.", len(all), dynamo.MaxTxWrites)
		}
		err := s.commitRetrying(ctx, op, all)
		if !errors.Is(err, errCaseChanged) {
			return err
		}
		if c, err = s.getCase(ctx, tenant, c.ID); err != nil {
			return err
		}
	}
	return problem.New(problem.Unavailable, "The case is being changed by someone else; try again.")
}

// Activity is what another area writes, in the transaction of an activity
// on a case (a customer message), to make it the case's last activity at
// at: the case's activity time and its place in the lists sorted by
// update. It reads the case (one GetItem; 404 when there is none). The
// writes fail with ErrCaseChanged when the case changed before the
// transaction: call Activity again and retry.
func (s *Service) Activity(ctx context.Context, tenant, caseID string, at time.Time) ([]dynamo.Write, error) {
	c, err := s.getCase(ctx, tenant, caseID)
	if err != nil {
		return nil, err
	}
	return touchWrites(tenant, c, timestamp.New(at).Time, 0), nil
}
