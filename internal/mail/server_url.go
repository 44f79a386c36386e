package mail

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// Security is how the connection to the mail server is protected.
type Security string

// The protections SMTP_URL can ask for, by its scheme.
const (
	// StartTLS upgrades a plain connection and refuses a server without STARTTLS.
	StartTLS Security = "starttls"
	// ImplicitTLS speaks TLS from the first byte.
	ImplicitTLS Security = "tls"
	// NoTLS sends in the clear, for a relay on the same host or network only.
	NoTLS Security = "none"
)

// Server is a mail server named by SMTP_URL.
type Server struct {
	Host     string
	Port     int
	Security Security
	Username string
	Password string
}

var (
	schemeSecurity = map[string]Security{
		"smtp": StartTLS, "smtps": ImplicitTLS, "smtp+plain": NoTLS,
	}
	defaultPorts = map[Security]int{StartTLS: 587, ImplicitTLS: 465, NoTLS: 25}
)

// ParseURL reads SMTP_URL: smtp://user:password@host:587 (STARTTLS required),
// smtps://user:password@host:465 (implicit TLS) or smtp+plain://host:25 (no
// TLS). Its errors never repeat the URL, so the password stays out of them.
func ParseURL(raw string) (Server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Server{}, errors.New("not a valid URL")
	}

	sec, ok := schemeSecurity[u.Scheme]
	if !ok {
		return Server{}, fmt.Errorf("scheme %q is not smtp, smtps or smtp+plain", u.Scheme)
	}

	s := Server{Host: u.Hostname(), Port: defaultPorts[sec], Security: sec}
	if s.Host == "" {
		return Server{}, errors.New("the URL names no host")
	}

	if err := s.readPort(u.Port()); err != nil {
		return Server{}, err
	}

	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Server{}, errors.New("the URL must not carry a path, query or fragment")
	}

	return s, s.readUser(u.User)
}

func (s *Server) readPort(port string) error {
	if port == "" {
		return nil
	}

	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	s.Port = p

	return nil
}

func (s *Server) readUser(user *url.Userinfo) error {
	if user == nil {
		return nil
	}

	s.Username = user.Username()
	s.Password, _ = user.Password()
	if s.Security == NoTLS && s.Password != "" {
		return errors.New("smtp+plain would send the password unencrypted; " +
			"use smtp:// (STARTTLS) or smtps:// with a password")
	}

	return nil
}

// Addr returns host:port, for messages that must not show the password.
func (s Server) Addr() string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}
