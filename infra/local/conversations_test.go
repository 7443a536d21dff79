package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestLocalConversation: on the local stack a staff message mails a link
// to the customer's page (listed by /dev/mail), the page answers without
// a token, and POST /dev/clock moves the stack's clock so the link
// expires.
func TestLocalConversation(t *testing.T) {
	clock := &devClock{}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	st := newTestStack(t, stackConfig{Now: clock.Now, BaseURL: base, Clock: clock})
	srv.Config.Handler = st.handler
	srv.Start()
	defer srv.Close()
	call := func(method, path, token, body string) (int, string) {
		t.Helper()
		res, b := send(t, srv.URL, method, path, token, body)
		return res.StatusCode, b
	}
	_, body := call("POST", "/dev/tokens", "", `{"user":"erik","roles":["agent"]}`)
	var tok struct{ Token string }
	_ = json.Unmarshal([]byte(body), &tok)
	_, body = call("GET", "/v1/customers", tok.Token, "")
	var customers struct {
		Items []struct {
			ID       string
			Contacts []struct{ ID string }
		}
	}
	if err := json.Unmarshal([]byte(body), &customers); err != nil || len(customers.Items) == 0 {
		t.Fatalf("customers %s", body)
	}
	cu := customers.Items[0]
	code, body := call("POST", "/v1/cases", tok.Token, `{"title":"Läckande kran","customerId":"`+cu.ID+`","contactId":"`+cu.Contacts[0].ID+`"}`)
	if code != 201 {
		t.Fatalf("case %d %s", code, body)
	}
	id := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(body)[1]
	if code, body := call("POST", "/v1/cases/"+id+"/messages", tok.Token, `{"body":"Vi kommer på torsdag."}`); code != 201 {
		t.Fatalf("message %d %s", code, body)
	}
	if _, err := st.mailer.Sweep(context.Background(), 0, 10); err != nil {
		t.Fatal(err)
	}
	_, body = call("GET", "/dev/mail", "", "")
	link := regexp.MustCompile(regexp.QuoteMeta(base) + `/c/[^"\s\\]+`).FindString(body)
	if link == "" {
		t.Fatalf("no conversation link in /dev/mail: %s", body)
	}
	path := strings.TrimPrefix(link, base)
	if code, page := call("GET", path, "", ""); code != 200 || !strings.Contains(page, "Vi kommer på torsdag.") {
		t.Errorf("page %d %s", code, page)
	}
	if code, body := call("POST", "/dev/clock", "", `{"advance":"P31D"}`); code != 200 || !strings.Contains(body, `"now"`) {
		t.Errorf("dev clock %d %s", code, body)
	}
	if clock.Now().Before(time.Now().Add(30 * 24 * time.Hour)) {
		t.Error("the clock did not move")
	}
	if code, _ := call("GET", path, "", ""); code != http.StatusGone {
		t.Errorf("after 31 days the page answers %d, want 410", code)
	}
	if code, _ := call("POST", "/dev/clock", "", `{"advance":"-P1D"}`); code != 400 {
		t.Errorf("a clock moved back: %d", code)
	}
}
