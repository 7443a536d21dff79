package settings

import (
	"fmt"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"strings"

	"github.com/workcloud/arendehantering/internal/problem"
)

func statuses() *collection[Status, *Status] {
	return &collection[Status, *Status]{
		noun: "status", kind: kindStatus, path: "/v1/settings/statuses",
		caseList: caselist.ByStatus,
		// A case's lists and SLA bookkeeping follow its status's category:
		// moving a status that cases are in to another category would
		// leave them in the wrong lists.
		changesCases: func(old, v *Status) bool { return old.Category != v.Category },
		items:        func(s *Snapshot) map[string]*Status { return s.Statuses },
		name:         func(s *Status) string { return s.Name },
		position:     func(s *Status) *int { return &s.Order },
		check:        checkStatus,
		related: func(s *Snapshot, v *Status) []*Status {
			return formerDefaults(s.Statuses, v.ID, v.IsDefault, func(o *Status) *bool { return &o.IsDefault })
		},
		blockDelete: func(s *Snapshot, v *Status) error {
			if v.IsDefault {
				return problem.New(problem.Conflict, "Status %q is the default status; make another status the default first.", v.Name)
			}
			if (v.Category == CategoryNew || v.Category == CategoryClosed) && countCategory(s, v.Category, v.ID) == 0 {
				return problem.New(problem.Conflict, "Status %q is the last status of category %q; at least one must remain.", v.Name, v.Category)
			}
			return nil
		},
		users: func(s *Snapshot, v *Status) []string {
			if s.External.StatusID == v.ID {
				return []string{"the external-case settings (statusId)"}
			}
			return nil
		},
	}
}

// countCategory counts the statuses of category other than except.
func countCategory(s *Snapshot, category, except string) int {
	n := 0
	for id, st := range s.Statuses {
		if id != except && st.Category == category {
			n++
		}
	}
	return n
}

func checkStatus(s *Snapshot, id string, v *Status, errs *problem.Fields) {
	errs.Text("name", v.Name, 1, maxName)
	checkUniqueName(errs, s.Statuses, id, v.Name, func(o *Status) string { return o.Name })
	checkColor(errs, "color", v.Color)
	errs.OneOf("category", v.Category, CategoryNew, CategoryOpen, CategoryWaiting, CategoryClosed)
	checkOrder(errs, "order", v.Order)
	if v.IsDefault && v.Category != CategoryNew {
		errs.Add("isDefault", "only a status of category \"new\" can be the default: new cases start in it")
	}
	old, exists := s.Statuses[id]
	if !exists {
		return
	}
	if old.IsDefault && !v.IsDefault {
		errs.Add("isDefault", "exactly one status is the default; make another status the default instead")
	}
	if s.External.StatusID == id && v.Category != CategoryNew && v.Category != CategoryOpen {
		errs.Add("category", "the external-case settings start cases in this status, so it must stay new or open")
	}
	if old.Category != v.Category && (old.Category == CategoryNew || old.Category == CategoryClosed) &&
		countCategory(s, old.Category, id) == 0 {
		errs.Add("category", "this is the last status of category %q; at least one must remain", old.Category)
	}
}

// usedBy is the 409 for deleting something still referenced.
func usedBy(noun, name string, users []string) error {
	return &problem.Error{Code: problem.Conflict,
		Detail: fmt.Sprintf("The %s %q is still used by %s; change those first.", noun, name, strings.Join(users, ", "))}
}

// formerDefaults returns copies, no longer default, of the objects that are
// the default now, when the object id becomes it: exactly one stays the
// default.
func formerDefaults[T any](items map[string]*T, id string, becomesDefault bool, isDefault func(*T) *bool) []*T {
	var out []*T
	if !becomesDefault {
		return nil
	}
	for otherID, o := range items {
		if otherID != id && *isDefault(o) {
			c := *o
			*isDefault(&c) = false
			out = append(out, &c)
		}
	}
	return out
}
