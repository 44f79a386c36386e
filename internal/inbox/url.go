package inbox

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Security is how the connection to the IMAP server is protected.
type Security int

// The ways to reach the IMAP server, named by the scheme of IMAP_URL.
const (
	ImplicitTLS Security = iota + 1 // imaps://, TLS from the first byte
	StartTLS                        // imap://, upgraded with STARTTLS, which the server must offer
	Plain                           // imap+plain://, no encryption, only to the same host
)

// Account is a parsed IMAP_URL: where the mailbox is and how to sign in.
type Account struct {
	Security Security
	Host     string
	Port     int
	User     string
	Password string
	Mailbox  string
}

var schemes = map[string]Security{
	"imaps":      ImplicitTLS,
	"imap":       StartTLS,
	"imap+plain": Plain,
}

var defaultPorts = map[Security]int{ImplicitTLS: 993, StartTLS: 143, Plain: 143}

// ParseURL reads an IMAP_URL of the form imaps://user:password@host:993/INBOX,
// imap://user:password@host:143/INBOX (STARTTLS required) or
// imap+plain://user:password@localhost:143/INBOX (no TLS, only for a server on
// the same host). The port defaults to the scheme's and the mailbox to INBOX; user
// and password are percent-decoded. Errors never repeat the password.
func ParseURL(raw string) (Account, error) {
	if strings.TrimSpace(raw) == "" {
		return Account{}, errors.New("imap url: empty")
	}

	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the URL with its password, so only the kind is told.
		return Account{}, errors.New(
			"imap url: not a URL of the form imaps://user:password@host/INBOX")
	}

	sec, ok := schemes[strings.ToLower(u.Scheme)]
	if !ok {
		return Account{}, fmt.Errorf("imap url: scheme %q is not imaps, imap or imap+plain",
			u.Scheme)
	}

	a := Account{Security: sec, Host: u.Hostname(), Mailbox: "INBOX"}
	if err := a.readParts(u); err != nil {
		return Account{}, fmt.Errorf("imap url: %w", err)
	}

	return a, nil
}

func (a *Account) readParts(u *url.URL) error {
	if a.Host == "" {
		return errors.New("no host")
	}

	if u.RawQuery != "" || u.Fragment != "" {
		return errors.New("a query or fragment is not understood; name the mailbox in the path")
	}

	if err := a.readUser(u.User); err != nil {
		return err
	}

	if err := a.readPort(u.Port()); err != nil {
		return err
	}

	if box := strings.Trim(u.Path, "/"); box != "" {
		a.Mailbox = box
	}

	if a.Security == Plain && !loopback(a.Host) {
		return fmt.Errorf("imap+plain sends the password unencrypted and is allowed only for a "+
			"server on this host (localhost, 127.0.0.1 or ::1), not %s; use imaps or imap", a.Host)
	}

	return nil
}

func (a *Account) readUser(info *url.Userinfo) error {
	if info == nil || info.Username() == "" {
		return errors.New("no user name; write imaps://user:password@host/INBOX")
	}

	password, ok := info.Password()
	if !ok || password == "" {
		return errors.New("no password; write imaps://user:password@host/INBOX")
	}

	a.User, a.Password = info.Username(), password
	return nil
}

func (a *Account) readPort(port string) error {
	if port == "" {
		a.Port = defaultPorts[a.Security]
		return nil
	}

	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}

	a.Port = n
	return nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}

	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Addr returns host:port for dialling.
func (a Account) Addr() string {
	return net.JoinHostPort(a.Host, strconv.Itoa(a.Port))
}

// String returns the account as a URL with the password masked, for logs and
// the printed configuration.
func (a Account) String() string {
	scheme := "imaps"
	for name, sec := range schemes {
		if sec == a.Security {
			scheme = name
		}
	}

	u := url.URL{
		Scheme: scheme,
		User:   url.UserPassword(a.User, "xxxxx"),
		Host:   a.Addr(),
		Path:   "/" + a.Mailbox,
	}

	return u.String()
}
