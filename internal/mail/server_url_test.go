package mail_test

import (
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/mail"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want mail.Server
	}{
		{"STARTTLS with sign-in", "smtp://anliegen:ge%40heim@mail.musterstadt.de:587",
			mail.Server{Host: "mail.musterstadt.de", Port: 587, Security: mail.StartTLS,
				Username: "anliegen", Password: "ge@heim"}},
		{"STARTTLS on its default port", "smtp://mail.musterstadt.de",
			mail.Server{Host: "mail.musterstadt.de", Port: 587, Security: mail.StartTLS}},
		{"implicit TLS on its default port", "smtps://anliegen:geheim@mail.musterstadt.de",
			mail.Server{Host: "mail.musterstadt.de", Port: 465, Security: mail.ImplicitTLS,
				Username: "anliegen", Password: "geheim"}},
		{"relay without TLS", "smtp+plain://127.0.0.1:2525",
			mail.Server{Host: "127.0.0.1", Port: 2525, Security: mail.NoTLS}},
		{"relay on its default port", "smtp+plain://relay.intern/",
			mail.Server{Host: "relay.intern", Port: 25, Security: mail.NoTLS}},
		{"IPv6 relay", "smtp+plain://[::1]:25",
			mail.Server{Host: "::1", Port: 25, Security: mail.NoTLS}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mail.ParseURL(tt.raw)
			if err != nil {
				t.Fatalf("ParseURL: %v, want %+v", err, tt.want)
			}

			if got != tt.want {
				t.Errorf("ParseURL = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseURLRefuses(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"another scheme", "http://anliegen:geheim@mail.musterstadt.de", "scheme"},
		{"no host", "smtp://anliegen:geheim@:587", "no host"},
		{"port out of range", "smtps://anliegen:geheim@mail.musterstadt.de:0", "port"},
		{"port not a number", "smtps://anliegen:geheim@mail.musterstadt.de:abc", "valid URL"},
		{"a path", "smtp://anliegen:geheim@mail.musterstadt.de/INBOX", "path"},
		{"a query", "smtp://anliegen:geheim@mail.musterstadt.de?tls=no", "query"},
		{"a password in the clear", "smtp+plain://anliegen:geheim@relay:25", "unencrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mail.ParseURL(tt.raw)
			if err == nil {
				t.Fatalf("ParseURL accepted %s, want an error about the %s", tt.name, tt.want)
			}

			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "geheim") {
				t.Errorf("error %q: want it to mention %q and never the password", err, tt.want)
			}
		})
	}
}

func TestNewSenderChecksTheSender(t *testing.T) {
	if _, err := mail.NewSender("smtp+plain://127.0.0.1:25", "kein Absender"); err == nil ||
		!strings.Contains(err.Error(), "ANLIEGEN_MAIL_FROM") {
		t.Errorf("NewSender with a sender that is no address: %v, want ANLIEGEN_MAIL_FROM named",
			err)
	}

	s, err := mail.NewSender("smtps://a:b@mail.musterstadt.de", "Stadt <anliegen@stadt.de>")
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}

	if got := s.Server().Addr(); got != "mail.musterstadt.de:465" {
		t.Errorf("sender delivers to %s, want mail.musterstadt.de:465", got)
	}
}
