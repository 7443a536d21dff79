package customers

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// The index of contacts by e-mail address. Website intake matches the
// sender of a form to a contact by the address typed in, without a scan
// and in the BatchGetItem that reads its API key: one item per address of
// a tenant (dynamo.ContactEmailPK, the address lower-cased), with one
// attribute per contact that has the address, "c#<customerId>#<contactId>",
// holding what a case of that contact takes of them (the customer's and
// the contact's names, JSON). The customer's own writes keep it: a create
// adds its contacts' entries, an update writes those whose address, name
// or customer name changed, a delete clears them, each in the customer's
// transaction.
//
// A contact that no longer has an address keeps its attribute on that
// address's item with the value "" (gone), rather than having it removed:
// the value alone says whether it matches, and the embedded server the
// tests run on does not remove attributes (its REMOVE is a no-op), so the
// index behaves the same there as in AWS. A mark is a few dozen bytes.

// kindContactEmail is the kind of an address's index item.
const kindContactEmail = "contact-email"

// emailAttrPrefix starts the attribute of a contact on an address's item.
const emailAttrPrefix = "c#"

// emailNames is what the index keeps of a contact: the names a case of it
// is found by (its customer's and its own).
type emailNames struct {
	Customer string `json:"customer"`
	Contact  string `json:"contact"`
}

// emailAttr is the attribute of a contact on its address's item.
func emailAttr(customerID, contactID string) string {
	return emailAttrPrefix + customerID + "#" + contactID
}

// emailKey is the key of an address's index item.
func emailKey(tenant, email string) dynamo.Item {
	return dynamo.Key(dynamo.ContactEmailPK(tenant, email), dynamo.ContactEmailSK)
}

// emailEntries are the index entries of customer c (none for nil): by
// lower-cased address, the attribute of each contact with its value.
func emailEntries(c *Customer) map[string]map[string]string {
	out := map[string]map[string]string{}
	if c == nil {
		return out
	}
	for _, k := range c.Contacts {
		if k.Email == "" {
			continue
		}
		addr := strings.ToLower(k.Email)
		if out[addr] == nil {
			out[addr] = map[string]string{}
		}
		v, _ := json.Marshal(emailNames{Customer: c.Name, Contact: k.Name}) // two strings: cannot fail
		out[addr][emailAttr(c.ID, k.ID)] = string(v)
	}
	return out
}

// emailWrites are the writes that take the index from customer old (nil:
// none yet) to next (nil: deleted): one Update per address whose entries
// change, so that no transaction holds two writes of one item. They have
// no conditions: the customer's own write guards the change.
func emailWrites(tenant string, old, next *Customer) []dynamo.Write {
	before, after := emailEntries(old), emailEntries(next)
	changes := map[string]map[string]string{}
	change := func(addr, attr, value string) {
		if changes[addr] == nil {
			changes[addr] = map[string]string{}
		}
		changes[addr][attr] = value
	}
	for addr, attrs := range before {
		for attr := range attrs {
			if _, kept := after[addr][attr]; !kept {
				change(addr, attr, "") // gone from this address
			}
		}
	}
	for addr, attrs := range after {
		for attr, v := range attrs {
			if before[addr][attr] != v {
				change(addr, attr, v)
			}
		}
	}
	var writes []dynamo.Write
	for _, addr := range slices.Sorted(maps.Keys(changes)) {
		set := []string{"#kind = :kind"}
		names := map[string]string{"#kind": dynamo.AttrKind}
		values := map[string]types.AttributeValue{":kind": dynamo.S(kindContactEmail)}
		for i, attr := range slices.Sorted(maps.Keys(changes[addr])) {
			n, v := fmt.Sprintf("#c%d", i), fmt.Sprintf(":c%d", i)
			set, names[n], values[v] = append(set, n+" = "+v), attr, dynamo.S(changes[addr][attr])
		}
		writes = append(writes, dynamo.Change(dynamo.Update{Key: emailKey(tenant, addr), Set: "SET " + strings.Join(set, ", "),
			Names: names, Values: values}, dynamo.Cond{}, nil))
	}
	return writes
}

// EmailMatch is a contact of one of the tenant's customers with the
// e-mail address looked up, with the names a case of it takes.
type EmailMatch struct {
	CustomerID   string
	ContactID    string
	CustomerName string
	ContactName  string

	key   dynamo.Item
	attr  string
	value string
}

// Check is the write, for the transaction of a case that takes the match,
// that holds while the contact still has the address and the names are
// still these (a rename, a change of address and a removal all change
// them): what the case took is true when it commits. fails is what its
// failure means to the caller.
func (m EmailMatch) Check(fails error) dynamo.Write {
	return dynamo.Check(m.key, dynamo.Cond{Expr: "#c = :c", Names: map[string]string{"#c": m.attr},
		Values: map[string]types.AttributeValue{":c": dynamo.S(m.value)}}, fails)
}

// EmailLookup is the read of the contacts that have one e-mail address,
// for a caller that reads it with other items in one BatchGetItem: Key is
// the item to read, Matches what it holds. It makes no DynamoDB call.
type EmailLookup struct {
	pk string
}

// LookupEmail is the lookup of the tenant's contacts with the address
// (compared case-insensitively). The caller validates the address.
func (s *Service) LookupEmail(tenant, email string) EmailLookup {
	return EmailLookup{pk: dynamo.ContactEmailPK(tenant, email)}
}

// Key is the key of the item to read.
func (l EmailLookup) Key() dynamo.Item { return dynamo.Key(l.pk, dynamo.ContactEmailSK) }

// Matches are the contacts the item read says have the address, by
// customer and contact ID; none when the item does not exist (nil).
func (l EmailLookup) Matches(it dynamo.Item) ([]EmailMatch, error) {
	var out []EmailMatch
	for _, attr := range slices.Sorted(maps.Keys(it)) {
		ids, ok := strings.CutPrefix(attr, emailAttrPrefix)
		sv, isS := it[attr].(*types.AttributeValueMemberS)
		if !ok || !isS || sv.Value == "" {
			continue
		}
		customerID, contactID, _ := strings.Cut(ids, "#")
		var n emailNames
		if err := json.Unmarshal([]byte(sv.Value), &n); err != nil {
			return nil, problem.Wrap(problem.Internal, fmt.Errorf("decode contact e-mail entry %s: %w", attr, err), "")
		}
		out = append(out, EmailMatch{CustomerID: customerID, ContactID: contactID, CustomerName: n.Customer, ContactName: n.Contact,
			key: l.Key(), attr: attr, value: sv.Value})
	}
	return out, nil
}

// ContactsByEmail reads the tenant's contacts with the e-mail address
// (compared case-insensitively): one strongly consistent GetItem. None is
// an empty answer, not an error.
func (s *Service) ContactsByEmail(ctx context.Context, tenant, email string) ([]EmailMatch, error) {
	l := s.LookupEmail(tenant, email)
	it, err := s.store.get(ctx, "get contacts by e-mail", l.Key())
	if err != nil {
		return nil, err
	}
	return l.Matches(it)
}

// fitsOne answers writes when one transaction holds them, else 400 on the
// contacts: each contact costs a guard and an index entry.
func fitsOne(writes []dynamo.Write) ([]dynamo.Write, error) {
	if len(writes) > dynamo.MaxTxWrites {
		return nil, problem.FieldInvalid("contacts", "this change would write %d items in one transaction (each contact added or removed, and each e-mail address changed, is one or two); at most %d are possible: make it in two steps",
			len(writes), dynamo.MaxTxWrites)
	}
	return writes, nil
}

// fitsDelete answers writes when one transaction holds them, else 409: a
// customer with nearly the most contacts, all with addresses, is deleted
// after some of its contacts are removed.
func fitsDelete(writes []dynamo.Write) ([]dynamo.Write, error) {
	if len(writes) > dynamo.MaxTxWrites {
		return nil, problem.New(problem.Conflict, "Deleting this customer would write %d items in one transaction; at most %d are possible. Remove some of its contacts first, then delete it.",
			len(writes), dynamo.MaxTxWrites)
	}
	return writes, nil
}
