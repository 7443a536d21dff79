package settings

import (
	"fmt"
	"slices"
	"strings"

	"github.com/workcloud/arendehantering/internal/problem"
)

func fields() *collection[Field, *Field] {
	return &collection[Field, *Field]{
		noun: "case-type field", kind: kindField, path: "/v1/settings/case-type-fields",
		items: func(s *Snapshot) map[string]*Field { return s.Fields },
		name:  func(f *Field) string { return f.Name },
		check: func(s *Snapshot, id string, v *Field, errs *problem.Fields) {
			errs.Text("name", v.Name, 1, maxName)
			checkUniqueName(errs, s.Fields, id, v.Name, func(o *Field) string { return o.Name })
			checkKindAndOptions(errs, "", v.Kind, v.Options)
		},
		users: func(s *Snapshot, v *Field) []string {
			users := typesLinking(s, func(t *CaseType) bool {
				return slices.ContainsFunc(t.Fields, func(f TypeField) bool { return f.FieldID == v.ID })
			})
			return append(users, definitionsUsing(s, func(c *RecurringCaseData) bool { _, ok := c.Fields[v.ID]; return ok })...)
		},
	}
}

// checkKindAndOptions checks a field kind and, for dropdowns, its options:
// at least one, each named, none twice.
func checkKindAndOptions(errs *problem.Fields, prefix, kind string, options []string) {
	errs.OneOf(prefix+"kind", kind, KindText, KindNumber, KindDropdown)
	if kind != KindDropdown {
		if len(options) > 0 {
			errs.Add(prefix+"options", "only a dropdown field has options")
		}
		return
	}
	if len(options) == 0 {
		errs.Add(prefix+"options", "a dropdown needs at least one option")
	}
	if len(options) > maxOptions {
		errs.Add(prefix+"options", "may hold at most %d options", maxOptions)
		return
	}
	for i, o := range options {
		f := fmt.Sprintf("%soptions[%d]", prefix, i)
		errs.Text(f, o, 1, maxName)
		if slices.ContainsFunc(options[:i], func(p string) bool { return strings.EqualFold(p, o) }) {
			errs.Add(f, "option %q is listed twice", o)
		}
	}
}
