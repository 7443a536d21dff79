package settings

import (
	"crypto/rand"
	"fmt"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

func caseTypes() *collection[CaseType, *CaseType] {
	return &collection[CaseType, *CaseType]{
		noun: "case type", kind: kindCaseType, path: "/v1/settings/case-types",
		caseList: caselist.ByType,
		items:    func(s *Snapshot) map[string]*CaseType { return s.CaseTypes },
		name:     func(t *CaseType) string { return t.Name },
		check:    checkCaseType,
		// The API-ID is public (website forms carry it), so it is random
		// rather than derived from anything guessable, and never changes.
		onCreate: func(v *CaseType) { v.APIID = strings.ToLower(rand.Text()) },
		extraCreate: func(tenant string, v *CaseType) []dynamo.Write {
			guard := apiIDKey(v.APIID)
			guard[dynamo.AttrKind], guard["tenant"], guard["typeId"] = dynamo.S("APIID"), dynamo.S(tenant), dynamo.S(v.ID)
			return []dynamo.Write{dynamo.Put(guard, dynamo.NotExists(), errStale)} // taken: plan again, with another API-ID
		},
		extraDelete: func(tenant string, v *CaseType) []dynamo.Write {
			return []dynamo.Write{dynamo.Delete(apiIDKey(v.APIID), dynamo.Cond{}, nil)}
		},
		users: func(s *Snapshot, v *CaseType) []string {
			users := definitionsUsing(s, func(c *RecurringCaseData) bool { return c.TypeID == v.ID })
			if s.External.TypeID == v.ID {
				users = append(users, "the external-case settings (typeId)")
			}
			return users
		},
	}
}

// apiIDKey is the key of the guard item that makes a case type's API-ID
// unique across tenants and resolves it to its tenant.
func apiIDKey(apiID string) dynamo.Item {
	return dynamo.Key(dynamo.APIIDPK(apiID), dynamo.APIIDPK(apiID))
}

func checkCaseType(s *Snapshot, id string, v *CaseType, errs *problem.Fields) {
	errs.Text("name", v.Name, 1, maxName)
	checkUniqueName(errs, s.CaseTypes, id, v.Name, func(o *CaseType) string { return o.Name })
	if old, ok := s.CaseTypes[id]; ok && v.APIID != old.APIID {
		errs.Add("apiId", "is assigned by the server and never changes")
	}
	if v.SelectableInPortal && !v.VisibleInPortal {
		errs.Add("selectableInPortal", "a type must be visible in the portal to be selectable there")
	}
	s.CheckAssignees(errs, "assignees", &v.Assignees)
	if v.Fields == nil {
		v.Fields = []TypeField{}
	}
	if len(v.Fields) > maxRefs {
		errs.Add("fields", "may hold at most %d fields", maxRefs)
		v.Fields = nil // bounds first: never check entries of an oversized list
	}
	for i := range v.Fields {
		f := &v.Fields[i]
		prefix := fmt.Sprintf("fields[%d].", i)
		checkRef(errs, prefix+"fieldId", f.FieldID, "case-type field", func(id string) bool { _, ok := s.Fields[id]; return ok })
		if f.FieldID == "" {
			errs.Add(prefix+"fieldId", "is required")
		}
		if slices.ContainsFunc(v.Fields[:i], func(o TypeField) bool { return o.FieldID == f.FieldID }) {
			errs.Add(prefix+"fieldId", "the field is placed twice")
		}
		if f.FilledBy == "" {
			f.FilledBy = "staff"
		}
		errs.OneOf(prefix+"filledBy", f.FilledBy, "customer", "staff")
	}
	checkRef(errs, "taskTemplateId", v.TaskTemplateID, "task template", func(id string) bool { _, ok := s.TaskTemplates[id]; return ok })
	checkRef(errs, "reportTemplateId", v.ReportTemplateID, "report template", func(id string) bool { _, ok := s.ReportTemplates[id]; return ok })
	checkDefaultForm(s, v.DefaultForm, errs)
}

// Assignees a case can have at once: each has three list entries of its
// own (all of theirs, theirs by category, their active ones), written in
// every transaction of the case, which holds at most 100 writes. Defaults
// given to cases keep to them too.
const (
	MaxAssignedUsers  = 5
	MaxAssignedGroups = 3
)

// CheckAssignees checks assignees against the settings: within the bounds,
// every user and group exists, none twice. Absent lists become empty ones.
func (s *Snapshot) CheckAssignees(errs *problem.Fields, field string, a *Assignees) {
	if a.Users == nil {
		a.Users = []string{}
	}
	if a.Groups == nil {
		a.Groups = []string{}
	}
	if len(a.Users) > MaxAssignedUsers {
		errs.Add(field+".users", "may hold at most %d users", MaxAssignedUsers)
		return
	}
	if len(a.Groups) > MaxAssignedGroups {
		errs.Add(field+".groups", "may hold at most %d groups", MaxAssignedGroups)
		return
	}
	checkIDs(errs, field+".users", a.Users, "user", func(id string) bool { _, ok := s.Users[id]; return ok })
	checkIDs(errs, field+".groups", a.Groups, "group", func(id string) bool { _, ok := s.Groups[id]; return ok })
}

// CaseTypesByName are the case types in the order of their list: by name,
// as Swedes read (the collation key stored with each), then by ID.
func (s *Snapshot) CaseTypesByName() []*CaseType {
	return sortedValues(s.CaseTypes, caseTypes().compare())
}
