//go:build e2e

// Package e2e drives the customer's page of a conversation link in a real
// browser (Debian's Chromium, through the DevTools protocol with
// chromedp) against the local stack, built and started as make run starts
// it. Run it with make e2e; make test leaves it out (it needs a browser).
// Screenshots of each page go to build/e2e/.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium is Debian's Chromium; CHROMIUM names another.
func chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// shots is where the screenshots go: build/e2e of the repository.
var shots = filepath.Join("..", "..", "build", "e2e")

// stack is the local stack, running.
type stack struct {
	t    *testing.T
	base string // http://localhost:<port>, where its mail links point
}

// startStack builds the local stack and starts it on a free port with its
// mail in a temporary directory, and waits until it answers /healthz.
func startStack(t *testing.T) *stack {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "local")
	build := exec.Command("go", "build", "-o", bin, "github.com/workcloud/arendehantering/infra/local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the local stack: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	logFile, err := os.Create(filepath.Join(shots, "local-stack.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORT="+port, "HOST=127.0.0.1", "MAIL_DIR="+t.TempDir())
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_, _ = cmd.Process.Wait()
		logFile.Close()
	})
	s := &stack{t: t, base: "http://localhost:" + port}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get("http://127.0.0.1:" + port + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the local stack did not answer /healthz in 30 s (see %s)", logFile.Name())
		}
	}
}

// call sends a JSON request as the holder of token ("" for none) and
// decodes the answer.
func (s *stack) call(method, path, token string, body any) (int, map[string]any) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// must is call that insists on status want.
func (s *stack) must(want int, method, path, token string, body any) map[string]any {
	s.t.Helper()
	code, out := s.call(method, path, token, body)
	if code != want {
		s.t.Fatalf("%s %s: %d, want %d: %v", method, path, code, want, out)
	}
	return out
}

// token is a development token of the demo tenant.
func (s *stack) token(user string, roles ...string) string {
	s.t.Helper()
	return s.must(http.StatusOK, "POST", "/dev/tokens", "", map[string]any{"user": user, "roles": roles})["token"].(string)
}

var linkPattern = regexp.MustCompile(`/c/[A-Za-z0-9._-]+`)

// link waits for a mail to addr whose subject has subject, newer than the
// ones seen, and answers the conversation link in it.
func (s *stack) link(addr, subject string, seen map[string]bool) string {
	s.t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, out := s.call("GET", "/dev/mail", "", nil)
		items, _ := out["items"].([]any)
		for _, it := range items {
			m := it.(map[string]any)
			file, _ := m["file"].(string)
			to, _ := m["to"].([]any)
			if seen[file] || len(to) == 0 || to[0] != addr || !strings.Contains(m["subject"].(string), subject) {
				continue
			}
			seen[file] = true
			for _, l := range m["links"].([]any) {
				if p := linkPattern.FindString(l.(string)); p != "" && strings.HasPrefix(l.(string), s.base) {
					return s.base + p
				}
			}
			s.t.Fatalf("the mail %q to %s has no link to the page: %v", m["subject"], addr, m["text"])
		}
	}
	s.t.Fatalf("no mail %q to %s came", subject, addr)
	return ""
}

// browser is a tab of headless Chromium that records every request it
// makes and the headers of every page it is answered.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	requests []string
	headers  map[string]network.Headers // by document URL
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	if _, err := os.Stat(chromium()); err != nil {
		t.Fatalf("no Chromium at %s (apt-get install -y chromium, or set CHROMIUM): %v", chromium(), err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium()), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancel(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, headers: map[string]network.Headers{}}
	// A phone's screen: the page is read on phones.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, b.record); err != nil {
		t.Fatal(err)
	}
	return b
}

// record keeps what a network event tells (it runs in the tab's loop:
// fast, no commands).
func (b *browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, ev.Request.URL)
	case *network.EventResponseReceived:
		if ev.Type == network.ResourceTypeDocument {
			b.headers[ev.Response.URL] = ev.Response.Headers
		}
	}
}

// open navigates to u and waits for its page.
func (b *browser) open(u string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		b.t.Fatalf("open %s: %v", u, err)
	}
}

// text is the page's visible text.
func (b *browser) text() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// location is the page's URL.
func (b *browser) location() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// shot saves a screenshot of the whole page as build/e2e/<name>.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// header is a header of the document at u as the browser got it.
func (b *browser) header(u, name string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, v := range b.headers[u] {
		if strings.EqualFold(k, name) {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// mustSay fails unless the page's text holds every s.
func (b *browser) mustSay(ss ...string) {
	b.t.Helper()
	text := b.text()
	for _, s := range ss {
		if !strings.Contains(text, s) {
			b.t.Errorf("the page does not say %q:\n%s", s, text)
		}
	}
}

// TestCustomerConversation is the conversation in the browser: staff
// write, the customer opens the mailed link, reads, replies; staff see
// the reply and the assignee is notified; a revoked and an expired link
// show their pages, and a fresh link works. Nothing is loaded from
// another origin, and every page carries the Content-Security-Policy.
func TestCustomerConversation(t *testing.T) {
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	s := startStack(t)
	b := newBrowser(t)
	seen := map[string]bool{}

	// Staff: a case for Karin Lund (Bostadsbolaget Norr AB), assigned to
	// erik, with an internal comment, and a message to her.
	erik := s.token("erik", "agent")
	customers := s.must(http.StatusOK, "GET", "/v1/customers", erik, nil)["items"].([]any)
	var customerID, contactID string
	for _, c := range customers {
		c := c.(map[string]any)
		for _, k := range c["contacts"].([]any) {
			if k := k.(map[string]any); k["email"] == "karin.lund@bostadnorr.example" {
				customerID, contactID = c["id"].(string), k["id"].(string)
			}
		}
	}
	if contactID == "" {
		t.Fatal("the demo tenant has no Karin Lund")
	}
	c := s.must(http.StatusCreated, "POST", "/v1/cases", erik, map[string]any{"title": "Läckande kran i tvättstugan",
		"customerId": customerID, "contactId": contactID, "assignees": map[string]any{"users": []string{"erik"}}})
	caseID := c["id"].(string)
	s.must(http.StatusCreated, "POST", "/v1/cases/"+caseID+"/comments", erik, map[string]any{"body": "INTERN-KOMMENTAR: ring fastighetsskötaren först"})
	s.must(http.StatusCreated, "POST", "/v1/cases/"+caseID+"/messages", erik, map[string]any{"body": "Hej Karin! Vi kommer på torsdag mellan 8 och 10."})
	first := s.link("karin.lund@bostadnorr.example", "Nytt meddelande", seen)

	// The customer's page.
	b.open(first)
	b.mustSay("Demo Fastighetsservice AB", "Läckande kran i tvättstugan", "Vi kommer på torsdag mellan 8 och 10.", "Erik Eriksson", "Ditt svar")
	if strings.Contains(b.text(), "INTERN-KOMMENTAR") {
		t.Error("the page shows the internal comment")
	}
	csp := b.header(first, "Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for name, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"} {
		if got := b.header(first, name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	b.shot("1-conversation")

	// The reply form: post, redirect, the page again with the reply.
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.CSS("textarea#body"), "Det passar bra, porten är öppen."),
		chromedp.Click(chromedp.CSS("form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".notice"))); err != nil {
		t.Fatalf("reply: %v", err)
	}
	if !strings.HasSuffix(b.location(), "?sent=reply") {
		t.Errorf("after the reply the page is %s, want the page again (post/redirect/get)", b.location())
	}
	b.mustSay("Tack! Ditt svar är skickat.", "Det passar bra, porten är öppen.")
	b.shot("2-replied")

	// Staff see the reply; the assignee has a notification.
	msgs := s.must(http.StatusOK, "GET", "/v1/cases/"+caseID+"/messages", erik, nil)["items"].([]any)
	if last := msgs[len(msgs)-1].(map[string]any); last["direction"] != "in" || last["body"] != "Det passar bra, porten är öppen." {
		t.Errorf("staff see last %v", last)
	}
	inbox := s.must(http.StatusOK, "GET", "/v1/notifications", erik, nil)["items"].([]any)
	if !slices.ContainsFunc(inbox, func(n any) bool {
		return n.(map[string]any)["type"] == "customer-reply" && n.(map[string]any)["caseId"] == caseID
	}) {
		t.Errorf("erik's inbox has no customer-reply: %v", inbox)
	}

	// Revoked: every link sent before stops working.
	s.must(http.StatusNoContent, "DELETE", "/v1/cases/"+caseID+"/links", erik, nil)
	b.open(first)
	b.mustSay("Länken fungerar inte", "This link does not work")
	if strings.Contains(b.text(), "Läckande") {
		t.Error("the revoked link's page shows the case")
	}
	b.shot("3-revoked")

	// Expired: a new message mails a new link; a month later it has
	// expired, and the page offers a fresh one, which works.
	s.must(http.StatusCreated, "POST", "/v1/cases/"+caseID+"/messages", erik, map[string]any{"body": "Har det slutat läcka?"})
	second := s.link("karin.lund@bostadnorr.example", "Nytt meddelande", seen)
	b.open(second)
	b.mustSay("Har det slutat läcka?")
	s.must(http.StatusOK, "POST", "/dev/clock", "", map[string]any{"advance": "P31D"})
	b.open(second)
	b.mustSay("Länken har gått ut", "Skicka en ny länk")
	if strings.Contains(b.text(), "Läckande") {
		t.Error("the expired link's page shows the case")
	}
	b.shot("4-expired")
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS("form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".notice"))); err != nil {
		t.Fatalf("ask for a fresh link: %v", err)
	}
	b.mustSay("Vi har skickat en ny länk")
	b.shot("5-fresh-link-sent")
	fresh := s.link("karin.lund@bostadnorr.example", "Ny länk", seen)
	b.open(fresh)
	b.mustSay("Har det slutat läcka?", "Det passar bra, porten är öppen.")
	b.shot("6-fresh-link")

	// Nothing left the origin: every request the browser made was to the
	// stack.
	b.mu.Lock()
	defer b.mu.Unlock()
	origin, _ := url.Parse(s.base)
	for _, r := range b.requests {
		u, err := url.Parse(r)
		if err != nil || u.Scheme+"://"+u.Host != origin.Scheme+"://"+origin.Host {
			t.Errorf("a request left the origin %s: %s", s.base, r)
		}
	}
	if len(b.requests) < 8 {
		t.Errorf("only %d requests recorded: %v", len(b.requests), b.requests)
	}
	t.Logf("%d requests, all to %s; screenshots in %s", len(b.requests), s.base, shots)
}
