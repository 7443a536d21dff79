package problem

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// document is the RFC 9457 body.
type document struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Code     Code         `json:"code"`
	Errors   []FieldError `json:"errors,omitempty"`
}

// titleOf is the title of a code, from the Catalog the problems page is
// written from.
func titleOf(code Code) string {
	for _, k := range Catalog {
		if k.Code == code {
			return k.Title
		}
	}
	return titleOf(Internal)
}

// Write answers err as application/problem+json. Errors without a code are
// logged in full and answered as a bare 500, so no internal detail leaks.
func Write(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := CodeOf(err)
	doc := document{
		Type:     "/docs/problems#" + string(code),
		Title:    titleOf(code),
		Status:   Status(code),
		Instance: r.URL.Path,
		Code:     code,
	}
	if e, ok := errors.AsType[*Error](err); ok {
		doc.Detail = e.Detail
		doc.Errors = e.Fields
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
		}
	}
	if doc.Status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "status", doc.Status, "err", err.Error())
		if code == Internal {
			doc.Detail = "Something went wrong on our side. Try again; if it persists, quote the request ID."
		}
	} else {
		log.InfoContext(r.Context(), "request refused", "status", doc.Status, "err", err.Error())
	}
	if code == Unavailable {
		w.Header().Set("Retry-After", "1")
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(doc.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // the detail says <token>, not \u003ctoken\u003e
	_ = enc.Encode(doc)
}
