package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/mail/mailtest"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// TestMailerSettingsAreTenSecondsOldAtMost: the README promises that a
// warm function answers from settings at most 10 seconds old. A user the
// admin adds after the mailer loaded the settings gets their mail once
// those 10 seconds have passed.
func TestMailerSettingsAreTenSecondsOldAtMost(t *testing.T) {
	db := dynamotest.New(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	admin := settings.NewService(db.Table, clock, 0) // the settings function, elsewhere
	if err := admin.ImportDirectory(ctx, "acme", []settings.User{
		{Meta: settings.Meta{ID: "erik"}, Name: "Erik", Email: "erik@acme.example", Roles: []string{"agent"}}}, nil); err != nil {
		t.Fatal(err)
	}
	sender := &mailtest.Sender{}
	m := newMailer(db.Table, sender, mail.Config{From: "noreply@arende.example"}, clock, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	outbox := func(id, user string) {
		t.Helper()
		w, err := outbox.Write(outbox.Mail{ID: id, Tenant: "acme", CreatedAt: timestamp.New(now), Text: "mention", To: outbox.Recipient{UserID: user}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Table.Commit(ctx, "write outbox", w); err != nil {
			t.Fatal(err)
		}
		if err := m.Deliver(ctx, "acme", id); err != nil {
			t.Fatal(err)
		}
	}
	outbox("m1", "erik") // loads (and keeps) the settings

	now = now.Add(time.Second)
	if err := admin.ImportDirectory(ctx, "acme", []settings.User{
		{Meta: settings.Meta{ID: "anna"}, Name: "Anna", Email: "anna@acme.example", Roles: []string{"agent"}}}, nil); err != nil {
		t.Fatal(err)
	}
	now = now.Add(10 * time.Second)
	outbox("m2", "anna")
	if sent := sender.Sent(); len(sent) != 2 || sent[1].To[0] != "anna@acme.example" {
		t.Errorf("sent %+v; want a mail to anna, whom the settings have had for 10 seconds", sent)
	}
}
