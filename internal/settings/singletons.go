package settings

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/workcloud/arendehantering/internal/problem"
)

func general() *singleton[General, *General] {
	return &singleton[General, *General]{
		noun: "general settings", kind: kindGeneral, path: "/v1/settings/general",
		at: func(s *Snapshot) **General { return &s.General },
		check: func(s *Snapshot, v *General, errs *problem.Fields) {
			errs.OneOf("customerAccess", v.CustomerAccess, "portal", "link", "none")
			errs.Text("mailFromName", v.MailFromName, 0, maxName)
			errs.Line("mailFromName", v.MailFromName)
			errs.Email("mailReplyTo", v.MailReplyTo, false)
			errs.OneOf("locale", v.Locale, locales...)
			if v.TimeZone == "" {
				errs.Add("timeZone", "is required: an IANA time zone such as Europe/Stockholm")
			} else if _, err := time.LoadLocation(v.TimeZone); err != nil || len(v.TimeZone) > 64 || v.TimeZone == "Local" {
				errs.Add("timeZone", "%q is not an IANA time zone such as Europe/Stockholm", v.TimeZone)
			}
		},
	}
}

// maxListedKeys bounds the lists that name each known key once: past it
// the entries are not even looked at.
const maxListedKeys = 50

func caseFields() *singleton[CaseFields, *CaseFields] {
	return &singleton[CaseFields, *CaseFields]{
		noun: "case-field settings", kind: kindCaseFields, path: "/v1/settings/case-fields",
		at: func(s *Snapshot) **CaseFields { return &s.CaseFields },
		prepare: func(v *CaseFields) {
			slices.SortStableFunc(v.Fields, func(a, b CaseField) int {
				return cmp.Compare(slices.Index(standardFieldKeys, a.Key), slices.Index(standardFieldKeys, b.Key))
			})
		},
		check: func(s *Snapshot, v *CaseFields, errs *problem.Fields) {
			if len(v.Fields) > maxListedKeys {
				errs.Add("fields", "lists each of the %d standard fields once", len(standardFieldKeys))
				return
			}
			seen := map[string]bool{}
			for i, f := range v.Fields {
				prefix := fmt.Sprintf("fields[%d].", i)
				switch {
				case !slices.Contains(standardFieldKeys, f.Key):
					errs.Add(prefix+"key", "%q is not a standard case field; they are %v", f.Key, standardFieldKeys)
					continue
				case seen[f.Key]:
					errs.Add(prefix+"key", "%q is listed twice", f.Key)
				}
				seen[f.Key] = true
				if f.Mandatory && !f.Active {
					errs.Add(prefix+"active", "field %q is mandatory, so it must be active", f.Key)
				}
				if f.Key == "title" && (!f.Active || !f.Mandatory) {
					errs.Add(prefix+"mandatory", "the title is always active and mandatory")
				}
			}
			for _, k := range standardFieldKeys {
				if !seen[k] {
					errs.Add("fields", "field %q is missing; list every standard field", k)
				}
			}
		},
	}
}

func caseMenu() *singleton[CaseMenu, *CaseMenu] {
	return &singleton[CaseMenu, *CaseMenu]{
		noun: "case menu", kind: kindMenu, path: "/v1/settings/case-menu",
		at: func(s *Snapshot) **CaseMenu { return &s.Menu },
		check: func(s *Snapshot, v *CaseMenu, errs *problem.Fields) {
			if len(v.Items) > maxListedKeys {
				errs.Add("items", "lists each of the %d menu items once", len(menuKeys))
				return
			}
			seen := map[string]bool{}
			orders := map[int]string{}
			for i, it := range v.Items {
				prefix := fmt.Sprintf("items[%d].", i)
				if !slices.Contains(menuKeys, it.Key) {
					errs.Add(prefix+"key", "%q is not a case menu item; they are %v", it.Key, menuKeys)
					continue
				}
				if seen[it.Key] {
					errs.Add(prefix+"key", "%q is listed twice", it.Key)
				}
				seen[it.Key] = true
				mandatory := slices.Contains(mandatoryMenuKeys, it.Key)
				if it.Mandatory != mandatory {
					errs.Add(prefix+"mandatory", "is fixed for %q (%v)", it.Key, mandatory)
				}
				if mandatory && !it.Enabled {
					errs.Add(prefix+"enabled", "%q is mandatory and cannot be disabled", it.Key)
				}
				errs.Text(prefix+"label", it.Label, 1, maxLabel)
				errs.OneOf(prefix+"placement", it.Placement, "main", "dropdown")
				checkOrder(errs, prefix+"order", it.Order)
				if other, dup := orders[it.Order]; dup {
					errs.Add(prefix+"order", "%d is also the order of %q; orders must differ", it.Order, other)
				}
				orders[it.Order] = it.Key
			}
			for _, k := range menuKeys {
				if !seen[k] {
					errs.Add("items", "item %q is missing; list every menu item", k)
				}
			}
		},
		prepare: func(v *CaseMenu) {
			slices.SortStableFunc(v.Items, func(a, b MenuItem) int { return cmp.Compare(a.Order, b.Order) })
		},
	}
}

func external() *singleton[External, *External] {
	return &singleton[External, *External]{
		noun: "external-case settings", kind: kindExternal, path: "/v1/settings/external",
		at: func(s *Snapshot) **External { return &s.External },
		check: func(s *Snapshot, v *External, errs *problem.Fields) {
			checkRef(errs, "typeId", v.TypeID, "case type", func(id string) bool { _, ok := s.CaseTypes[id]; return ok })
			checkRef(errs, "priorityId", v.PriorityID, "priority", func(id string) bool { _, ok := s.Priorities[id]; return ok })
			checkRef(errs, "statusId", v.StatusID, "status", func(id string) bool { _, ok := s.Statuses[id]; return ok })
			if st, ok := s.Statuses[v.StatusID]; ok && st.Category != CategoryNew && st.Category != CategoryOpen {
				errs.Add("statusId", "cases arriving from outside must start in a new or open status")
			}
			s.CheckAssignees(errs, "assignees", &v.Assignees)
		},
	}
}

func portal() *singleton[Portal, *Portal] {
	return &singleton[Portal, *Portal]{
		noun: "portal settings", kind: kindPortal, path: "/v1/settings/portal",
		at: func(s *Snapshot) **Portal { return &s.Portal },
		check: func(s *Snapshot, v *Portal, errs *problem.Fields) {
			checkRef(errs, "priorityId", v.PriorityID, "priority", func(id string) bool { _, ok := s.Priorities[id]; return ok })
			checkDuration(errs, "deadlineWithin", v.DeadlineWithin, false)
		},
	}
}

func conversations() *singleton[Conversations, *Conversations] {
	return &singleton[Conversations, *Conversations]{
		noun: "conversation settings", kind: kindConversations, path: "/v1/settings/conversations",
		at: func(s *Snapshot) **Conversations { return &s.Conversations },
		check: func(s *Snapshot, v *Conversations, errs *problem.Fields) {
			errs.OneOf("access", v.Access, "link", "portal")
			errs.OneOf("showContact", v.ShowContact, "agent", "company")
			c := v.CompanyContact
			errs.Text("companyContact.name", c.Name, 0, maxName)
			errs.Line("companyContact.name", c.Name)
			errs.Email("companyContact.email", c.Email, v.ShowContact == "company")
			errs.Text("companyContact.phone", c.Phone, 0, maxPhone)
			errs.Line("companyContact.phone", c.Phone)
			if v.ShowContact == "company" && c.Name == "" {
				errs.Add("companyContact.name", "is required when showContact is \"company\"")
			}
			checkDuration(errs, "linkValidFor", v.LinkValidFor, true)
		},
	}
}
