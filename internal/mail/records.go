package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// Case is what a mail shows of a case.
type Case struct {
	Number     int64              `json:"number"`
	Title      string             `json:"title"`
	TypeID     string             `json:"typeId"`
	StatusID   string             `json:"statusId"`
	PriorityID string             `json:"priorityId"`
	Deadline   *time.Time         `json:"deadline"`
	Assignees  settings.Assignees `json:"assignees"`
}

// Contact is the customer's contact a mail goes to.
type Contact struct {
	CustomerName string
	Name         string
	Email        string
	// Locale is the contact's language, "" for the tenant's.
	Locale string
}

// Records gives what a mail tells of the case and of the contact it goes
// to, read when the mail is sent. A case or contact that is gone (deleted)
// answers a NotFound error: the mail can then never be sent.
type Records interface {
	Case(ctx context.Context, tenant, caseID string) (*Case, error)
	Contact(ctx context.Context, tenant, customerID, contactID string) (*Contact, error)
}

// tableRecords reads cases and customers from the table as the cases and
// customers areas store them. (It is the one place the mail area knows
// their stored shape; those areas may serve Records themselves.)
type tableRecords struct{ table dynamo.Table }

var _ Records = tableRecords{}

// Case reads a case; a deleted one (deletedAt) is not found.
func (r tableRecords) Case(ctx context.Context, tenant, caseID string) (*Case, error) {
	var c Case
	if err := r.get(ctx, dynamo.CasePK(tenant, caseID), dynamo.CaseSK, "case", &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Contact reads a customer and picks the contact out of it.
func (r tableRecords) Contact(ctx context.Context, tenant, customerID, contactID string) (*Contact, error) {
	var cu struct {
		Name     string `json:"name"`
		Contacts []struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Email  string `json:"email"`
			Locale string `json:"locale"`
		} `json:"contacts"`
	}
	if err := r.get(ctx, dynamo.CustomerPK(tenant, customerID), dynamo.CustomerSK, "customer", &cu); err != nil {
		return nil, err
	}
	for _, k := range cu.Contacts {
		if k.ID == contactID {
			return &Contact{CustomerName: cu.Name, Name: k.Name, Email: k.Email, Locale: k.Locale}, nil
		}
	}
	return nil, problem.New(problem.NotFound, "The contact is gone.")
}

// get reads the object at pk, sk into v; a deleted one is not found.
func (r tableRecords) get(ctx context.Context, pk, sk, noun string, v any) error {
	out, err := r.table.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(r.table.Name), Key: dynamo.Key(pk, sk)})
	if err != nil {
		return dynamo.Unavailable("read "+noun, err)
	}
	if _, deleted := out.Item["deletedAt"]; len(out.Item) == 0 || deleted {
		return problem.New(problem.NotFound, "The %s is gone.", noun)
	}
	if err := dynamo.DecodeData(out.Item, v); err != nil {
		return problem.Wrap(problem.Internal, fmt.Errorf("decode %s: %w", noun, err), "")
	}
	return nil
}
