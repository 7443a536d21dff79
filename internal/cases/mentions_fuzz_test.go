package cases

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// FuzzMentions: the mention parser of comments, on any body, never
// panics; it answers each mentioned user once, only users of the tenant,
// each written in the body as a mention; it refuses (400, the body named)
// a mention of anyone else and more than maxMentions people; the excerpt
// a notification shows is bounded and holds no mention's markup.
func FuzzMentions(f *testing.F) {
	for _, s := range []string{
		"@[Sara Svensson](user:sara) kan du ta med en ny givare?",
		"@[Sara](user:sara) @[Sara igen](user:sara) @[Erik](user:erik)",
		"@[Okänd](user:nobody) hej", "@[](user:sara)", "@[a](user:)", "@[[x]](user:sara)", "@[x](user:sa ra)",
		"@[" + strings.Repeat("x", 101) + "](user:sara)", "@[x](user:sara", strings.Repeat("@[x](user:sara) ", 30),
		"\xff@[x](user:sara)\xfe", "@[ä](user:01jd4a7x9gq8w2t5k3m6n0p1rs)",
	} {
		f.Add(s)
	}
	snap := &settings.Snapshot{Users: map[string]*settings.User{}}
	for _, id := range []string{"sara", "erik", "01jd4a7x9gq8w2t5k3m6n0p1rs", "a.b"} {
		snap.Users[id] = &settings.User{Meta: settings.Meta{ID: id}}
	}
	f.Fuzz(func(t *testing.T, body string) {
		var errs problem.Fields
		ids := mentions(snap, body, &errs)
		for i, id := range ids {
			if _, ok := snap.Users[id]; !ok || !validID(id) {
				t.Fatalf("%q mentions %q, who is no user", body, id)
			}
			if !strings.Contains(body, "](user:"+id+")") {
				t.Fatalf("%q mentions %q, who is not written in it", body, id)
			}
			if slices.Contains(ids[:i], id) {
				t.Fatalf("%q mentions %q twice", body, id)
			}
		}
		err := errs.Err()
		if err != nil {
			if e, ok := err.(*problem.Error); !ok || e.Code != problem.Invalid || e.Fields[0].Field != "body" {
				t.Fatalf("%q refused with %v", body, err)
			}
		} else if len(ids) > maxMentions {
			t.Fatalf("%q mentions %d people, taken", body, len(ids))
		}
		ex := excerpt(body)
		if n := utf8.RuneCountInString(ex); n > excerptLen+1 {
			t.Fatalf("the excerpt of %q is %d characters", body, n)
		}
		if mention().MatchString(ex) {
			t.Fatalf("the excerpt %q of %q holds a mention's markup", ex, body)
		}
	})
}
