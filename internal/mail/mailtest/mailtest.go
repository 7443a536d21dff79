// Package mailtest is test support for what sends mail: a mail.Sender
// that keeps what it is given instead of sending it. Only _test.go files
// import it.
package mailtest

import (
	"context"
	"errors"
	"sync"

	"github.com/workcloud/arendehantering/internal/mail"
)

// Sender is a mail.Sender that keeps every mail it sends, in order. Fail,
// when set, decides which sends fail instead, as SES's would when it is
// down; set it only while no send runs. It is safe for concurrent sends.
type Sender struct {
	Fail func(mail.Message) bool

	mu   sync.Mutex
	sent []mail.Message
}

// Send keeps m, or fails it (Fail); its message ID is "msg-" and the
// outbox ID.
func (s *Sender) Send(_ context.Context, m mail.Message) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Fail != nil && s.Fail(m) {
		return "", errors.New("ses: service unavailable")
	}
	s.sent = append(s.sent, m)
	return "msg-" + m.OutboxID, nil
}

// Sent is every mail sent so far, in order.
func (s *Sender) Sent() []mail.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]mail.Message(nil), s.sent...)
}

// To counts the mails sent so far to addr (their first recipient).
func (s *Sender) To(addr string) int {
	n := 0
	for _, m := range s.Sent() {
		if m.To[0] == addr {
			n++
		}
	}
	return n
}

var _ mail.Sender = (*Sender)(nil)
