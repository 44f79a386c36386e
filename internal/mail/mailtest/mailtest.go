// Package mailtest runs a real SMTP server (go-smtp) on the loopback interface
// for tests, keeps every mail it receives and reads them back as a mail
// program would: headers decoded, text and HTML parts separated.
package mailtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one mail as the server took it.
type Received struct {
	From string
	To   []string
	Data []byte
}

// Server is a running SMTP server that accepts every mail without sign-in.
type Server struct {
	srv    *smtp.Server
	addr   string
	reject func(rcpt string) bool

	mu     sync.Mutex
	mails  []Received
	notify chan struct{}
}

// Start runs a server on a free loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartOn(t, "127.0.0.1:0")
}

// StartOn runs a server on addr until the test ends.
func StartOn(t testing.TB, addr string) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("mailtest: listen on %s: %v", addr, err)
	}

	s := &Server{addr: ln.Addr().String(), notify: make(chan struct{}, 1)}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "mailtest.localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.ErrorLog = discardLog{}
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { _ = s.srv.Close() })

	return s
}

// FreeAddr returns a loopback address on which nothing listens, for a mail
// server that is down until StartOn starts it there.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: find a free port: %v", err)
	}
	defer ln.Close()

	return ln.Addr().String()
}

// URL returns the SMTP_URL of the server.
func (s *Server) URL() string {
	return "smtp+plain://" + s.addr
}

// Reject makes the server refuse recipients for which refuse is true with
// 550, as a server does for an unknown mailbox.
func (s *Server) Reject(refuse func(rcpt string) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = refuse
}

// Mails returns the mails received so far.
func (s *Server) Mails() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()

	return append([]Received(nil), s.mails...)
}

// Wait returns the received mails once there are at least n, and fails the
// test when they have not come within timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if got := s.Mails(); len(got) >= n {
			return got
		}

		select {
		case <-s.notify:
		case <-deadline:
			t.Fatalf("mailtest: %d mails received within %s, want %d", len(s.Mails()),
				timeout, n)
		}
	}
}

func (s *Server) add(m Received) {
	s.mu.Lock()
	s.mails = append(s.mails, m)
	s.mu.Unlock()

	select {
	case s.notify <- struct{}{}:
	default:
	}
}

func (s *Server) refuses(rcpt string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.reject != nil && s.reject(rcpt)
}

type backend struct{ s *Server }

// NewSession starts the session of one connection.
func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s}, nil
}

type session struct {
	s    *Server
	from string
	to   []string
}

// Mail takes the envelope sender.
func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	se.from = from
	return nil
}

// Rcpt takes a recipient, or refuses it as Reject says.
func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if se.s.refuses(to) {
		return &smtp.SMTPError{
			Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "mailbox unavailable: " + to,
		}
	}

	se.to = append(se.to, to)

	return nil
}

// Data keeps the mail.
func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}

	se.s.add(Received{From: se.from, To: se.to, Data: b})

	return nil
}

// Reset forgets the envelope for the next mail.
func (se *session) Reset() {
	se.from, se.to = "", nil
}

// Logout ends the session.
func (se *session) Logout() error { return nil }

type discardLog struct{}

// Printf drops a server log line.
func (discardLog) Printf(string, ...any) {}

// Println drops a server log line.
func (discardLog) Println(...any) {}

// Parsed is a received mail as its reader sees it.
type Parsed struct {
	Header  mail.Header
	Subject string
	Text    string
	HTML    string
}

// Parse decodes the mail's headers and its text and HTML parts.
func (m Received) Parse() (Parsed, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return Parsed{}, fmt.Errorf("read mail: %w", err)
	}

	p := Parsed{Header: msg.Header}
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Parsed{}, fmt.Errorf("decode subject: %w", err)
	}

	err = p.readPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"),
		msg.Body)

	return p, err
}

func (p *Parsed) readPart(contentType, encoding string, body io.Reader) error {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}

	if strings.HasPrefix(media, "multipart/") {
		return p.readMultipart(multipart.NewReader(body, params["boundary"]))
	}

	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}

	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("read %s part: %w", media, err)
	}

	switch media {
	case "text/plain":
		p.Text = string(b)
	case "text/html":
		p.HTML = string(b)
	}

	return nil
}

func (p *Parsed) readMultipart(r *multipart.Reader) error {
	for {
		part, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("next part: %w", err)
		}

		err = p.readPart(part.Header.Get("Content-Type"),
			part.Header.Get("Content-Transfer-Encoding"), part)
		if err != nil {
			return err
		}
	}
}
