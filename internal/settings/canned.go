package settings

import (
	"strings"

	"github.com/workcloud/arendehantering/internal/problem"
)

// WrittenBody is the body of what staff write on a case (a comment, a
// message to its customer): body as sent, or the body of the canned
// response cannedID names, trimmed and from 1 to maxLen characters long.
// What is wrong goes into errs, at "body" and "cannedResponseId".
func (s *Snapshot) WrittenBody(body, cannedID string, maxLen int, errs *problem.Fields) string {
	if cannedID != "" {
		cr, ok := s.Canned[cannedID]
		switch {
		case !ok:
			errs.Add("cannedResponseId", "no canned response has the ID %q", cannedID)
		case body != "":
			errs.Add("body", "send a body or a canned response, not both")
		default:
			body = cr.Body
		}
	}
	body = strings.TrimSpace(body)
	errs.Text("body", body, 1, maxLen)
	return body
}
