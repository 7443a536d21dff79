package cases

import (
	"slices"

	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/settings"
)

// A case's list entries: one in every list it is in (caselist), each a
// copy of the case as stored, sorted by creation (the table's sort key),
// by activity (GSI1) and by urgency (GSI2), so that every list in every
// sort is one Query that reads only the entries it answers.
//
// The lists of a case: every case; its number; its status, category and
// priority; the active cases (not closed); its type, contact and order;
// and, for each assigned user and group and for its customer, three: all
// of theirs, theirs in the case's category, and (when it is not closed)
// their active ones. With at most settings.MaxAssignedUsers (5) users and
// settings.MaxAssignedGroups (3) groups that is at most 9 + 3 × (5 + 3 + 1)
// = 36 entries, written in every transaction of the case that changes it
// (TestTransactionBudget: the largest case fits in DynamoDB's 100 writes).

// views names every list the case belongs to.
func views(c *Case) []caselist.List {
	open := c.StatusCategory != settings.CategoryClosed
	v := []caselist.List{caselist.All, caselist.ByNumber(c.Number), caselist.ByStatus(c.StatusID),
		caselist.ByCategory(c.StatusCategory), caselist.ByPriority(c.PriorityID)}
	if open {
		v = append(v, caselist.Active)
	}
	var parted []caselist.List // lists with parts by category
	for _, u := range c.Assignees.Users {
		parted = append(parted, caselist.ByUser(u))
	}
	for _, g := range c.Assignees.Groups {
		parted = append(parted, caselist.ByGroup(g))
	}
	if c.CustomerID != "" {
		parted = append(parted, caselist.ByCustomer(c.CustomerID))
	}
	for _, l := range parted {
		v = append(v, l, l.InCategory(c.StatusCategory))
		if open {
			v = append(v, l.Active())
		}
	}
	for _, ref := range []struct {
		id   string
		list func(string) caselist.List
	}{{c.ContactID, caselist.ByContact}, {c.TypeID, caselist.ByType}, {c.LinkedOrderID, caselist.ByOrder}} {
		if ref.id != "" {
			v = append(v, ref.list(ref.id))
		}
	}
	return v
}

// urgency orders a list by the resolve target: active cases by due time,
// then waiting ones, then closed ones.
func urgency(c *Case) string {
	switch c.StatusCategory {
	case settings.CategoryWaiting:
		return "W" + dynamo.KeyTime(c.ResolveBy.Time)
	case settings.CategoryClosed:
		return "Z" + dynamo.KeyTime(c.ResolveBy.Time)
	default:
		return dynamo.KeyTime(c.ResolveBy.Time)
	}
}

// entryKey is the key of the case's entry in a list.
func entryKey(tenant string, list caselist.List, c *Case) dynamo.Item {
	return dynamo.Key(dynamo.CaseViewPK(tenant, string(list)), dynamo.CaseViewSK(dynamo.KeyTime(c.CreatedAt.Time), c.ID))
}

// viewWrites are the writes that make the case's list entries right after
// a change from before (nil for a new case) to after (nil for a deleted
// one): a put of every entry it has now, a delete of every one it lost.
// They have no conditions: the case's own write guards the change.
func viewWrites(tenant string, before, after *Case) ([]dynamo.Write, error) {
	var out []dynamo.Write
	var keep []caselist.List
	if after != nil {
		keep = views(after)
		entry := stored(after)
		for _, list := range keep {
			pk := dynamo.CaseViewPK(tenant, string(list))
			it, err := item(pk, dynamo.CaseViewSK(dynamo.KeyTime(after.CreatedAt.Time), after.ID), kindView, "case", after.Version, entry)
			if err != nil {
				return nil, err
			}
			it[dynamo.AttrGSI1PK] = dynamo.S(pk)
			it[dynamo.AttrGSI1SK] = dynamo.S(activityKey(after))
			it[attrActivityAt] = dynamo.S(dynamo.KeyTime(activity(after)))
			it[dynamo.AttrGSI2PK] = dynamo.S(pk)
			it[dynamo.AttrGSI2SK] = dynamo.S(urgency(after) + "#" + after.ID)
			out = append(out, dynamo.Put(it, dynamo.Cond{}, nil))
		}
	}
	if before != nil {
		for _, list := range views(before) {
			if !slices.Contains(keep, list) {
				out = append(out, dynamo.Delete(entryKey(tenant, list, before), dynamo.Cond{}, nil))
			}
		}
	}
	return out, nil
}
