package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/problem"
)

// TestLocalStack walks what the README tells a new user to do.
func TestLocalStack(t *testing.T) {
	st := newTestStack(t, stackConfig{Now: time.Now})
	srv := httptest.NewServer(st.handler)
	defer srv.Close()

	call := func(method, path, token, body string) (*http.Response, string) {
		t.Helper()
		return send(t, srv.URL, method, path, token, body)
	}

	if res, body := call("GET", "/healthz", "", ""); res.StatusCode != 200 {
		t.Fatalf("healthz %d %s", res.StatusCode, body)
	}
	res, body := call("POST", "/dev/tokens", "", `{"tenant":"demo","user":"anna","roles":["admin"]}`)
	if res.StatusCode != 200 {
		t.Fatalf("dev token %d %s", res.StatusCode, body)
	}
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.Token == "" {
		t.Fatalf("token answer %s", body)
	}
	if res, body := call("POST", "/dev/tokens", "", `{"user":"anna","roles":["root"]}`); res.StatusCode != 400 || !strings.Contains(body, "roles[0]") {
		t.Errorf("a token without a known role: %d %s", res.StatusCode, body)
	}

	// The seeded demo tenant: staff and a group, Swedish defaults.
	if res, body := call("GET", "/v1/users", tok.Token, ""); res.StatusCode != 200 || !strings.Contains(body, "Anna Andersson") || !strings.Contains(body, "Sara Svensson") {
		t.Errorf("users %d %s", res.StatusCode, body)
	}
	if res, body := call("GET", "/v1/groups/support", tok.Token, ""); res.StatusCode != 200 || !strings.Contains(body, "erik") {
		t.Errorf("group %d %s", res.StatusCode, body)
	}
	if res, body := call("GET", "/v1/settings/statuses", tok.Token, ""); res.StatusCode != 200 || !strings.Contains(body, "Väntar på kund") {
		t.Errorf("statuses %d %s", res.StatusCode, body)
	}
	if res, _ := call("GET", "/v1/settings/statuses", "", ""); res.StatusCode != 401 {
		t.Errorf("without a token: %d", res.StatusCode)
	}
	if res, _ := call("DELETE", "/v1/settings/general", tok.Token, ""); res.StatusCode != 405 || res.Header.Get("Allow") != "GET, PUT" {
		t.Errorf("wrong method: %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}

	// Every problem's type points to a section of a page that exists.
	res, body = call("GET", "/docs/problems", "", "")
	if res.StatusCode != 200 {
		t.Errorf("problems page %d", res.StatusCode)
	}
	for _, k := range problem.Catalog {
		if !strings.Contains(body, `id="`+string(k.Code)+`"`) {
			t.Errorf("problems page has no section %s", k.Code)
		}
	}

	// The docs: a viewer and the document.
	if res, body := call("GET", "/docs/", "", ""); res.StatusCode != 200 || !strings.Contains(body, "swagger-ui-bundle.js") {
		t.Errorf("docs %d", res.StatusCode)
	}
	if res, body := call("GET", "/docs/openapi.yaml", "", ""); res.StatusCode != 200 || !strings.Contains(body, "/v1/settings/statuses") {
		t.Errorf("openapi %d", res.StatusCode)
	}
	if res, _ := call("GET", "/docs/swagger-ui/swagger-ui-bundle.js", "", ""); res.StatusCode != 200 {
		t.Errorf("viewer script %d", res.StatusCode)
	}

	// A case for a customer's contact mails them, through the outbox, to a
	// file that /dev/mail lists.
	res, body = call("GET", "/v1/customers", tok.Token, "")
	var customers struct {
		Items []struct {
			ID       string
			Contacts []struct{ ID string }
		}
	}
	if err := json.Unmarshal([]byte(body), &customers); err != nil || len(customers.Items) == 0 {
		t.Fatalf("customers %d %s", res.StatusCode, body)
	}
	cu := customers.Items[0]
	if res, body := call("POST", "/v1/cases", tok.Token, `{"title":"Läckande kran","customerId":"`+cu.ID+`","contactId":"`+cu.Contacts[0].ID+`"}`); res.StatusCode != 201 {
		t.Fatalf("create case %d %s", res.StatusCode, body)
	}
	if n, err := st.mailer.Sweep(context.Background(), 0, 10); err != nil || n != 1 {
		t.Fatalf("deliver mail = %d, %v", n, err)
	}
	if res, body := call("GET", "/dev/mail", "", ""); res.StatusCode != 200 || !strings.Contains(body, "Vi har tagit emot ditt ärende #1") ||
		!strings.Contains(body, "karin.lund@bostadnorr.example") || !strings.Contains(body, "Demo Fastighetsservice AB") {
		t.Errorf("dev mail %d %s", res.StatusCode, body)
	}

	// Seeding again (a restart against a persistent endpoint) changes nothing.
	if err := st.seed(context.Background()); err != nil {
		t.Errorf("second seed: %v", err)
	}
}

// TestBusyPort: on a port that is taken, make run fails at once and never
// prints the ready banner first.
func TestBusyPort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := strconv.Itoa(taken.Addr().(*net.TCPAddr).Port)
	env := map[string]string{"PORT": port, "MAIL_DIR": t.TempDir()}
	var out strings.Builder
	err = run(context.Background(), func(k string) string { return env[k] }, &out)
	if err == nil || !strings.Contains(err.Error(), "PORT") {
		t.Errorf("run on a busy port: %v", err)
	}
	if strings.Contains(out.String(), "local stack on") {
		t.Errorf("banner printed before listening worked:\n%s", out.String())
	}
}

// TestBannerAndMailLinksFollowPort: the banner and the links in mail name
// the port the stack listens on, not 8080.
func TestBannerAndMailLinksFollowPort(t *testing.T) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(free.Addr().(*net.TCPAddr).Port)
	free.Close()
	mailDir := t.TempDir()
	env := map[string]string{"PORT": port, "MAIL_DIR": mailDir}
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, func(k string) string { return env[k] }, out) }()
	base := "http://localhost:" + port
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "local stack on") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(out.String(), base) {
		t.Fatalf("banner does not name %s:\n%s", base, out.String())
	}
	res, err := http.Get(base + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz on the banner's port: %v %v", res, err)
	}
	res.Body.Close()

	// A mention mail (anna asks for them) links to the case on this port.
	call := func(method, path, token, body string) string {
		t.Helper()
		res, b := send(t, base, method, path, token, body)
		if res.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
		return b
	}
	token := func(user string) string {
		var tok struct{ Token string }
		_ = json.Unmarshal([]byte(call("POST", "/dev/tokens", "", `{"tenant":"demo","user":"`+user+`","roles":["admin"]}`)), &tok)
		return tok.Token
	}
	anna, erik := token("anna"), token("erik")
	call("PATCH", "/v1/me", anna, `{"notifications":{"mentionByMail":true},"version":1}`)
	var created struct{ ID string }
	_ = json.Unmarshal([]byte(call("POST", "/v1/cases", erik, `{"title":"Port"}`)), &created)
	call("POST", "/v1/cases/"+created.ID+"/comments", erik, `{"body":"@[Anna](user:anna) titta"}`)
	link := base + "/cases/" + created.ID
	for time.Now().Before(deadline) && !strings.Contains(call("GET", "/dev/mail", "", ""), link) {
		time.Sleep(50 * time.Millisecond)
	}
	if mail := call("GET", "/dev/mail", "", ""); !strings.Contains(mail, link) {
		t.Errorf("mention mail does not link to %s: %s", link, mail)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after shutdown: %v", err)
	}
}

// syncBuffer is a strings.Builder that run's goroutine and the test can
// share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newTestStack is the local stack on the embedded DynamoDB server, with a
// token secret, a silent log and mail in a temporary folder; cfg gives
// the rest (its clock, its base URL).
func newTestStack(t *testing.T, cfg stackConfig) *stack {
	t.Helper()
	db := dynamotest.New(t)
	cfg.Client, cfg.TableName = db.Client, dynamotest.TableName
	cfg.TokenSecret = []byte(strings.Repeat("s", 32))
	cfg.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	cfg.MailDir = t.TempDir()
	st, err := newStack(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// send sends a request to the stack at base as the holder of token (""
// for none), with body as JSON ("" for none, as curl --json sends it),
// and answers the answer and its body.
func send(t *testing.T, base, method, path, token, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}
