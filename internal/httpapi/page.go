package httpapi

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/workcloud/arendehantering/internal/problem"
)

// MaxPage is the largest page any list answers.
const MaxPage = 100

// Page is the parsed query string of a list: the page size, the cursor of
// the page to read, and the list's own filters by name.
type Page struct {
	Limit   int
	Cursor  string
	Filters map[string]string
}

// ReadPage parses limit, cursor and the named filters from the query
// string. Any other parameter, a repeated one and an empty one are refused
// by name: a misspelt filter must not silently answer everything.
func ReadPage(r *http.Request, defaultLimit int, filters ...string) (Page, error) {
	p := Page{Limit: defaultLimit, Filters: map[string]string{}}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		// r.URL.Query() would drop the broken pair silently, and a list
		// would answer as if its filter had not been sent.
		return p, problem.New(problem.Invalid, "The query string is malformed; escape its values.")
	}
	var errs problem.Fields
	for _, name := range slices.Sorted(maps.Keys(q)) {
		values := q[name]
		if len(values) > 1 {
			errs.Add(name, "may be given once")
			continue
		}
		v := values[0]
		switch {
		case name == "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxPage {
				errs.Add("limit", "must be a whole number from 1 to %d", MaxPage)
				continue
			}
			p.Limit = n
		case name == "cursor":
			if v == "" {
				errs.Add("cursor", "is not a cursor this list answered; start again without it")
				continue
			}
			p.Cursor = v
		case slices.Contains(filters, name):
			if v == "" {
				// An empty filter is a client bug, not a request for everything.
				errs.Add(name, "may not be empty; leave the parameter out to list everything")
				continue
			}
			p.Filters[name] = v
		default:
			allowed := append([]string{"limit", "cursor"}, filters...)
			errs.Add(name, "is not a parameter of this list (it takes %s)", strings.Join(allowed, ", "))
		}
	}
	return p, errs.Err()
}
