// Package mail sends what the product mails: texts rendered from the
// tenant's settings (settings.Render) for the outbox items (package
// outbox) that changes write in their own transactions, sent by the mailer
// from the table's stream. A mail is never sent for a change that did not
// commit, and never lost because the mail service was down.
//
// The mailer reads what a mail tells of its case and of the contact it
// goes to through the interfaces the cases and customers areas own
// (cases.Reader, customers.Reader); it knows nothing of how they store
// them.
package mail

import "strings"

// HeaderSafe reports whether a value may go into a mail header: no line
// breaks or other control characters, which would let it add headers.
func HeaderSafe(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
