package settings

import (
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/problem"
)

func priorities() *collection[Priority, *Priority] {
	return &collection[Priority, *Priority]{
		noun: "priority", kind: kindPriority, path: "/v1/settings/priorities",
		caseList: caselist.ByPriority,
		items:    func(s *Snapshot) map[string]*Priority { return s.Priorities },
		name:     func(p *Priority) string { return p.Name },
		position: func(p *Priority) *int { return &p.Order },
		check:    checkPriority,
		related: func(s *Snapshot, v *Priority) []*Priority {
			return formerDefaults(s.Priorities, v.ID, v.IsDefault, func(o *Priority) *bool { return &o.IsDefault })
		},
		blockDelete: func(s *Snapshot, v *Priority) error {
			if v.IsDefault {
				return problem.New(problem.Conflict, "Priority %q is the default priority; make another priority the default first.", v.Name)
			}
			return nil
		},
		users: func(s *Snapshot, v *Priority) []string {
			users := definitionsUsing(s, func(c *RecurringCaseData) bool { return c.PriorityID == v.ID })
			if s.External.PriorityID == v.ID {
				users = append(users, "the external-case settings (priorityId)")
			}
			if s.Portal.PriorityID == v.ID {
				users = append(users, "the portal settings (priorityId)")
			}
			return users
		},
	}
}

func checkPriority(s *Snapshot, id string, v *Priority, errs *problem.Fields) {
	errs.Text("name", v.Name, 1, maxName)
	checkUniqueName(errs, s.Priorities, id, v.Name, func(o *Priority) string { return o.Name })
	checkColor(errs, "color", v.Color)
	checkOrder(errs, "order", v.Order)
	start, okStart := checkDuration(errs, "startWithin", v.StartWithin, true)
	resolve, okResolve := checkDuration(errs, "resolveWithin", v.ResolveWithin, true)
	if okStart && okResolve && start > resolve {
		errs.Add("startWithin", "may not be longer than resolveWithin (%s)", v.ResolveWithin)
	}
	if old, exists := s.Priorities[id]; exists && old.IsDefault && !v.IsDefault {
		errs.Add("isDefault", "exactly one priority is the default; make another priority the default instead")
	}
}
