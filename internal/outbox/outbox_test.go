package outbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/outbox"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

const tenant = "acme"

var now = timestamp.New(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))

// TestWriteStoresAPendingItem: the item is pending, of the outbox kind,
// holds the mail, and is listed in the pending index under a key that
// PendingOf reads back.
func TestWriteStoresAPendingItem(t *testing.T) {
	db := dynamotest.New(t)
	m := outbox.Mail{ID: "m1", Tenant: tenant, CreatedAt: now, Text: "case-created", CaseID: "case1",
		To: outbox.Recipient{CustomerID: "cust1", ContactID: "k1"}, Values: map[string]string{"x": "y"}}
	w, err := outbox.Write(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Table.Commit(context.Background(), "write outbox", w); err != nil {
		t.Fatal(err)
	}
	out, err := db.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(db.Table.Name), Key: outbox.Key(tenant, "m1")})
	if err != nil {
		t.Fatal(err)
	}
	str := func(attr string) string {
		s, _ := out.Item[attr].(*types.AttributeValueMemberS)
		if s == nil {
			return ""
		}
		return s.Value
	}
	if str(outbox.AttrStatus) != outbox.Pending || dynamo.KindOf(out.Item) != outbox.Kind || str(dynamo.AttrGSI3PK) != dynamo.OutboxPendingPK {
		t.Errorf("item %v", out.Item)
	}
	var got outbox.Mail
	if err := dynamo.DecodeData(out.Item, &got); err != nil || got.To != m.To || got.Values["x"] != "y" || !got.CreatedAt.Equal(now.Time) {
		t.Errorf("stored mail %+v, %v", got, err)
	}
	if tn, id, ok := outbox.PendingOf(str(dynamo.AttrGSI3SK)); !ok || tn != tenant || id != "m1" {
		t.Errorf("PendingOf(%q) = %q, %q, %v", str(dynamo.AttrGSI3SK), tn, id, ok)
	}
}

// TestWriteOfAnExistingItemFails: an outbox ID used twice fails the
// transaction with an internal error, not a quiet overwrite.
func TestWriteOfAnExistingItemFails(t *testing.T) {
	db := dynamotest.New(t)
	for i, want := range []problem.Code{"", problem.Internal} {
		w, err := outbox.Write(outbox.Mail{ID: "m1", Tenant: tenant, CreatedAt: now, Text: "case-created", CaseID: "case1"})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Table.Commit(context.Background(), "write outbox", w)
		if (err == nil) != (want == "") || (err != nil && (problem.CodeOf(err) != want || !strings.Contains(err.Error(), "exists already"))) {
			t.Errorf("write %d: %v", i+1, err)
		}
	}
}

func TestPendingOfRefusesOtherKeys(t *testing.T) {
	for _, sk := range []string{"", "x", "t#acme", "t#acme#m1#x", "t##m1", "t#acme#"} {
		if _, _, ok := outbox.PendingOf(sk); ok {
			t.Errorf("PendingOf(%q) accepted", sk)
		}
	}
}
