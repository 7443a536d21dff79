// Command local runs the whole product on one machine: every area's
// handlers on one mux, an embedded DynamoDB-compatible server, a seeded
// demo tenant and development tokens. See the README.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
	_ "time/tzdata" // zones compute the same as in the functions that compute them

	"github.com/aws/aws-sdk-go-v2/aws"
	miniserver "github.com/truora/minidyn/server"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/linktoken"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
}

// run serves the stack until ctx ends, configured by getenv, telling the
// user on out where it listens once it does.
func run(ctx context.Context, getenv func(string) string, out io.Writer) error {
	log := slog.New(slog.NewJSONHandler(out, nil))
	envOr := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}

	port := envOr("PORT", "8080")
	// Loopback only by default: /dev/tokens hands out admin tokens for any
	// tenant, which nobody else on the network should get.
	host := envOr("HOST", "127.0.0.1")
	endpoint := getenv("DYNAMODB_ENDPOINT")
	if endpoint == "" {
		// The embedded server listens on loopback only; it holds data in
		// memory for as long as the process runs.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("listen for embedded dynamodb: %w", err)
		}
		go func() { _ = http.Serve(ln, miniserver.NewServer()) }()
		endpoint = "http://" + ln.Addr().String()
	}
	client := dynamo.NewClient(aws.Config{}, endpoint)
	secret := []byte(getenv("DEV_TOKEN_SECRET"))
	if len(secret) == 0 {
		secret = []byte(rand.Text() + rand.Text())
	}
	// Listen before anything else is said: a busy port is an error, not a
	// banner followed by one.
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("listen on %s:%s (set PORT to another port): %w", host, port, err)
	}
	defer ln.Close()
	port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	links := conversations.Links{PortalURL: getenv("PORTAL_URL")}
	if keys := getenv("LINK_KEYS"); keys != "" {
		// The secret's JSON, as in AWS; unset, a key ring is made per start.
		if links.Ring, err = linktoken.ParseRing([]byte(keys)); err != nil {
			return err
		}
	}
	clock := &devClock{}
	st, err := newStack(ctx, stackConfig{
		Client: client, TableName: envOr("TABLE_NAME", "arende-local"),
		TokenSecret: secret, Log: log, Now: clock.Now, MailDir: envOr("MAIL_DIR", filepath.Join("tmp", "mail")),
		BaseURL: "http://localhost:" + port, Links: links, Clock: clock,
	})
	if err != nil {
		return err
	}
	go st.deliverMail(ctx, log)
	go st.runSchedules(ctx, log)

	srv := &http.Server{Handler: st.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(out, `
Ärendehantering local stack on http://localhost:%[1]s  (DynamoDB: %[2]s)

  API docs:   http://localhost:%[1]s/docs
  Health:     curl -s localhost:%[1]s/healthz
  A token:    TOKEN=$(curl -s --json '{"tenant":"demo","user":"anna","roles":["admin"]}' localhost:%[1]s/dev/tokens | sed 's/.*"token":"\([^"]*\)".*/\1/')
  Then:       curl -s localhost:%[1]s/v1/settings/statuses -H "Authorization: Bearer $TOKEN"

  Mail:       written to %[3]s as .eml files; curl -s localhost:%[1]s/dev/mail lists them
  Customers:  a message to a case's contact (POST /v1/cases/{id}/messages) mails a link to
              http://localhost:%[1]s/c/<token>, the customer's page (keys: LINK_KEYS, else new per start)
  Later:      curl -s --json '{"advance":"P31D"}' localhost:%[1]s/dev/clock moves the stack's clock on
  Demo tenant "demo": admin anna; agents erik and sara (group support).
  Data lives in memory and is gone when the process stops.

`, port, endpoint, envOr("MAIL_DIR", filepath.Join("tmp", "mail")))
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
