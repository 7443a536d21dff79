package ses

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/workcloud/arendehantering/internal/mail"
)

// captured is the request the real SDK sent.
type captured struct {
	Path   string
	Header http.Header
	Body   map[string]any
}

func fakeSES(t *testing.T, status int) (*Sender, *[]captured) {
	t.Helper()
	var got []captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		got = append(got, captured{Path: r.URL.Path, Header: r.Header, Body: body})
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"message":"slow down"}`))
			return
		}
		_, _ = w.Write([]byte(`{"MessageId":"0100018c-test"}`))
	}))
	t.Cleanup(srv.Close)
	client := sesv2.New(sesv2.Options{
		Region: "eu-north-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", ""),
	})
	return NewSender(client), &got
}

func TestSendEmailRequest(t *testing.T) {
	s, got := fakeSES(t, http.StatusOK)
	id, err := s.Send(context.Background(), mail.Message{
		From: `"Demo AB" <noreply@demo.example>`, ReplyTo: "kundtjanst@demo.example", To: []string{"karin@kund.example"},
		Subject: "Ärende #12 är avslutat", Text: "Hej Karin,\n\nklart.", ConfigurationSet: "arende-prod", Tenant: "demo", OutboxID: "01abc",
	})
	if err != nil || id != "0100018c-test" {
		t.Fatalf("Send = %q, %v", id, err)
	}
	if len(*got) != 1 {
		t.Fatalf("%d requests, want 1", len(*got))
	}
	req := (*got)[0]
	if req.Path != "/v2/email/outbound-emails" {
		t.Errorf("path %s", req.Path)
	}
	if !strings.HasPrefix(req.Header.Get("Authorization"), "AWS4-HMAC-SHA256") {
		t.Error("the request is not signed")
	}
	b := req.Body
	dest := b["Destination"].(map[string]any)["ToAddresses"].([]any)
	simple := b["Content"].(map[string]any)["Simple"].(map[string]any)
	if len(dest) != 1 || dest[0] != "karin@kund.example" {
		t.Errorf("recipients %v", dest)
	}
	if simple["Subject"].(map[string]any)["Data"] != "Ärende #12 är avslutat" || simple["Body"].(map[string]any)["Text"].(map[string]any)["Data"] != "Hej Karin,\n\nklart." {
		t.Errorf("content %v", simple)
	}
	if b["ConfigurationSetName"] != "arende-prod" || b["FromEmailAddress"] != `"Demo AB" <noreply@demo.example>` {
		t.Errorf("configuration set / from: %v %v", b["ConfigurationSetName"], b["FromEmailAddress"])
	}
	if r := b["ReplyToAddresses"].([]any); len(r) != 1 || r[0] != "kundtjanst@demo.example" {
		t.Errorf("reply-to %v", r)
	}
}

func TestHeaderInjectionNeverReachesSES(t *testing.T) {
	s, got := fakeSES(t, http.StatusOK)
	for name, m := range map[string]mail.Message{
		"subject":  {From: "a@b.se", To: []string{"c@d.se"}, Subject: "Hej\r\nBcc: victim@example.com", Text: "x"},
		"reply-to": {From: "a@b.se", To: []string{"c@d.se"}, ReplyTo: "x@y.se\nBcc: v@e.com", Subject: "s", Text: "x"},
		"to":       {From: "a@b.se", To: []string{"c@d.se\r\nCc: v@e.com"}, Subject: "s", Text: "x"},
		"from":     {From: "a@b.se\n", To: []string{"c@d.se"}, Subject: "s", Text: "x"},
	} {
		if _, err := s.Send(context.Background(), m); err == nil {
			t.Errorf("%s with a line break was sent", name)
		}
	}
	if len(*got) != 0 {
		t.Errorf("%d requests reached SES", len(*got))
	}
}

func TestSESErrorIsReturned(t *testing.T) {
	s, _ := fakeSES(t, http.StatusTooManyRequests)
	if _, err := s.Send(context.Background(), mail.Message{From: "a@b.se", To: []string{"c@d.se"}, Subject: "s", Text: "x"}); err == nil {
		t.Fatal("a throttled send reported success")
	}
}
