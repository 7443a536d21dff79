package intake

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/workcloud/arendehantering/internal/apikeys"
	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
)

// Input is the body of POST /v1/external/cases.
type Input struct {
	// APIID is the case type's public API-ID; empty: the external
	// settings' default type.
	APIID       string         `json:"apiId,omitempty"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	Contact     *ContactInput  `json:"contact"`
	Fields      map[string]any `json:"fields,omitempty"`
	// Form are the answers to the case type's form (one customers fill),
	// by question key: a submission (see cases.NewCase.Form).
	Form map[string]any `json:"form,omitempty"`
	// Website is the honeypot (see Honeypot): filled, whatever it holds,
	// the request creates nothing (202).
	Website string `json:"website,omitempty"`
}

// ContactInput is who sends the form.
type ContactInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
}

// Bounds of what a form sends besides the case.
const (
	maxAPIID   = 64
	maxPerson  = 100
	maxPhone   = 40
	maxIdemKey = 255
)

// Receipt is the answer of a create: the new case's ID, number and time.
type Receipt struct {
	ID        string         `json:"id"`
	Number    int64          `json:"number"`
	CreatedAt timestamp.Time `json:"createdAt"`
}

// Submission is one POST /v1/external/cases as read.
type Submission struct {
	Key    apikeys.Presented
	Origin string
	// IdempotencyKey is the header's value ("" when none).
	IdempotencyKey string
	In             Input
	// Invalid is why the body could not be read (nil: it could).
	Invalid error
}

// Answer is what a submission answers: its status and body, and whether
// it is a replay of the first answer to its Idempotency-Key.
type Answer struct {
	Status   int
	Body     json.RawMessage
	Replayed bool
}

// errAgain: the submission raced a change of what it read (its key's
// minute, its contact); it is made again, read anew.
var errAgain = errors.New("read again")

// Submit creates a case from a website form (see the package comment
// for what it reads and writes), and answers the grant of the key when
// it authenticated, for the CORS answer.
func (s *Service) Submit(ctx context.Context, sub Submission) (*Answer, *apikeys.Grant, error) {
	if sub.IdempotencyKey != "" && !validIdempotencyKey(sub.IdempotencyKey) {
		sub.Invalid = merged(sub.Invalid, problem.FieldInvalid("Idempotency-Key", "must be 1 to %d visible ASCII characters", maxIdemKey))
	}
	for attempt := 1; ; attempt++ {
		a, g, err := s.submit(ctx, sub)
		if !errors.Is(err, errAgain) {
			return a, g, err
		}
		if attempt == 3 {
			return nil, g, problem.New(problem.Unavailable, "The case could not be saved; try again.")
		}
	}
}

// validIdempotencyKey reports whether an Idempotency-Key header may be
// used: 1 to maxIdemKey visible ASCII characters.
func validIdempotencyKey(k string) bool {
	return len(k) <= maxIdemKey && !strings.ContainsFunc(k, func(r rune) bool { return r < 0x21 || r > 0x7e })
}

// submit is one attempt of Submit.
func (s *Service) submit(ctx context.Context, sub Submission) (*Answer, *apikeys.Grant, error) {
	var recKey dynamo.Item
	if sub.IdempotencyKey != "" && sub.Invalid == nil {
		recKey = recordKey(sub.Key, sub.IdempotencyKey)
	}
	read, err := s.readFirst(ctx, sub.Key, lookupAddress(sub), recKey)
	if err != nil {
		return nil, nil, err
	}
	g, err := s.keys.Verify(sub.Key, read.key)
	if err != nil {
		return nil, nil, err
	}
	if err := checkOrigin(g, sub.Origin); err != nil {
		return nil, g, s.count(ctx, sub, err)
	}
	if sub.Invalid != nil {
		return nil, g, s.count(ctx, sub, sub.Invalid)
	}
	hash := bodyHash(sub.In)
	if read.record != nil {
		a, err := replay(read.record, hash)
		return a, g, s.count(ctx, sub, err)
	}
	if sub.In.Website != "" {
		body, _ := json.Marshal(map[string]bool{"accepted": true})
		return &Answer{Status: http.StatusAccepted, Body: body}, g, s.count(ctx, sub, nil)
	}
	f, err := s.plan(ctx, g, sub, read)
	if err != nil {
		return nil, g, s.count(ctx, sub, err)
	}
	f.Extra = func(c *cases.Case) ([]dynamo.Write, error) {
		writes := []dynamo.Write{s.keys.CountWrite(g)}
		if recKey == nil {
			return writes, nil
		}
		body, _ := json.Marshal(Receipt{ID: c.ID, Number: c.Number, CreatedAt: c.CreatedAt}) // cannot fail
		put, err := recordPut(recKey, record{BodyHash: hash, Status: http.StatusCreated, Body: body}, s.now())
		return append([]dynamo.Write{put}, writes...), err
	}
	c, err := s.cases.CreateFrom(ctx, g.Tenant, *f)
	if err != nil {
		return s.failed(ctx, sub, g, recKey, hash, err)
	}
	body, _ := json.Marshal(Receipt{ID: c.ID, Number: c.Number, CreatedAt: c.CreatedAt})
	return &Answer{Status: http.StatusCreated, Body: body}, g, nil
}

// lookupAddress is the sender's address to look up in the index of
// contacts by e-mail: none when it cannot be one (the create refuses it).
func lookupAddress(sub Submission) string {
	if sub.Invalid != nil || sub.In.Contact == nil {
		return ""
	}
	addr := strings.TrimSpace(sub.In.Contact.Email)
	var errs problem.Fields
	errs.Email("email", addr, true)
	if errs.Len() > 0 {
		return ""
	}
	return addr
}

// failed answers a create that CreateFrom refused.
func (s *Service) failed(ctx context.Context, sub Submission, g *apikeys.Grant, recKey dynamo.Item, hash string, err error) (*Answer, *apikeys.Grant, error) {
	switch {
	case errors.Is(err, errReplayed): // a request with the key committed first
		rec, rerr := s.readRecord(ctx, recKey)
		if rerr != nil || rec == nil {
			return nil, g, cmpErr(rerr, errAgain)
		}
		a, err := replay(rec, hash)
		return a, g, s.count(ctx, sub, err)
	case errors.Is(err, apikeys.ErrKeyRefused):
		if err := s.keys.Refused(ctx, sub.Key); err != nil {
			return nil, g, err
		}
		return nil, g, errAgain
	case errors.Is(err, cases.ErrMatchChanged):
		return nil, g, errAgain
	case problem.Status(problem.CodeOf(err)) < 500:
		return nil, g, s.count(ctx, sub, err)
	}
	return nil, g, err
}

// cmpErr is err when there is one, else otherwise.
func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// replay answers the record's answer again when the request's body is the
// one recorded (hash), and 422 when it is another.
func replay(rec *record, hash string) (*Answer, error) {
	if rec.BodyHash != hash {
		return nil, problem.New(problem.Unprocessable, "The Idempotency-Key was used before with another body; nothing was created. Use a new key for a new request.")
	}
	return &Answer{Status: rec.Status, Body: rec.Body, Replayed: true}, nil
}

// count counts a request that writes nothing else (refused, replayed, a
// honeypot's): every request a key authenticates counts toward its limit.
// It answers err, or the key's refusal (429) when the count finds the
// limit reached meanwhile.
func (s *Service) count(ctx context.Context, sub Submission, err error) error {
	if _, cerr := s.keys.Count(ctx, sub.Key); cerr != nil && problem.CodeOf(cerr) != problem.Unavailable {
		return cerr
	}
	return err
}

// plan checks the form against the key and the tenant's settings and
// answers the create it makes: the type of its API-ID (or the external
// settings' default), their status, priority and assignees, the contact
// matched by the sender's address or else the sender as requester. Every
// invalid field is answered at once.
func (s *Service) plan(ctx context.Context, g *apikeys.Grant, sub Submission, read *firstRead) (*cases.From, error) {
	snap, err := s.settings.Snapshot(ctx, g.Tenant)
	if err != nil {
		return nil, err
	}
	in := sub.In
	var errs problem.Fields
	t := formType(snap, in.APIID, &errs)
	if t != nil && !g.AllowsType(t.APIID) {
		return nil, notThisType(t.APIID)
	}
	requester := checkContact(in.Contact, &errs)
	ext := snap.External
	f := &cases.From{Source: cases.SourceExternal, By: g.By(), Requester: requester,
		Case: cases.NewCase{Title: in.Title, Description: in.Description, StatusID: ext.StatusID, PriorityID: ext.PriorityID, Fields: in.Fields,
			Form: in.Form, FormBy: cases.Answerer{Kind: cases.ByCustomer, Name: requesterName(requester)}}}
	if t != nil {
		f.Case.TypeID = t.ID
	}
	if len(ext.Assignees.Users)+len(ext.Assignees.Groups) > 0 {
		a := ext.Assignees
		f.Case.Assignees = &a
	}
	if errs.Len() > 0 {
		return nil, merged(errs.Err(), s.cases.CheckFrom(ctx, g.Tenant, *f))
	}
	if len(read.matches) == 1 { // a contact of exactly one customer has the address
		f.Match, f.Requester = &read.matches[0], nil
	}
	return f, nil
}

// formType is the case type of a form: the tenant's with the API-ID, or
// the external settings' default when none is sent.
func formType(snap *settings.Snapshot, apiID string, errs *problem.Fields) *settings.CaseType {
	if apiID == "" {
		t := snap.CaseTypes[snap.External.TypeID]
		if t == nil {
			errs.Add("apiId", "is required: this company has no default type for cases from outside")
		}
		return t
	}
	if len(apiID) > maxAPIID {
		errs.Add("apiId", "must be at most %d characters", maxAPIID)
		return nil
	}
	t := apikeys.TypeByAPIID(snap, apiID)
	if t == nil {
		errs.Add("apiId", "no case type of this company has the API-ID %q", apiID)
	}
	return t
}

// requesterName is the name of who sends the form ("" when none was sent).
func requesterName(r *cases.Requester) string {
	if r == nil {
		return ""
	}
	return r.Name
}

// checkContact checks who sends the form, and answers them as the case's
// requester (should no contact have their address).
func checkContact(in *ContactInput, errs *problem.Fields) *cases.Requester {
	if in == nil {
		errs.Add("contact", "is required: the sender's name and e-mail address")
		return nil
	}
	k := ContactInput{Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email), Phone: strings.TrimSpace(in.Phone)}
	errs.Text("contact.name", k.Name, 1, maxPerson)
	errs.Line("contact.name", k.Name)
	errs.Email("contact.email", k.Email, true)
	errs.Text("contact.phone", k.Phone, 0, maxPhone)
	errs.Line("contact.phone", k.Phone)
	return &cases.Requester{Name: k.Name, Email: k.Email, Phone: k.Phone}
}
