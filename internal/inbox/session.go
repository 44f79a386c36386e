package inbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// commandTimeout bounds each exchange with the IMAP server, so that a server
// that stops answering cannot hold the lead for ever.
const commandTimeout = 2 * time.Minute

// maxMailSize is the largest mail fetched whole: the portal's 25 MB of
// attachments in base64 and some text. Of a larger mail only the header is
// fetched; the original stays in the mailbox.
const maxMailSize = 40 << 20

// maxPerPass bounds the mails taken in one pass; the rest wait for the next.
const maxPerPass = 200

// errGone is returned for a mail that was removed from the mailbox meanwhile.
var errGone = errors.New("mail no longer in the mailbox")

// session is one signed-in connection to the mailbox.
type session struct {
	conn   net.Conn
	client *imapclient.Client
	stop   func() bool
}

// dial connects to the account's server, signs in and selects the mailbox. The
// connection is cut when ctx ends.
func dial(ctx context.Context, a Account, roots *tls.Config) (*session, error) {
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", a.Addr())
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", a.Addr(), err)
	}

	s := &session{conn: conn, stop: context.AfterFunc(ctx, func() { conn.Close() })}
	s.extend()
	if s.client, err = open(conn, a, roots); err != nil {
		s.stop()
		conn.Close()
		return nil, fmt.Errorf("connect to %s: %w", a.Addr(), err)
	}

	if err := s.signIn(a); err != nil {
		s.close()
		return nil, err
	}

	return s, nil
}

func open(conn net.Conn, a Account, roots *tls.Config) (*imapclient.Client, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if roots != nil {
		conf = roots.Clone()
	}
	conf.ServerName = a.Host

	switch a.Security {
	case ImplicitTLS:
		conf.NextProtos = []string{"imap"}
		return imapclient.New(tls.Client(conn, conf), nil), nil
	case StartTLS:
		// NewStartTLS fails when the server does not offer STARTTLS: the password
		// is never sent in the clear.
		return imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: conf})
	default:
		return imapclient.New(conn, nil), nil
	}
}

func (s *session) signIn(a Account) error {
	if err := s.client.Login(a.User, a.Password).Wait(); err != nil {
		return fmt.Errorf("sign in to the mailbox: %w", err)
	}

	if _, err := s.client.Select(a.Mailbox, nil).Wait(); err != nil {
		return fmt.Errorf("select mailbox %q: %w", a.Mailbox, err)
	}

	return nil
}

// extend gives the next exchange commandTimeout.
func (s *session) extend() {
	_ = s.conn.SetDeadline(time.Now().Add(commandTimeout))
}

// unseen lists the mails not yet marked done, oldest first, at most maxPerPass.
func (s *session) unseen() ([]imap.UID, error) {
	s.extend()
	criteria := &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen, imap.FlagDeleted}}
	data, err := s.client.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("search unseen mail: %w", err)
	}

	uids := data.AllUIDs()
	if len(uids) > maxPerPass {
		uids = uids[:maxPerPass]
	}

	return uids, nil
}

// fetch returns the mail with uid as received, without marking it seen; whole is
// false when the mail was too large and only its header was fetched.
func (s *session) fetch(uid imap.UID) (raw []byte, whole bool, err error) {
	s.extend()
	set := imap.UIDSetNum(uid)
	sizes, err := s.client.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, false, fmt.Errorf("fetch size: %w", err)
	}

	if len(sizes) == 0 {
		return nil, false, errGone
	}

	section := &imap.FetchItemBodySection{Peek: true}
	whole = sizes[0].RFC822Size <= maxMailSize
	if !whole {
		section.Specifier = imap.PartSpecifierHeader
	}

	s.extend()
	options := &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}
	msgs, err := s.client.Fetch(set, options).Collect()
	if err != nil {
		return nil, false, fmt.Errorf("fetch mail: %w", err)
	}

	if len(msgs) == 0 {
		return nil, false, errGone
	}

	return msgs[0].FindBodySection(section), whole, nil
}

// markDone flags the mail seen, so that no later pass takes it again.
func (s *session) markDone(uid imap.UID) error {
	s.extend()
	flags := &imap.StoreFlags{
		Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}, Silent: true,
	}
	if err := s.client.Store(imap.UIDSetNum(uid), flags, nil).Close(); err != nil {
		return fmt.Errorf("flag mail seen: %w", err)
	}

	return nil
}

// close signs out, or cuts the connection when the server does not answer.
func (s *session) close() {
	s.stop()
	s.extend()
	_ = s.client.Logout().Wait()
	_ = s.client.Close()
}
