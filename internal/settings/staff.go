package settings

import (
	"fmt"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/problem"
)

func usersResource() *collection[User, *User] {
	return &collection[User, *User]{
		noun: "user", kind: kindUser, path: "/v1/users", caseList: caselist.ByUser,
		items: func(s *Snapshot) map[string]*User { return s.Users },
		name:  func(u *User) string { return u.Name },
		check: checkUser,
		users: func(s *Snapshot, v *User) []string {
			users := typesLinking(s, func(t *CaseType) bool { return slices.Contains(t.Assignees.Users, v.ID) })
			for _, g := range sortedValues(s.Groups, groupsResource().compare()) {
				if slices.Contains(g.Members, v.ID) {
					users = append(users, fmt.Sprintf("group %q (%s)", g.Name, g.ID))
				}
			}
			if slices.Contains(s.External.Assignees.Users, v.ID) {
				users = append(users, "the external-case settings (assignees)")
			}
			return append(users, definitionsUsing(s, func(c *RecurringCaseData) bool { return assigned(c, true, v.ID) })...)
		},
	}
}

// checkUser checks a user: named, a unique e-mail address, at most one
// user per login, and the roles the product knows.
func checkUser(s *Snapshot, id string, v *User, errs *problem.Fields) {
	errs.Text("name", v.Name, 1, maxName)
	errs.Line("name", v.Name)
	errs.Email("email", v.Email, true)
	for otherID, o := range s.Users {
		if otherID != id && strings.EqualFold(o.Email, v.Email) {
			errs.Add("email", "is already used by user %s", otherID)
		}
	}
	checkSubject(s, id, v.Subject, errs)
	errs.Text("phone", v.Phone, 0, maxPhone)
	errs.Line("phone", v.Phone)
	checkRoles(v.Roles, errs)
}

// checkSubject checks the login a user is linked to, if any: a subject no
// other user has.
func checkSubject(s *Snapshot, id, subject string, errs *problem.Fields) {
	if subject == "" {
		return
	}
	if !validID(subject) {
		errs.Add("subject", "must be the login's subject: 1-64 letters, digits, - or _")
	}
	for otherID, o := range s.Users {
		if otherID != id && o.Subject == subject {
			errs.Add("subject", "is already linked to user %s", otherID)
		}
	}
}

// checkRoles checks a user's roles: admin, agent or both, none twice.
func checkRoles(roles []string, errs *problem.Fields) {
	switch {
	case len(roles) == 0:
		errs.Add("roles", "a user needs at least one role: admin or agent")
	case len(roles) > 2:
		errs.Add("roles", "may hold at most admin and agent")
		return
	}
	for i, r := range roles {
		errs.OneOf(fmt.Sprintf("roles[%d]", i), r, "admin", "agent")
		if slices.Contains(roles[:i], r) {
			errs.Add(fmt.Sprintf("roles[%d]", i), "is listed twice")
		}
	}
}

func groupsResource() *collection[Group, *Group] {
	return &collection[Group, *Group]{
		noun: "group", kind: kindGroup, path: "/v1/groups", caseList: caselist.ByGroup,
		items: func(s *Snapshot) map[string]*Group { return s.Groups },
		name:  func(g *Group) string { return g.Name },
		check: func(s *Snapshot, id string, v *Group, errs *problem.Fields) {
			errs.Text("name", v.Name, 1, maxName)
			checkUniqueName(errs, s.Groups, id, v.Name, func(o *Group) string { return o.Name })
			if v.Members == nil {
				v.Members = []string{}
			}
			checkIDs(errs, "members", v.Members, "user", func(id string) bool { _, ok := s.Users[id]; return ok })
		},
		users: func(s *Snapshot, v *Group) []string {
			users := typesLinking(s, func(t *CaseType) bool { return slices.Contains(t.Assignees.Groups, v.ID) })
			if slices.Contains(s.External.Assignees.Groups, v.ID) {
				users = append(users, "the external-case settings (assignees)")
			}
			return append(users, definitionsUsing(s, func(c *RecurringCaseData) bool { return assigned(c, false, v.ID) })...)
		},
	}
}

// UserBySubject returns the user linked to a login's subject (the
// principal's User), or NotFound.
func (s *Snapshot) UserBySubject(subject string) (*User, error) {
	for _, u := range s.Users {
		if u.Subject == subject {
			return u, nil
		}
	}
	return nil, problem.New(problem.NotFound, "No user of this tenant is linked to your login.")
}
