package cases_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestTransactionBudget: a case of the largest shape the bounds allow (5
// users, 3 groups, a customer, contact and order, a type with 40 template
// tasks and a form that must be submitted before the case closes, a title
// of more beginnings than are indexed) is created in one transaction,
// its form submitted, closed and reopened, and changed in everything at
// once (every assignee, the whole title, the status): within DynamoDB's
// 100 writes. One more user or group is refused before anything is
// written.
func TestTransactionBudget(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	h.autoComplete(t, true)
	users, groups, tpl := h.largestCaseRefs(t, 10, 6)
	form := h.Do(&admin, "POST", "/v1/settings/forms", formBody()).Must(t, http.StatusCreated).Str("id")
	big := h.Do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Stor", "taskTemplateId": tpl,
		"defaultForm": map[string]any{"formId": form, "requiredBeforeClose": true}}).Must(t, http.StatusCreated).Str("id")
	title := func(from rune) string { // 20 words with 20 different beginnings
		var ws []string
		for i := range 20 {
			ws = append(ws, string([]rune{from + rune(i), 'a' + rune(i%26)})+"ord")
		}
		return strings.Join(ws, " ")
	}
	assignees := func(u, g []string) map[string]any { return map[string]any{"users": u, "groups": g} }
	id := h.create(t, map[string]any{"title": title('a'), "typeId": big, "customerId": w.custA, "contactId": w.anna,
		"linkedOrderId": w.openOrder, "assignees": assignees(users[:5], groups[:3])}).Str("id")
	if n := len(h.get(t, id).List("tasks")); n != 40 {
		t.Fatalf("%d tasks", n)
	}
	h.patch(t, id, map[string]any{"statusId": statusClosed}).MustProblem(t, http.StatusConflict) // its form first
	h.saveForm(t, id, map[string]any{"answers": map[string]any{"summary": "Stort", "fault": "Larmar", "accept": true}, "submitted": true}).Must(t, http.StatusOK)
	h.patch(t, id, map[string]any{"statusId": statusClosed}).Must(t, http.StatusOK)
	h.patch(t, id, map[string]any{"statusId": statusOpen}).Must(t, http.StatusOK)
	h.patch(t, id, map[string]any{"title": title('à'), "statusId": statusClosed, "assignees": assignees(users[5:], groups[3:])}).Must(t, http.StatusOK)
	h.patch(t, id, map[string]any{"statusId": statusWaiting, "assignees": assignees(users[:5], groups[:3])}).Must(t, http.StatusOK)
	h.Do(&agent, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": "Klart"}).Must(t, http.StatusCreated)
	h.checkEntries(t, admin.Tenant)
	h.probe.mu.Lock()
	largest := h.probe.largest
	h.probe.mu.Unlock()
	t.Logf("the largest transaction held %d writes", largest)
	if largest > 100 {
		t.Errorf("a transaction held %d writes", largest)
	}

	h.patch(t, id, map[string]any{"assignees": assignees(users[:6], nil)}).MustProblem(t, http.StatusBadRequest, "assignees.users")
	h.patch(t, id, map[string]any{"assignees": assignees(nil, groups[:4])}).MustProblem(t, http.StatusBadRequest, "assignees.groups")
	h.Do(&admin, "DELETE", "/v1/cases/"+id, nil, ifMatch(h.get(t, id).Version())...).Must(t, http.StatusNoContent)
	h.checkEntries(t, admin.Tenant)
}

// TestFormCostsOneWrite: the form a case gets from its type is one more
// write of its create's transaction, however large the form (one item:
// the questions and, later, the answers), and the largest create with
// one stays within DynamoDB's 100.
func TestFormCostsOneWrite(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	users, groups, tpl := h.largestCaseRefs(t, 5, 3)
	var questions []map[string]any
	for i := range 100 {
		questions = append(questions, map[string]any{"key": fmt.Sprintf("q%d", i), "label": strings.Repeat("Fråga ", 30), "kind": "longtext", "required": true})
	}
	form := h.Do(&admin, "POST", "/v1/settings/forms", map[string]any{"name": "Stort protokoll", "questions": questions}).Must(t, http.StatusCreated).Str("id")
	plain := h.Do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Utan", "taskTemplateId": tpl}).Must(t, http.StatusCreated).Str("id")
	withForm := h.Do(&admin, "POST", "/v1/settings/case-types", map[string]any{"name": "Med", "taskTemplateId": tpl,
		"defaultForm": map[string]any{"formId": form, "filledBy": "customer", "requiredBeforeClose": true}}).Must(t, http.StatusCreated).Str("id")
	title := "aord bord cord dord eord ford gord hord iord jord kord lord mord nord oord pord qord rord sord tord"
	createdWith := func(typeID string) int {
		h.probe.mu.Lock()
		h.probe.largest = 0
		h.probe.mu.Unlock()
		h.create(t, map[string]any{"title": title, "typeId": typeID, "customerId": w.custA, "contactId": w.anna,
			"linkedOrderId": w.openOrder, "assignees": map[string]any{"users": users, "groups": groups}})
		h.probe.mu.Lock()
		defer h.probe.mu.Unlock()
		return h.probe.largest
	}
	without, with := createdWith(plain), createdWith(withForm)
	t.Logf("the largest create writes %d items, %d with a form", without, with)
	if with != without+1 || with > 100 {
		t.Errorf("a create with a form writes %d items, without %d: want one more, at most 100", with, without)
	}
}

// largestCaseRefs makes what the largest case refers to: n users and m groups to
// assign, and a task template of 40 tasks (its ID).
func (h *harness) largestCaseRefs(t *testing.T, n, m int) (users, groups []string, tpl string) {
	t.Helper()
	for i := range n {
		users = append(users, h.Do(&admin, "POST", "/v1/users", map[string]any{"name": fmt.Sprintf("Person %d", i),
			"email": fmt.Sprintf("p%d@acme.example", i), "roles": []string{"agent"}}).Must(t, http.StatusCreated).Str("id"))
	}
	for i := range m {
		groups = append(groups, h.Do(&admin, "POST", "/v1/groups", map[string]any{"name": fmt.Sprintf("Grupp %d", i),
			"members": []string{}}).Must(t, http.StatusCreated).Str("id"))
	}
	var tasks []map[string]any
	for i := range 40 {
		tasks = append(tasks, map[string]any{"title": fmt.Sprintf("Steg %d", i)})
	}
	tpl = h.Do(&admin, "POST", "/v1/settings/task-templates", map[string]any{"name": "Stor", "tasks": tasks}).Must(t, http.StatusCreated).Str("id")
	return users, groups, tpl
}
