package cases_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Logins linked to directory users, for the inbox (which needs to know
// which user a login is).
var (
	agnes = identity.Principal{Tenant: "acme", User: "sub-agnes", Roles: []identity.Role{identity.Agent}}
	arvid = identity.Principal{Tenant: "acme", User: "sub-arvid", Roles: []identity.Role{identity.Agent}}
)

// linkLogins links agnes's and arvid's logins to their users; arvid wants
// mention mail.
func linkLogins(t *testing.T, h *harness) {
	t.Helper()
	for id, sub := range map[string]string{userAgent1: agnes.User, userAgent2: arvid.User} {
		body := map[string]any{"subject": sub}
		if id == userAgent2 {
			body["notifications"] = map[string]any{"mentionByMail": true}
		}
		h.Do(&admin, "PATCH", "/v1/users/"+id, body, "If-Match", "*").Must(t, http.StatusOK)
	}
}

// pendingMail lists the outbox items not yet sent, as (text, userId).
func pendingMail(t *testing.T, h *harness) []string {
	t.Helper()
	out, err := h.db.Client.Query(context.Background(), &dynamodb.QueryInput{TableName: aws.String(h.db.Table.Name),
		IndexName: aws.String(dynamo.IndexGSI3), KeyConditionExpression: aws.String("GSI3PK = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": dynamo.S(dynamo.OutboxPendingPK)}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range out.Items {
		got = append(got, it[dynamo.AttrData].(*types.AttributeValueMemberS).Value)
	}
	return got
}

func TestCommentWithMentions(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	linkLogins(t, h)
	c := h.create(t, w.validService("Trasig värmepump"))
	id := c.Str("id")
	before := len(pendingMail(t, h))

	body := "Kan ni titta? @[Agnes Agent](user:agent1) och @[Arvid Agent](user:agent2), och jag själv @[Berit Boss](user:boss)."
	h.Do(&admin, "GET", "/v1/settings/general", nil).Must(t, http.StatusOK) // settings warm
	h.db.Counter.Reset()
	com := h.Do(&admin, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": body}).Must(t, http.StatusCreated)
	if n := h.db.Counter.Total(); n != 2 {
		t.Errorf("a comment with mentions cost %d round trips, want 2 (read the case, one transaction): %v", n, h.db.Counter.Snapshot())
	}
	if got := com.Body["mentions"].([]any); len(got) != 3 {
		t.Errorf("mentions %v", got)
	}

	for _, p := range []identity.Principal{agnes, arvid} {
		inbox := h.Do(&p, "GET", "/v1/notifications", nil).Must(t, http.StatusOK)
		items := inbox.Items()
		if inbox.Num("unread") != 1 || len(items) != 1 || items[0]["caseId"] != id || items[0]["read"] != false ||
			!strings.Contains(items[0]["excerpt"].(string), "@Agnes Agent") {
			t.Errorf("%s's inbox: %s", p.User, inbox.Raw)
		}
	}
	// The author is not notified of their own comment (boss has no login
	// link, so mention them through a linked author instead).
	h.Do(&agnes, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": "Noterat @[Agnes Agent](user:agent1)"}).Must(t, http.StatusCreated)
	if n := h.Do(&agnes, "GET", "/v1/notifications", nil).Num("unread"); n != 1 {
		t.Errorf("agnes has %d unread after mentioning herself, want 1", n)
	}

	mails := pendingMail(t, h)[before:]
	if len(mails) != 1 || !strings.Contains(mails[0], `"userId":"agent2"`) || !strings.Contains(mails[0], `"text":"mention"`) {
		t.Errorf("mention mails %v, want one to agent2 (the one who asked for it)", mails)
	}

	// The log records the comment; the comments list has both.
	if types := eventTypes(h.events(t, id)); !strings.Contains(strings.Join(types, ","), "commented") {
		t.Errorf("events %v", types)
	}
	if n := len(h.Do(&agent, "GET", "/v1/cases/"+id+"/comments", nil).Must(t, http.StatusOK).Items()); n != 2 {
		t.Errorf("%d comments, want 2", n)
	}
}

func TestCommentRefusals(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Läcka")).Str("id")
	// A user of another tenant, existing there.
	if err := h.settings.ImportDirectory(context.Background(), "other", []settings.User{
		{Meta: settings.Meta{ID: "stranger"}, Name: "Sten Främling", Email: "sten@other.example", Roles: []string{"agent"}}}, nil); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]any{
		"unknown user":          map[string]any{"body": "Hej @[Nobody](user:nobody)"},
		"another tenant's user": map[string]any{"body": "Hej @[Sten](user:stranger)"},
		"empty":                 map[string]any{"body": "   "},
		"unknown canned":        map[string]any{"cannedResponseId": "nope"},
		"canned and body":       map[string]any{"body": "x", "cannedResponseId": "nope"},
		"too long":              map[string]any{"body": strings.Repeat("x", 10001)},
		"unknown field":         map[string]any{"body": "x", "internal": false},
	} {
		t.Run(name, func(t *testing.T) {
			h.Do(&admin, "POST", "/v1/cases/"+id+"/comments", body).MustProblem(t, http.StatusBadRequest)
		})
	}
	if n := len(h.Do(&admin, "GET", "/v1/cases/"+id+"/comments", nil).Must(t, http.StatusOK).Items()); n != 0 {
		t.Errorf("%d comments stored from refused requests", n)
	}
	// Comments are for staff only: no customer reads or writes them.
	h.Do(&customer, "GET", "/v1/cases/"+id+"/comments", nil).MustProblem(t, http.StatusForbidden)
	h.Do(&customer, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": "x"}).MustProblem(t, http.StatusForbidden)
	h.Do(&intruder, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": "x"}).MustProblem(t, http.StatusNotFound)
}

func TestCannedResponseAsComment(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	id := h.create(t, w.validService("Läcka")).Str("id")
	cr := h.Do(&admin, "POST", "/v1/settings/canned-responses", map[string]any{"name": "Tack", "body": "Tack, vi återkommer!"}).Must(t, http.StatusCreated).Str("id")
	com := h.Do(&agent, "POST", "/v1/cases/"+id+"/comments", map[string]any{"cannedResponseId": cr}).Must(t, http.StatusCreated)
	if com.Str("body") != "Tack, vi återkommer!" {
		t.Errorf("comment body %q", com.Str("body"))
	}
}

func TestNotificationsReadMarks(t *testing.T) {
	h := newHarness(t)
	w := h.seed(t)
	linkLogins(t, h)
	id := h.create(t, w.validService("Läcka")).Str("id")
	mention := func() {
		h.clock.Advance(1e9)
		h.Do(&admin, "POST", "/v1/cases/"+id+"/comments", map[string]any{"body": "@[Agnes Agent](user:agent1) titta"}).Must(t, http.StatusCreated)
	}
	mention()
	mention()
	inbox := h.Do(&agnes, "GET", "/v1/notifications", nil).Must(t, http.StatusOK)
	if inbox.Num("unread") != 2 {
		t.Fatalf("unread %d, want 2", inbox.Num("unread"))
	}
	first := inbox.Items()[0]["id"].(string)
	h.Do(&agnes, "POST", "/v1/notifications/"+first+"/read", nil).Must(t, http.StatusNoContent)
	h.Do(&agnes, "POST", "/v1/notifications/"+first+"/read", nil).Must(t, http.StatusNoContent) // again: no change
	inbox = h.Do(&agnes, "GET", "/v1/notifications", nil).Must(t, http.StatusOK)
	if inbox.Num("unread") != 1 || inbox.Items()[0]["read"] != true || inbox.Items()[1]["read"] != false {
		t.Errorf("after reading one: %s", inbox.Raw)
	}

	h.Do(&agnes, "POST", "/v1/notifications/read", nil).Must(t, http.StatusNoContent)
	older := inbox.Items()[1]["id"].(string)
	h.Do(&agnes, "POST", "/v1/notifications/"+older+"/read", nil).Must(t, http.StatusNoContent) // read already by the mark
	if n := h.Do(&agnes, "GET", "/v1/notifications", nil).Num("unread"); n != 0 {
		t.Errorf("unread %d after read-all, want 0", n)
	}
	mention()
	if n := h.Do(&agnes, "GET", "/v1/notifications", nil).Num("unread"); n != 1 {
		t.Errorf("unread %d after a new mention, want 1", n)
	}

	h.Do(&agnes, "POST", "/v1/notifications/1795000000000-nope/read", nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agnes, "POST", "/v1/notifications/garbage/read", nil).MustProblem(t, http.StatusNotFound)
	// Another user's notification is not found in one's own inbox.
	h.Do(&arvid, "POST", "/v1/notifications/"+first+"/read", nil).MustProblem(t, http.StatusNotFound)
	// A login without a directory user has no inbox.
	h.Do(&agent, "GET", "/v1/notifications", nil).MustProblem(t, http.StatusNotFound)
	h.Do(&customer, "GET", "/v1/notifications", nil).MustProblem(t, http.StatusForbidden)
}

func TestListParametersAreChecked(t *testing.T) {
	h := newHarness(t)
	h.seed(t)
	for query, field := range map[string]string{
		"category=bogus":                      "category",
		"status=a&status=b":                   "status",
		"sort=oldest":                         "sort",
		"limit=0":                             "limit",
		"limit=101":                           "limit",
		"owner=me":                            "owner",
		"overdue=yes":                         "overdue",
		"status=status-new&type=x%23y":        "type",
		"category=active&number=0":            "number",
		"number=012":                          "number",
		"q=a":                                 "q",
		"q=kran&sort=urgent":                  "sort",
		"q=a+b+c+d+e+f":                       "q",
		"cursor=bm90LWEtY3Vyc29y":             "cursor",
		"assignee=" + strings.Repeat("a", 65): "assignee",
	} {
		t.Run(query, func(t *testing.T) {
			h.Do(&agent, "GET", "/v1/cases?"+query, nil).MustProblem(t, http.StatusBadRequest, field)
		})
	}
}
