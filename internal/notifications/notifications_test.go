package notifications_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/notifications"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

const tenant = "acme"

// Logins linked to directory users (agnes, arvid), one that is not
// (agent), and a customer.
var (
	agnes    = identity.Principal{Tenant: tenant, User: "sub-agnes", Roles: []identity.Role{identity.Agent}}
	arvid    = identity.Principal{Tenant: tenant, User: "sub-arvid", Roles: []identity.Role{identity.Admin}}
	agent    = identity.Principal{Tenant: tenant, User: "sub-nobody", Roles: []identity.Role{identity.Agent}}
	customer = identity.Principal{Tenant: tenant, User: "cust1", Roles: []identity.Role{identity.Customer}, Customer: "c1"}
)

type harness struct {
	*apitest.Client
	db    *dynamotest.Env
	clock *apitest.Clock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	db := dynamotest.New(t)
	clk := apitest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	st := settings.NewService(db.Table, clk.Now, 0)
	if err := st.ImportDirectory(context.Background(), tenant, []settings.User{
		{Meta: settings.Meta{ID: "agnes"}, Name: "Agnes", Email: "agnes@acme.example", Roles: []string{"agent"}, Subject: "sub-agnes"},
		{Meta: settings.Meta{ID: "arvid"}, Name: "Arvid", Email: "arvid@acme.example", Roles: []string{"admin"}, Subject: "sub-arvid"},
	}, nil); err != nil {
		t.Fatal(err)
	}
	return &harness{Client: apitest.NewClient(t, clk, notifications.Routes(notifications.NewService(db.Table, st, clk.Now))), db: db, clock: clk}
}

// notify gives userID a notification now, as a comment's transaction
// does, and moves the clock on a second. Without counting, only the item
// is written (as if the state item were lost).
func (h *harness) notify(t *testing.T, userID string, counting bool) string {
	t.Helper()
	now := h.clock.Now()
	n := &notifications.Notification{ID: notifications.NewID(now, dynamo.NewID(now)), At: timestamp.New(now), Type: "mention", By: "boss",
		CaseID: "case1", CaseNumber: 7, CaseTitle: "Läckande kran"}
	writes, err := notifications.Write(tenant, userID, n)
	if err != nil {
		t.Fatal(err)
	}
	if !counting {
		writes = writes[:1]
	}
	if err := h.db.Table.Commit(context.Background(), "notify", writes...); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	return n.ID
}

// all reads an inbox page by page, limit a page, and answers the IDs in
// order and the number of pages.
func (h *harness) all(t *testing.T, p *identity.Principal, limit int) (ids []string, pages int) {
	t.Helper()
	cursor := ""
	for {
		path := fmt.Sprintf("/v1/notifications?limit=%d", limit)
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		res := h.Do(p, "GET", path, nil).Must(t, http.StatusOK)
		pages++
		if len(res.Items()) == 0 || len(res.Items()) > limit {
			t.Fatalf("page %d holds %d items: %s", pages, len(res.Items()), res.Raw)
		}
		if _, has := res.Body["unread"]; has != (cursor == "") {
			t.Errorf("page %d: unread given %v, want on the first page only", pages, has)
		}
		ids = append(ids, res.IDs()...)
		if cursor = res.Str("next"); cursor == "" {
			return ids, pages
		}
	}
}

func TestInboxPagesNewestFirst(t *testing.T) {
	h := newHarness(t)
	var want []string
	for range 5 {
		want = append([]string{h.notify(t, "agnes", true)}, want...)
	}
	h.notify(t, "arvid", true)
	for limit, wantPages := range map[int]int{1: 5, 2: 3, 5: 1, 25: 1} {
		ids, pages := h.all(t, &agnes, limit)
		if fmt.Sprint(ids) != fmt.Sprint(want) || pages != wantPages {
			t.Errorf("limit %d: %d pages of %v, want %d of %v", limit, pages, ids, wantPages, want)
		}
	}
	if n := h.Do(&agnes, "GET", "/v1/notifications", nil).Num("unread"); n != 5 {
		t.Errorf("unread %d, want 5", n)
	}
}

// TestInboxWithoutState: a partition whose state item is missing still
// pages right (the first page has no state to make room for).
func TestInboxWithoutState(t *testing.T) {
	h := newHarness(t)
	var want []string
	for range 3 {
		want = append([]string{h.notify(t, "agnes", false)}, want...)
	}
	ids, pages := h.all(t, &agnes, 2)
	if fmt.Sprint(ids) != fmt.Sprint(want) || pages != 2 {
		t.Errorf("%d pages of %v, want 2 of %v", pages, ids, want)
	}
	if n := h.Do(&agnes, "GET", "/v1/notifications", nil).Must(t, http.StatusOK); n.Num("unread") != 0 {
		t.Errorf("unread: %s", n.Raw)
	}
}

func TestEmptyInbox(t *testing.T) {
	h := newHarness(t)
	res := h.Do(&agnes, "GET", "/v1/notifications", nil).Must(t, http.StatusOK)
	if len(res.Items()) != 0 || res.Num("unread") != 0 || res.Str("next") != "" || res.Body["unread"] == nil {
		t.Errorf("empty inbox: %s", res.Raw)
	}
}

// TestCursorOfAnotherInboxIsRefused: a cursor is a position in the
// caller's own inbox; another user's, or anything else, answers 400.
func TestCursorOfAnotherInboxIsRefused(t *testing.T) {
	h := newHarness(t)
	for range 2 {
		h.notify(t, "agnes", true)
		h.notify(t, "arvid", true)
	}
	theirs := h.Do(&arvid, "GET", "/v1/notifications?limit=1", nil).Must(t, http.StatusOK).Str("next")
	if theirs == "" {
		t.Fatal("no cursor")
	}
	forged, _ := dynamo.EncodeCursor(dynamo.Key(dynamo.NotificationsPK(tenant, "agnes"), dynamo.NotificationsTop))
	for _, c := range []string{theirs, forged, "bm9wZQ", "!!"} {
		h.Do(&agnes, "GET", "/v1/notifications?cursor="+url.QueryEscape(c), nil).MustProblem(t, http.StatusBadRequest, "cursor")
	}
}

func TestReadMarks(t *testing.T) {
	h := newHarness(t)
	older := h.notify(t, "agnes", true)
	first := h.notify(t, "agnes", true)
	inbox := h.Do(&agnes, "GET", "/v1/notifications", nil).Must(t, http.StatusOK)
	if inbox.Num("unread") != 2 || inbox.IDs()[0] != first {
		t.Fatalf("inbox %s", inbox.Raw)
	}
	h.Do(&agnes, "POST", "/v1/notifications/"+first+"/read", nil).Must(t, http.StatusNoContent)
	h.Do(&agnes, "POST", "/v1/notifications/"+first+"/read", nil).Must(t, http.StatusNoContent) // again: no change
	inbox = h.Do(&agnes, "GET", "/v1/notifications", nil).Must(t, http.StatusOK)
	if inbox.Num("unread") != 1 || inbox.Items()[0]["read"] != true || inbox.Items()[1]["read"] != false {
		t.Errorf("after reading one: %s", inbox.Raw)
	}

	h.Do(&agnes, "POST", "/v1/notifications/read", nil).Must(t, http.StatusNoContent)
	h.Do(&agnes, "POST", "/v1/notifications/"+older+"/read", nil).Must(t, http.StatusNoContent) // read already by the mark
	inbox = h.Do(&agnes, "GET", "/v1/notifications", nil).Must(t, http.StatusOK)
	if inbox.Num("unread") != 0 || inbox.Items()[1]["read"] != true {
		t.Errorf("after reading all: %s", inbox.Raw)
	}
	h.notify(t, "agnes", true)
	if n := h.Do(&agnes, "GET", "/v1/notifications", nil).Num("unread"); n != 1 {
		t.Errorf("unread %d after a new one, want 1", n)
	}

	h.Do(&agnes, "POST", "/v1/notifications/1795000000000-nope/read", nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agnes, "POST", "/v1/notifications/garbage/read", nil).MustProblem(t, http.StatusNotFound)
	// Another user's notification is not found in one's own inbox.
	h.Do(&arvid, "POST", "/v1/notifications/"+first+"/read", nil).MustProblem(t, http.StatusNotFound)
	// A login without a directory user has no inbox; a customer none at all.
	h.Do(&agent, "GET", "/v1/notifications", nil).MustProblem(t, http.StatusNotFound)
	h.Do(&agent, "POST", "/v1/notifications/read", nil).MustProblem(t, http.StatusNotFound)
	h.Do(&customer, "GET", "/v1/notifications", nil).MustProblem(t, http.StatusForbidden)
	h.Do(&customer, "POST", "/v1/notifications/"+first+"/read", nil).MustProblem(t, http.StatusForbidden)
}

// TestWriteTwiceFails: a notification ID is new; writing one again is a
// bug, answered as an internal error rather than an overwrite.
func TestWriteTwiceFails(t *testing.T) {
	db := dynamotest.New(t)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	n := &notifications.Notification{ID: notifications.NewID(now, "x1"), At: timestamp.New(now), Type: "mention"}
	for i, want := range []problem.Code{"", problem.Internal} {
		writes, err := notifications.Write(tenant, "agnes", n)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Table.Commit(context.Background(), "notify", writes...); (err == nil) != (want == "") || (err != nil && problem.CodeOf(err) != want) {
			t.Errorf("write %d: %v", i+1, err)
		}
	}
}

// queryClient is a DynamoDB client whose Query answers items.
type queryClient struct {
	dynamo.Client
	items []map[string]types.AttributeValue
}

func (c queryClient) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return &dynamodb.QueryOutput{Items: c.items}, nil
}

// fixedSettings answers one snapshot.
type fixedSettings struct{ snap *settings.Snapshot }

func (f fixedSettings) Snapshot(context.Context, string) (*settings.Snapshot, error) {
	return f.snap, nil
}

// TestMalformedItemIsAnInternalError: an item of the inbox partition that
// is neither the state nor a notification answers 500; it does not crash
// the handler (no recovery here: the bare mux).
func TestMalformedItemIsAnInternalError(t *testing.T) {
	snap := &settings.Snapshot{Users: map[string]*settings.User{"agnes": {Meta: settings.Meta{ID: "agnes"}, Subject: "sub-agnes"}}}
	pk := dynamo.S(dynamo.NotificationsPK(tenant, "agnes"))
	for name, item := range map[string]map[string]types.AttributeValue{
		"no sort key":                 {dynamo.AttrPK: pk},
		"a number sort key":           {dynamo.AttrPK: pk, dynamo.AttrSK: dynamo.N(5)},
		"another kind":                {dynamo.AttrPK: pk, dynamo.AttrSK: dynamo.S("N#x"), dynamo.AttrKind: dynamo.S("CASE"), dynamo.AttrData: dynamo.S(`{}`)},
		"undecodable":                 {dynamo.AttrPK: pk, dynamo.AttrSK: dynamo.S("N#x"), dynamo.AttrKind: dynamo.S("NOTIFICATION"), dynamo.AttrData: dynamo.S(`{`)},
		"a notification without data": {dynamo.AttrPK: pk, dynamo.AttrSK: dynamo.S("N#x"), dynamo.AttrKind: dynamo.S("NOTIFICATION")},
	} {
		t.Run(name, func(t *testing.T) {
			table := dynamo.Table{Client: queryClient{items: []map[string]types.AttributeValue{item}}, Name: "t"}
			mux := httpapi.NewMux(notifications.Routes(notifications.NewService(table, fixedSettings{snap}, time.Now)))
			req := httptest.NewRequest("GET", "/v1/notifications", nil)
			ctx := httpapi.WithLogger(identity.WithPrincipal(req.Context(), agnes), slog.New(slog.NewJSONHandler(io.Discard, nil)))
			req = req.WithContext(ctx)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("status %d, want 500: %s", rec.Code, rec.Body)
			}
		})
	}
}
