package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// dialTimeout bounds connecting to the mail server and each step of a delivery.
const dialTimeout = 20 * time.Second

// errBadMessage marks a mail that no server would take, such as one to an
// address that is not one.
var errBadMessage = errors.New("mail cannot be built")

// Sender delivers mails to the mail server of SMTP_URL with go-mail, one
// connection per mail. It is safe for concurrent use.
type Sender struct {
	client *gomail.Client
	from   string
	server Server
}

// NewSender returns a sender for the server of rawURL that sends from from, an
// address such as "Stadt Musterstadt <anliegen@musterstadt.de>".
func NewSender(rawURL, from string) (*Sender, error) {
	srv, err := ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}

	if _, err := netmail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("ANLIEGEN_MAIL_FROM: %w", err)
	}

	client, err := gomail.NewClient(srv.Host, clientOptions(srv)...)
	if err != nil {
		return nil, fmt.Errorf("mail client for %s: %w", srv.Addr(), err)
	}

	return &Sender{client: client, from: from, server: srv}, nil
}

func clientOptions(srv Server) []gomail.Option {
	opts := []gomail.Option{gomail.WithTimeout(dialTimeout)}
	switch srv.Security {
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case StartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}

	if srv.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(srv.Username), gomail.WithPassword(srv.Password))
	}

	// The port goes last: the TLS options above may set a default of their own.
	return append(opts, gomail.WithPort(srv.Port))
}

// Server returns the mail server the sender delivers to.
func (s *Sender) Server() Server {
	return s.server
}

// Send delivers m, whose access link must already be filled in.
func (s *Sender) Send(ctx context.Context, m Outgoing) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}

	if err := s.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("deliver to %s: %w", s.server.Addr(), err)
	}

	return nil
}

func (s *Sender) message(m Outgoing) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("%w: sender: %w", errBadMessage, err)
	}

	if err := msg.To(m.Recipient); err != nil {
		return nil, fmt.Errorf("%w: recipient: %w", errBadMessage, err)
	}

	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	msg.SetUserAgent("Anliegen")
	msg.SetGenHeader(gomail.HeaderContentLang, m.Language)
	// RFC 3834: an auto-responder must not answer an automatic mail, so two
	// robots cannot write to each other; Exchange reads its own header for it.
	// Delivery reports stay allowed: a bounce tells staff the address fails.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "OOF, AutoReply")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)

	return msg, nil
}

// permanent reports whether err says the mail will never be taken: the server
// refused it with a 5xx reply, or it could not be built at all. Everything
// else, a server that is down included, is worth another attempt.
func permanent(err error) bool {
	if errors.Is(err, errBadMessage) {
		return true
	}

	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode() >= 500 && se.ErrorCode() < 600
	}

	return false
}

// summary describes a delivery error for the job queue, which logs it: the
// step that failed and the reply code, never the server's own words, which may
// name the recipient.
func summary(err error) string {
	var se *gomail.SendError
	var ne net.Error
	switch {
	case errors.Is(err, errBadMessage):
		return errBadMessage.Error()
	case errors.As(err, &se):
		return fmt.Sprintf("%s failed with reply code %d", se.Reason, se.ErrorCode())
	case errors.As(err, &ne) && ne.Timeout():
		return "the mail server did not answer in time"
	case errors.As(err, &ne):
		return "the mail server could not be reached"
	default:
		return "the mail server did not take the mail"
	}
}
