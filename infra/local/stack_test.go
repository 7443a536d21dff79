package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
)

// TestLocalStack walks what the README tells a new user to do.
func TestLocalStack(t *testing.T) {
	db := dynamotest.New(t)
	st, err := newStack(context.Background(), stackConfig{
		Client: db.Client, TableName: dynamotest.TableName,
		TokenSecret: []byte(strings.Repeat("s", 32)), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), Now: time.Now,
		MailDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(st.handler)
	defer srv.Close()

	call := func(method, path, token, body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
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
