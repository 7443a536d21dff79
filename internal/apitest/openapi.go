package apitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/workcloud/arendehantering/infra"
)

var (
	apiOnce   sync.Once
	apiRouter routers.Router
	apiErr    error
)

// documentRouter loads infra/openapi.yaml once per test binary.
func documentRouter() (routers.Router, error) {
	apiOnce.Do(func() {
		// The customer's page of a mail link answers HTML: checked as
		// text, against its status and headers.
		openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
		doc, err := openapi3.NewLoader().LoadFromData(infra.OpenAPI)
		if err != nil {
			apiErr = err
			return
		}
		doc.Servers = nil // match paths whatever host the test uses
		apiRouter, apiErr = legacy.NewRouter(doc)
	})
	return apiRouter, apiErr
}

// DateTimeLayout is how every date-time of the API is written: RFC 3339,
// UTC, with exactly three fraction digits (2026-11-26T09:00:00.100Z).
const DateTimeLayout = "2006-01-02T15:04:05.000Z"

var dateTimeShape = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)

// DateTime is the check of format date-time: the exact shape of
// DateTimeLayout, and a date and time that exist. kin-openapi's own check
// takes any RFC 3339 (an offset, no fraction or nine digits).
var DateTime = openapi3.NewCallbackValidator(func(s string) error {
	if !dateTimeShape.MatchString(s) {
		return fmt.Errorf("%q is not RFC 3339 UTC with exactly three fraction digits (%s)", s, DateTimeLayout)
	}
	if _, err := time.Parse(DateTimeLayout, s); err != nil {
		return fmt.Errorf("%q is not a date and time: %w", s, err)
	}
	return nil
})

// checkResponse reports to t (without stopping it: it may run on any
// goroutine) an answer that does not match what infra/openapi.yaml says
// the operation answers: status, headers, body. A 404 or 405 of a route
// the document does not know is accepted: an unknown route, answered as
// such.
func checkResponse(t testing.TB, req *http.Request, reqBody []byte, status int, header http.Header, body []byte) {
	t.Helper()
	router, err := documentRouter()
	if err != nil {
		t.Errorf("openapi.yaml: %v", err)
		return
	}
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(probe)
	if err != nil {
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return
		}
		t.Errorf("%s %s is not in openapi.yaml: %v", req.Method, req.URL.Path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: status,
		Header: header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidator("date-time", DateTime)}},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s answered %d, which openapi.yaml does not describe: %v\nbody: %s", req.Method, req.URL.Path, status, err, body)
	}
}
