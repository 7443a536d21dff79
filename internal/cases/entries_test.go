package cases_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// checkEntries reads the whole table, as an auditor would, and asserts
// that the tenant's list and search entries are exactly those of its live
// cases as they are: every case is in each of its lists once, with its
// version, its activity as the GSI1 key and its urgency as the GSI2 key,
// and in no other; its search entries hold its words and category, one in
// the partition of each beginning of its words; nothing refers to a case
// that is deleted or missing.
func (h *harness) checkEntries(t testing.TB, tenant string) {
	t.Helper()
	type live struct {
		c        cases.Case
		activity string
	}
	lives := map[string]*live{}
	lists := map[string][]string{}  // case ID -> lists it has entries in
	search := map[string][]string{} // case ID -> search partitions
	words := map[string][]string{}  // case ID -> word lists of its search entries
	cats := map[string][]string{}
	casePrefix, viewPrefix, searchPrefix := dynamo.CasePK(tenant, ""), dynamo.CaseViewPK(tenant, ""), dynamo.CaseSearchPK(tenant, "")
	str := func(it map[string]types.AttributeValue, k string) string {
		v, _ := it[k].(*types.AttributeValueMemberS)
		if v == nil {
			return ""
		}
		return v.Value
	}
	for _, it := range h.scan(t) {
		pk := str(it, dynamo.AttrPK)
		switch {
		case strings.HasPrefix(pk, casePrefix) && kindOf(it) == "CASE":
			if _, deleted := it["deletedAt"]; deleted {
				continue
			}
			var c cases.Case
			if err := dynamo.DecodeData(it, &c); err != nil {
				t.Fatal(err)
			}
			lives[c.ID] = &live{c: c, activity: str(it, "activityAt")}
		case strings.HasPrefix(pk, viewPrefix):
			var c cases.Case
			if err := dynamo.DecodeData(it, &c); err != nil {
				t.Fatal(err)
			}
			list := strings.TrimPrefix(pk, viewPrefix)
			lists[c.ID] = append(lists[c.ID], list)
			defer func() { // once every case is read
				l := lives[c.ID]
				switch {
				case l == nil:
					t.Errorf("an entry of %s in %s: not a live case", c.ID, list)
				case c.Version != l.c.Version:
					t.Errorf("the entry of case #%d in %s is at version %d, the case at %d", l.c.Number, list, c.Version, l.c.Version)
				case str(it, dynamo.AttrGSI1SK) != l.activity+"#"+c.ID || str(it, "activityAt") != l.activity:
					t.Errorf("the entry of case #%d in %s sorts by activity %s, the case's is %s", l.c.Number, list, str(it, dynamo.AttrGSI1SK), l.activity)
				}
			}()
		case strings.HasPrefix(pk, searchPrefix):
			sk := str(it, dynamo.AttrSK)
			id := sk[strings.LastIndex(sk, "#")+1:]
			search[id] = append(search[id], strings.TrimPrefix(pk, searchPrefix))
			words[id] = append(words[id], str(it, "words"))
			cats[id] = append(cats[id], str(it, "category"))
		}
	}
	for id := range lists {
		if lives[id] == nil {
			t.Errorf("case %s has list entries but is not live: %v", id, lists[id])
		}
	}
	for id, ps := range search {
		l := lives[id]
		if l == nil {
			t.Errorf("case %s has search entries but is not live: %v", id, ps)
			continue
		}
		checkSearchEntries(t, &l.c, ps, words[id], cats[id])
	}
	for id, l := range lives {
		want := expectedLists(&l.c)
		got := slices.Clone(lists[id])
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("case #%d is in the lists %v, want %v", l.c.Number, got, want)
		}
		if len(search[id]) == 0 && l.c.Number >= 10 {
			t.Errorf("case #%d has no search entries", l.c.Number)
		}
	}
}

// checkSearchEntries asserts that the search entries of case c (in the
// partitions ps, with the word lists and categories) agree: one word list,
// holding the case's number and the words of its title, one entry per
// beginning of its words, the case's category.
func checkSearchEntries(t testing.TB, c *cases.Case, ps, lists, cats []string) {
	t.Helper()
	for i := range lists {
		if lists[i] != lists[0] || cats[i] != c.StatusCategory {
			t.Errorf("case #%d: search entries with words %q and %q, category %q (the case's %q)", c.Number, lists[0], lists[i], cats[i], c.StatusCategory)
			return
		}
	}
	var prefixes []string
	for _, w := range strings.Fields(lists[0]) {
		if p := string([]rune(w)[:2]); !slices.Contains(prefixes, p) {
			prefixes = append(prefixes, p)
		}
	}
	slices.Sort(prefixes)
	got := slices.Clone(ps)
	slices.Sort(got)
	if !slices.Equal(got, prefixes) {
		t.Errorf("case #%d: search entries in %v, its words %q begin with %v", c.Number, got, lists[0], prefixes)
	}
	want := append([]string{fmt.Sprint(c.Number)},
		strings.FieldsFunc(strings.ToLower(c.Title), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
	for _, w := range want {
		// A case indexes at most 16 beginnings and 32 words: a word past
		// those bounds is left out.
		bounded := (len(prefixes) == 16 && !slices.Contains(prefixes, string([]rune(w)[:min(2, utf8.RuneCountInString(w))]))) || len(strings.Fields(lists[0])) == 32
		if utf8.RuneCountInString(w) >= 2 && !strings.Contains(lists[0], " "+w+" ") && !bounded {
			t.Errorf("case #%d (%q): its words %q lack %q", c.Number, c.Title, lists[0], w)
		}
	}
}

// expectedLists are the lists a case is in, as the README says.
func expectedLists(c *cases.Case) []string {
	open := c.StatusCategory != "closed"
	out := []string{"all", fmt.Sprintf("number=%d", c.Number), "status=" + c.StatusID, "category=" + c.StatusCategory, "priority=" + c.PriorityID}
	if open {
		out = append(out, "active")
	}
	var parted []string
	for _, u := range c.Assignees.Users {
		parted = append(parted, "user="+u)
	}
	for _, g := range c.Assignees.Groups {
		parted = append(parted, "group="+g)
	}
	if c.CustomerID != "" {
		parted = append(parted, "customer="+c.CustomerID)
	}
	for _, p := range parted {
		out = append(out, p, p+"&category="+c.StatusCategory)
		if open {
			out = append(out, p+"&active")
		}
	}
	for prefix, id := range map[string]string{"contact=": c.ContactID, "type=": c.TypeID, "order=": c.LinkedOrderID} {
		if id != "" {
			out = append(out, prefix+id)
		}
	}
	return out
}
