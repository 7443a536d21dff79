package main

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/workcloud/arendehantering/internal/httpapi"
	mailer "github.com/workcloud/arendehantering/internal/mail"
)

// mailFiles is the local stack's mail service: each message becomes an
// .eml file in dir, which any mail program opens, and GET /dev/mail lists.
type mailFiles struct {
	dir string
	now func() time.Time
	mu  sync.Mutex
	n   int
}

var _ mailer.Sender = (*mailFiles)(nil)

// Send writes m as an .eml file.
func (f *mailFiles) Send(_ context.Context, m mailer.Message) (string, error) {
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return "", fmt.Errorf("mail dir: %w", err)
	}
	f.mu.Lock()
	f.n++
	n := f.n
	f.mu.Unlock()
	now := f.now().UTC()
	id := fmt.Sprintf("%s-%04d-%s", now.Format("20060102T150405.000"), n, m.OutboxID)
	var b bytes.Buffer
	header := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	header("Message-ID", "<"+id+"@local>")
	header("Date", now.Format(time.RFC1123Z))
	header("From", m.From)
	header("To", strings.Join(m.To, ", "))
	header("Reply-To", m.ReplyTo)
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("X-Tenant", m.Tenant)
	header("X-Configuration-Set", m.ConfigurationSet)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	b.WriteString(strings.ReplaceAll(m.Text, "\n", "\r\n"))
	if err := os.WriteFile(filepath.Join(f.dir, id+".eml"), b.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("write mail: %w", err)
	}
	return id, nil
}

// sentMail is one entry of GET /dev/mail.
type sentMail struct {
	File    string   `json:"file"`
	Date    string   `json:"date"`
	From    string   `json:"from"`
	To      []string `json:"to"`
	ReplyTo string   `json:"replyTo,omitempty"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	Links   []string `json:"links"`
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// list answers the mail written so far, newest first.
func (f *mailFiles) list(w http.ResponseWriter, r *http.Request) error {
	entries, err := os.ReadDir(f.dir)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	out := []sentMail{}
	for _, e := range slices.Backward(entries) {
		if !strings.HasSuffix(e.Name(), ".eml") {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(f.dir, e.Name()))
		if err != nil {
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			continue
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(msg.Body)
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		text := strings.ReplaceAll(body.String(), "\r\n", "\n")
		var to []string
		if list, err := msg.Header.AddressList("To"); err == nil {
			for _, a := range list {
				to = append(to, a.Address)
			}
		}
		links := linkPattern.FindAllString(text, -1)
		if links == nil {
			links = []string{}
		}
		out = append(out, sentMail{File: filepath.Join(f.dir, e.Name()), Date: msg.Header.Get("Date"), From: msg.Header.Get("From"),
			To: to, ReplyTo: msg.Header.Get("Reply-To"), Subject: subject, Text: text, Links: links})
	}
	httpapi.Write(w, http.StatusOK, map[string]any{"items": out})
	return nil
}
