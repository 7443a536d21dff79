package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/customers"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/mail/mailtest"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

type env struct {
	db     *dynamotest.Env
	sender *mailtest.Sender
	mailer *mail.Mailer
	now    time.Time
	// The cases and contacts the mailer finds; any other is not found.
	cases    map[string]*cases.Case
	contacts map[string]*customers.CustomerContact
	// down, when set, is what the cases and customers readers answer.
	down error
}

const tenant = "acme"

func newEnv(t *testing.T) *env {
	t.Helper()
	db := dynamotest.New(t)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := settings.NewService(db.Table, clock, 0)
	if err := st.ImportDirectory(context.Background(), tenant, []settings.User{
		{Meta: settings.Meta{ID: "erik"}, Name: "Erik Eriksson", Email: "erik@acme.example", Roles: []string{"agent"}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, sender: &mailtest.Sender{}, now: now,
		cases: map[string]*cases.Case{"case1": {ID: "case1", Number: 12, Title: "Läckande kran", StatusID: "status-closed",
			PriorityID: "priority-normal", Assignees: settings.Assignees{Users: []string{"erik"}, Groups: []string{}}}},
		contacts: map[string]*customers.CustomerContact{}}
	for _, k := range []customers.Contact{{ID: "k1", Name: "Karin Lund", Email: "karin@kund.example"},
		{ID: "k2", Name: "Olle", Email: "olle@kund.example", Locale: "en"}, {ID: "k3", Name: "Utan Adress"}} {
		e.contacts["cust1/"+k.ID] = &customers.CustomerContact{CustomerID: "cust1", CustomerName: "Bostadsbolaget AB", Contact: k}
	}
	e.mailer = mail.NewMailer(db.Table, e.sources(st), e.sender, mail.Config{From: "noreply@arende.example", ConfigurationSet: "cs", AppURL: "https://app.example"}, clock,
		slog.New(slog.NewJSONHandler(io.Discard, nil)))
	return e
}

// sources are the settings st and the env's cases and contacts, as the
// cases and customers areas would answer them.
func (e *env) sources(st settings.Reader) mail.Sources {
	return mail.Sources{Settings: st,
		Cases: readCases{read: func(tn, id string) (*cases.Case, error) {
			c, ok := e.cases[id]
			switch {
			case e.down != nil:
				return nil, e.down
			case !ok || tn != tenant:
				return nil, problem.New(problem.NotFound, "There is no such case.")
			}
			return c, nil
		}},
		Customers: readContacts{read: func(tn, customerID, contactID string) (*customers.CustomerContact, error) {
			k, ok := e.contacts[customerID+"/"+contactID]
			switch {
			case e.down != nil:
				return nil, e.down
			case !ok || tn != tenant:
				return nil, problem.New(problem.NotFound, "No contact has the ID %q.", contactID)
			}
			return k, nil
		}},
	}
}

// readCases is a cases.Reader whose function answers.
type readCases struct {
	read func(tenant, id string) (*cases.Case, error)
}

func (r readCases) Case(_ context.Context, tenant, id string) (*cases.Case, error) {
	return r.read(tenant, id)
}

// readContacts is a customers.Reader whose function answers.
type readContacts struct {
	read func(tenant, customerID, contactID string) (*customers.CustomerContact, error)
}

func (r readContacts) Contact(_ context.Context, tenant, customerID, contactID string) (*customers.CustomerContact, error) {
	return r.read(tenant, customerID, contactID)
}

// outbox writes an outbox item to a contact of cust1 about case1, the way
// a change does, and returns the stream record DynamoDB would deliver.
func (e *env) outbox(t *testing.T, id, text, contact string) events.DynamoDBEventRecord {
	t.Helper()
	return e.write(t, outbox.Mail{ID: id, Tenant: tenant, CreatedAt: timestamp.New(e.now), Text: text, CaseID: "case1", To: outbox.Recipient{CustomerID: "cust1", ContactID: contact}})
}

// write writes the outbox item of m, the way a change does, and returns
// the stream record DynamoDB would deliver for it.
func (e *env) write(t *testing.T, m outbox.Mail) events.DynamoDBEventRecord {
	t.Helper()
	w, err := outbox.Write(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.Table.Commit(context.Background(), "write outbox", w); err != nil {
		t.Fatal(err)
	}
	out, err := e.db.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(e.db.Table.Name),
		Key: dynamo.Key(dynamo.OutboxPK(tenant, m.ID), dynamo.OutboxSK)})
	if err != nil {
		t.Fatal(err)
	}
	img := map[string]events.DynamoDBAttributeValue{}
	for k, v := range out.Item {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			img[k] = events.NewStringAttribute(s.Value)
		}
	}
	return events.DynamoDBEventRecord{EventName: "INSERT", Change: events.DynamoDBStreamRecord{NewImage: img, SequenceNumber: "seq-" + m.ID}}
}

// deliverOne delivers the outbox item id and returns the one mail it sent.
func (e *env) deliverOne(t *testing.T, id string) mail.Message {
	t.Helper()
	if err := e.mailer.Deliver(context.Background(), tenant, id); err != nil {
		t.Fatal(err)
	}
	if len(e.sender.Sent()) != 1 {
		t.Fatalf("%d mails, want 1", len(e.sender.Sent()))
	}
	return e.sender.Sent()[0]
}

func (e *env) status(t *testing.T, id string) string {
	t.Helper()
	out, err := e.db.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(e.db.Table.Name),
		Key: map[string]types.AttributeValue{dynamo.AttrPK: dynamo.S(dynamo.OutboxPK(tenant, id)), dynamo.AttrSK: dynamo.S(dynamo.OutboxSK)}})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := out.Item["status"].(*types.AttributeValueMemberS)
	if s == nil {
		return ""
	}
	return s.Value
}

func TestDeliverRendersTheTenantsText(t *testing.T) {
	e := newEnv(t)
	e.outbox(t, "m1", "case-closed", "k1")
	m := e.deliverOne(t, "m1")
	if m.To[0] != "karin@kund.example" || m.Subject != "Ärende #12 är avslutat" || !strings.Contains(m.Text, "Hej Karin Lund") ||
		!strings.Contains(m.Text, "Läckande kran") || m.ConfigurationSet != "cs" || m.From != "noreply@arende.example" {
		t.Errorf("mail %+v", m)
	}
	if got := e.status(t, "m1"); got != "sent" {
		t.Errorf("status %q, want sent", got)
	}
}

// TestStreamBatchReportsOnlyFailures: a batch where one send fails reports
// just that record; the batch replayed sends nothing twice and the failed
// one once.
func TestStreamBatchReportsOnlyFailures(t *testing.T) {
	e := newEnv(t)
	batch := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{
		e.outbox(t, "m1", "case-closed", "k1"),
		e.outbox(t, "m2", "case-closed", "k2"),
		e.outbox(t, "m3", "case-created", "k1"),
	}}
	e.sender.Fail = func(m mail.Message) bool { return m.To[0] == "olle@kund.example" }
	resp, err := e.mailer.HandleStream(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "seq-m2" {
		t.Fatalf("failures %+v, want only seq-m2", resp.BatchItemFailures)
	}
	if e.status(t, "m2") != "pending" {
		t.Errorf("the failed item is %q, want pending (to be retried)", e.status(t, "m2"))
	}

	e.sender.Fail = nil
	resp, _ = e.mailer.HandleStream(context.Background(), batch) // the stream replays the batch
	if len(resp.BatchItemFailures) != 0 {
		t.Errorf("replay failures %+v", resp.BatchItemFailures)
	}
	if n := e.sender.To("karin@kund.example"); n != 2 {
		t.Errorf("karin got %d mails, want 2 (one per item, none twice)", n)
	}
	if n := e.sender.To("olle@kund.example"); n != 1 {
		t.Errorf("olle got %d mails, want 1", n)
	}
}

// TestSESDownThenBack: while SES fails nothing is marked sent; the sweep
// sends each pending item once SES is back.
func TestSESDownThenBack(t *testing.T) {
	e := newEnv(t)
	rec := e.outbox(t, "m1", "case-created", "k1")
	e.sender.Fail = func(mail.Message) bool { return true }
	for range 3 { // the stream's retries
		resp, _ := e.mailer.HandleStream(context.Background(), events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec}})
		if len(resp.BatchItemFailures) != 1 {
			t.Fatalf("failures %+v", resp.BatchItemFailures)
		}
	}
	if e.status(t, "m1") != "pending" || len(e.sender.Sent()) != 0 {
		t.Fatalf("status %q, sent %d", e.status(t, "m1"), len(e.sender.Sent()))
	}
	e.sender.Fail = nil
	n, err := e.mailer.Sweep(context.Background(), 0, 10)
	if err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v", n, err)
	}
	if e.sender.To("karin@kund.example") != 1 || e.status(t, "m1") != "sent" {
		t.Errorf("after SES is back: %d mails, status %q", e.sender.To("karin@kund.example"), e.status(t, "m1"))
	}
	if n, _ := e.mailer.Sweep(context.Background(), 0, 10); n != 0 {
		t.Errorf("a second sweep found %d pending", n)
	}
}

// TestUnsendableMailIsNotRetried: a contact without an address fails the
// item for good instead of retrying it forever.
func TestUnsendableMailIsNotRetried(t *testing.T) {
	e := newEnv(t)
	rec := e.outbox(t, "m1", "case-closed", "k3")
	resp, _ := e.mailer.HandleStream(context.Background(), events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec}})
	if len(resp.BatchItemFailures) != 0 || len(e.sender.Sent()) != 0 || e.status(t, "m1") != "failed" {
		t.Errorf("failures %v, sent %d, status %q", resp.BatchItemFailures, len(e.sender.Sent()), e.status(t, "m1"))
	}
}

func TestRenderKeepsTheSubjectOneLine(t *testing.T) {
	subject, body := settings.Render("Ärende {{case.title}}", "Titel: {{case.title}}, okänd: {{ nothing }}.", map[string]string{"case.title": "a\r\nBcc: x@y.z"})
	if strings.ContainsAny(subject, "\r\n") || !mail.HeaderSafe(subject) {
		t.Errorf("subject %q", subject)
	}
	if body != "Titel: a\r\nBcc: x@y.z, okänd: ." {
		t.Errorf("body %q", body)
	}
}

// TestRejectedAndExhaustedMailFailsForGood: a message SES rejects, and an
// item tried too often, are marked failed instead of retried forever.
func TestRejectedAndExhaustedMailFailsForGood(t *testing.T) {
	e := newEnv(t)
	e.outbox(t, "m1", "case-closed", "k1")
	e.sender.Fail = func(mail.Message) bool { return true }
	rejecting := &rejectSender{}
	m := mail.NewMailer(e.db.Table, e.sources(settings.NewService(e.db.Table, func() time.Time { return e.now }, 0)), rejecting,
		mail.Config{From: "noreply@arende.example"}, func() time.Time { return e.now }, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err := m.Deliver(context.Background(), tenant, "m1"); err != nil {
		t.Fatalf("a rejected mail is not an error to retry: %v", err)
	}
	if e.status(t, "m1") != "failed" {
		t.Errorf("status %q, want failed", e.status(t, "m1"))
	}

	e.outbox(t, "m2", "case-closed", "k2")
	for range 10 {
		if err := e.mailer.Deliver(context.Background(), tenant, "m2"); err == nil {
			t.Fatal("a failing send reported success")
		}
	}
	if err := e.mailer.Deliver(context.Background(), tenant, "m2"); err != nil || e.status(t, "m2") != "failed" {
		t.Errorf("after 10 attempts: err %v, status %q; want failed", err, e.status(t, "m2"))
	}
}

type rejectSender struct{}

func (rejectSender) Send(context.Context, mail.Message) (string, error) {
	return "", fmt.Errorf("ses send: %w: address blocked", mail.ErrRejected)
}

func TestReviewMailNeedsAReviewAddress(t *testing.T) {
	e := newEnv(t) // the env's mailer has no ReviewURL
	e.outbox(t, "m1", "review-request", "k1")
	if err := e.mailer.Deliver(context.Background(), tenant, "m1"); err != nil || e.status(t, "m1") != "failed" || len(e.sender.Sent()) != 0 {
		t.Errorf("err %v, status %q, sent %d", err, e.status(t, "m1"), len(e.sender.Sent()))
	}
}

func TestContactLocaleBeforeTenantLocale(t *testing.T) {
	e := newEnv(t)
	e.outbox(t, "m1", "case-closed", "k2") // Olle reads English
	if err := e.mailer.Deliver(context.Background(), tenant, "m1"); err != nil {
		t.Fatal(err)
	}
	if len(e.sender.Sent()) != 1 || e.sender.Sent()[0].Subject != "Case #12 is closed" {
		t.Errorf("mail %+v", e.sender.Sent())
	}
}

// TestMailOfGoneRecordsFailsForGood: a mail about a case that is gone
// (deleted), or to a contact the customer no longer has, can never be
// sent: it is marked failed, not retried.
func TestMailOfGoneRecordsFailsForGood(t *testing.T) {
	e := newEnv(t)
	e.outbox(t, "m1", "case-closed", "k9") // no such contact
	e.write(t, outbox.Mail{ID: "m2", Tenant: tenant, CreatedAt: timestamp.New(e.now), Text: "case-closed", CaseID: "case2",
		To: outbox.Recipient{CustomerID: "cust1", ContactID: "k1"}}) // no such case
	for _, id := range []string{"m1", "m2"} {
		if err := e.mailer.Deliver(context.Background(), tenant, id); err != nil || e.status(t, id) != "failed" {
			t.Errorf("%s: err %v, status %q; want failed", id, err, e.status(t, id))
		}
	}
	if len(e.sender.Sent()) != 0 {
		t.Errorf("sent %+v", e.sender.Sent())
	}
}

// TestUnreadableRecordsAreRetried: while the case or the contact cannot
// be read (the table unavailable), the mail stays pending for the next
// try, and goes out once they can.
func TestUnreadableRecordsAreRetried(t *testing.T) {
	e := newEnv(t)
	e.outbox(t, "m1", "case-closed", "k1")
	e.down = problem.New(problem.Unavailable, "The service is unavailable.")
	if err := e.mailer.Deliver(context.Background(), tenant, "m1"); err == nil || e.status(t, "m1") != "pending" {
		t.Fatalf("err %v, status %q; want an error and pending", err, e.status(t, "m1"))
	}
	e.down = nil
	if m := e.deliverOne(t, "m1"); m.To[0] != "karin@kund.example" || e.status(t, "m1") != "sent" {
		t.Errorf("mail %+v, status %q", m, e.status(t, "m1"))
	}
}

// TestMailToAUser: a mention mail goes to the user's address, with the
// values the change gave it and the assigned agent's details.
func TestMailToAUser(t *testing.T) {
	e := newEnv(t)
	e.write(t, outbox.Mail{ID: "m1", Tenant: tenant, CreatedAt: timestamp.New(e.now), Text: "mention", CaseID: "case1",
		To: outbox.Recipient{UserID: "erik"}, Values: map[string]string{"mention.author": "Anna", "comment.text": "Titta här"}})
	m := e.deliverOne(t, "m1")
	if m.To[0] != "erik@acme.example" || m.Subject != "Anna nämnde dig i ärende #12" || !strings.Contains(m.Text, "Titta här") ||
		!strings.Contains(m.Text, "https://app.example/cases/case1") {
		t.Errorf("mail %+v", m)
	}
}
