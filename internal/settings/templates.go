package settings

import (
	"fmt"
	"regexp"
	"slices"
	"sync"

	"github.com/workcloud/arendehantering/internal/problem"
)

const maxTemplateEntries = 100

// maxTemplateTasks bounds a task template: a case's tasks are created in
// the same transaction as the case, and a transaction holds 100 items.
const maxTemplateTasks = 40

var reportKeyPattern = sync.OnceValue(func() *regexp.Regexp { // compiled when a template is checked, not at every cold start
	return regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
})

// typesLinking names the case types for which linked(t) holds.
func typesLinking(s *Snapshot, linked func(*CaseType) bool) []string {
	var users []string
	for _, t := range s.CaseTypesByName() {
		if linked(t) {
			users = append(users, fmt.Sprintf("case type %q (%s)", t.Name, t.ID))
		}
	}
	return users
}

func taskTemplates() *collection[TaskTemplate, *TaskTemplate] {
	return &collection[TaskTemplate, *TaskTemplate]{
		noun: "task template", kind: kindTaskTemplate, path: "/v1/settings/task-templates",
		items: func(s *Snapshot) map[string]*TaskTemplate { return s.TaskTemplates },
		name:  func(t *TaskTemplate) string { return t.Name },
		check: func(s *Snapshot, id string, v *TaskTemplate, errs *problem.Fields) {
			errs.Text("name", v.Name, 1, maxName)
			checkUniqueName(errs, s.TaskTemplates, id, v.Name, func(o *TaskTemplate) string { return o.Name })
			if v.Tasks == nil {
				v.Tasks = []TaskTemplateTask{}
			}
			if len(v.Tasks) > maxTemplateTasks {
				errs.Add("tasks", "may hold at most %d tasks", maxTemplateTasks)
				return
			}
			for i, t := range v.Tasks {
				errs.Text(fmt.Sprintf("tasks[%d].title", i), t.Title, 1, 200)
				checkDuration(errs, fmt.Sprintf("tasks[%d].dueWithin", i), t.DueWithin, false)
			}
		},
		users: func(s *Snapshot, v *TaskTemplate) []string {
			return typesLinking(s, func(t *CaseType) bool { return t.TaskTemplateID == v.ID })
		},
	}
}

func reportTemplates() *collection[ReportTemplate, *ReportTemplate] {
	return &collection[ReportTemplate, *ReportTemplate]{
		noun: "report template", kind: kindReportTemplate, path: "/v1/settings/report-templates",
		items: func(s *Snapshot) map[string]*ReportTemplate { return s.ReportTemplates },
		name:  func(t *ReportTemplate) string { return t.Name },
		check: func(s *Snapshot, id string, v *ReportTemplate, errs *problem.Fields) {
			errs.Text("name", v.Name, 1, maxName)
			checkUniqueName(errs, s.ReportTemplates, id, v.Name, func(o *ReportTemplate) string { return o.Name })
			if v.Fields == nil {
				v.Fields = []ReportField{}
			}
			if len(v.Fields) > maxTemplateEntries {
				errs.Add("fields", "may hold at most %d fields", maxTemplateEntries)
				return
			}
			for i, f := range v.Fields {
				prefix := fmt.Sprintf("fields[%d].", i)
				if !reportKeyPattern().MatchString(f.Key) {
					errs.Add(prefix+"key", "must be 1-40 lower-case letters, digits or dashes, starting with a letter")
				}
				if slices.ContainsFunc(v.Fields[:i], func(o ReportField) bool { return o.Key == f.Key }) {
					errs.Add(prefix+"key", "key %q is used twice", f.Key)
				}
				errs.Text(prefix+"name", f.Name, 1, maxName)
				checkKindAndOptions(errs, prefix, f.Kind, f.Options)
			}
		},
		users: func(s *Snapshot, v *ReportTemplate) []string {
			return typesLinking(s, func(t *CaseType) bool { return t.ReportTemplateID == v.ID })
		},
	}
}

func cannedResponses() *collection[CannedResponse, *CannedResponse] {
	return &collection[CannedResponse, *CannedResponse]{
		noun: "canned response", kind: kindCanned, path: "/v1/settings/canned-responses",
		items: func(s *Snapshot) map[string]*CannedResponse { return s.Canned },
		name:  func(c *CannedResponse) string { return c.Name },
		check: func(s *Snapshot, id string, v *CannedResponse, errs *problem.Fields) {
			errs.Text("name", v.Name, 1, maxName)
			checkUniqueName(errs, s.Canned, id, v.Name, func(o *CannedResponse) string { return o.Name })
			errs.Text("body", v.Body, 1, maxBody)
		},
	}
}
