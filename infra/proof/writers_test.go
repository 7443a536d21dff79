package proof_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/mail"
	"github.com/workcloud/arendehantering/internal/mail/mailtest"
	"github.com/workcloud/arendehantering/internal/recurring"
	"github.com/workcloud/arendehantering/internal/scheduler"
	"github.com/workcloud/arendehantering/internal/timestamp"
	"github.com/workcloud/arendehantering/internal/wiring"
)

// writersAfter is how long after the seed the writers run: past the
// seeded case's SLA start target (a day), before the seeded recurring
// case's next occurrence.
const writersAfter = 3 * 24 * time.Hour

// writer is a change that does not come in through HTTP: a stream
// record's or a schedule's, delivered again by the platform when it
// fails.
type writer struct {
	name string
	// run does it once in the current instance; again is its event
	// delivered again after a failure, later.
	run, again func() outcome
	// ignore are attributes it keeps for its own bookkeeping, compared
	// by its own checks instead.
	ignore []string
	// settle, if set, maps a state a failure may leave that its design
	// settles later to the state it settles to.
	settle func(dump) dump
}

// mailerBookkeeping are what the mailer records on an outbox item beside
// its status (internal/mail: attrClaimedAt, attrAttempts, attrSentAt, and
// the item's expiry): when, and how often, it was tried.
var mailerBookkeeping = append([]string{"claimedAt", "attempts", "sentAt", dynamo.AttrTTL}, keyUse...)

// writers are the writers outside HTTP, in the seeded tenant s: the
// mailer's delivery of a pending outbox item, a recurring case's
// occurrence, the schedule of a definition (from the stream of its
// change), and an SLA breach alert of the seeded case.
func writers(w *world, s *tenant) []writer {
	w.t.Helper()
	ctx := context.Background()
	def := w.mustDo(request{as: s.admin(), method: "GET", path: "/v1/settings/recurring-cases/" + s.ids["/v1/settings/recurring-cases/{id}"]}, http.StatusOK)
	c := w.mustDo(request{as: s.admin(), method: "GET", path: "/v1/cases/" + s.refs["case"]}, http.StatusOK)
	next, _ := def.Obj("next")["at"].(string)
	at, due := stamp(w, next), stamp(w, c.Str("startBy"))
	occurrence, _ := json.Marshal(recurring.Trigger{Kind: recurring.KindOccurrence, Tenant: s.name, DefinitionID: def.Str("id"), ScheduledFor: &at})
	breach, _ := json.Marshal(recurring.Trigger{Kind: recurring.KindSLA, Tenant: s.name, CaseID: s.refs["case"], Target: "start", Due: &due})
	trigger := func(input []byte) func() outcome {
		return func() outcome {
			err := w.withScheduler().Recurring.Handle(ctx, input)
			return outcome{ok: err == nil, retryable: err != nil, detail: fmt.Sprint(err)}
		}
	}
	// The stream of a definition's change: its next occurrence scheduled.
	sync := func() outcome {
		err := w.withScheduler().Recurring.Sync(ctx, s.name, def.Str("id"))
		return outcome{ok: err == nil, retryable: err != nil, detail: fmt.Sprint(err)}
	}
	id := w.pendingMail()
	var sent *mailtest.Sender
	return []writer{
		{name: "mailer: deliver", ignore: mailerBookkeeping, settle: claimExpires,
			run: func() outcome {
				sent = &mailtest.Sender{}
				err := w.areas.Mailer(sent, mailConfig, discard).Deliver(ctx, s.name, id)
				if err == nil && len(sent.Sent()) != 1 {
					return outcome{detail: fmt.Sprintf("no error, but %d mails sent", len(sent.Sent()))}
				}
				return outcome{ok: err == nil, retryable: err != nil, detail: fmt.Sprint(err)}
			},
			// The stream delivers the record again, or the sweep finds the
			// item when its claim has expired: later.
			again: func() outcome {
				later := wiring.New(dynamo.Table{Client: w.faults, Name: dynamotest.TableName},
					func() time.Time { return w.clock.Now().Add(10 * time.Minute) }, wiring.WithLinks(w.links))
				err := later.Mailer(sent, mailConfig, discard).Deliver(ctx, s.name, id)
				if n := len(sent.Sent()); err == nil && n != 1 {
					return outcome{detail: fmt.Sprintf("sent %d times in all", n)}
				}
				return outcome{ok: err == nil, detail: fmt.Sprint(err)}
			}},
		{name: "recurring: an occurrence", run: trigger(occurrence), again: trigger(occurrence), ignore: keyUse},
		{name: "recurring: a definition's schedule", run: sync, again: sync, ignore: keyUse},
		{name: "recurring: an SLA alert", run: trigger(breach), again: trigger(breach), ignore: keyUse},
	}
}

// stamp reads a date-time of an answer.
func stamp(w *world, s string) timestamp.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		w.t.Fatalf("%q: %v", s, err)
	}
	return timestamp.New(t)
}

// claimExpires is a table with outbox items claimed for sending as
// pending: a claim whose sender died (or never heard it was made) is
// taken over when it expires (internal/mail: claimFor).
func claimExpires(d dump) dump {
	out := make(dump, len(d))
	for k, v := range d {
		if strings.Contains(k, "#OUTBOX#") {
			v = strings.Replace(v, `status="sending"`, `status="pending"`, 1)
		}
		out[k] = v
	}
	return out
}

var (
	mailConfig = mail.Config{From: "noreply@arende.example", AppURL: "https://app.arende.example", ReviewURL: "https://app.arende.example/review"}
	discard    = slog.New(slog.NewJSONHandler(io.Discard, nil))
)

// pendingMail is the ID of an outbox item of the seeded table still to
// send (the first by key: the same in every run).
func (w *world) pendingMail() string {
	w.t.Helper()
	var ids []string
	for _, it := range w.scan() {
		kind, status := render(it["kind"]), render(it["status"])
		if kind == `"OUTBOX"` && status == `"pending"` {
			key := strings.Trim(render(it[dynamo.AttrPK]), `"`)
			ids = append(ids, key[strings.LastIndex(key, "#")+1:])
		}
	}
	if len(ids) == 0 {
		w.t.Fatal("the seeded table has no outbox item to send")
	}
	slices.Sort(ids)
	return ids[0]
}

// withScheduler are the areas as the recurring function builds them:
// with a scheduler (one that keeps what it is given).
func (w *world) withScheduler() *wiring.Areas {
	return wiring.New(dynamo.Table{Client: w.faults, Name: dynamotest.TableName}, w.clock.Now,
		wiring.WithLinks(w.links), wiring.WithScheduler(&schedules{}, discard))
}

// schedules is a scheduler that keeps the schedules made.
type schedules struct {
	mu   sync.Mutex
	made map[string]scheduler.Schedule
}

func (s *schedules) Create(_ context.Context, sc scheduler.Schedule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.made == nil {
		s.made = map[string]scheduler.Schedule{}
	}
	s.made[sc.Name] = sc
	return nil
}

func (s *schedules) Delete(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.made, name)
	return nil
}
