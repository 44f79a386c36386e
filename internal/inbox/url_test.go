package inbox_test

import (
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/inbox"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		name, url string
		want      inbox.Account
	}{
		{"imaps with defaults", "imaps://post:geheim@mail.stadt.example",
			inbox.Account{Security: inbox.ImplicitTLS, Host: "mail.stadt.example", Port: 993,
				User: "post", Password: "geheim", Mailbox: "INBOX"}},
		{"imap with STARTTLS", "imap://post:geheim@mail.stadt.example:1143/INBOX",
			inbox.Account{Security: inbox.StartTLS, Host: "mail.stadt.example", Port: 1143,
				User: "post", Password: "geheim", Mailbox: "INBOX"}},
		{"plain on this host", "imap+plain://post:geheim@localhost/Anliegen",
			inbox.Account{Security: inbox.Plain, Host: "localhost", Port: 143, User: "post",
				Password: "geheim", Mailbox: "Anliegen"}},
		{"escaped user and password, folder", "imaps://anliegen%40stadt.example:p%40ss%2Fw@[::1]" +
			":993/INBOX%2FB%C3%BCrger",
			inbox.Account{Security: inbox.ImplicitTLS, Host: "::1", Port: 993,
				User: "anliegen@stadt.example", Password: "p@ss/w", Mailbox: "INBOX/Bürger"}},
		{"scheme in capitals", "IMAPS://post:geheim@mail.stadt.example/INBOX",
			inbox.Account{Security: inbox.ImplicitTLS, Host: "mail.stadt.example", Port: 993,
				User: "post", Password: "geheim", Mailbox: "INBOX"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := inbox.ParseURL(tc.url)
			if err != nil || got != tc.want {
				t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tc.url, got, err, tc.want)
			}
		})
	}
}

func TestParseURLRefuses(t *testing.T) {
	cases := []struct {
		name, url, says string
	}{
		{"empty", "", "empty"},
		{"other scheme", "pop3://post:geheim@mail.example", "scheme"},
		{"no user", "imaps://mail.example/INBOX", "no user"},
		{"no password", "imaps://post@mail.example/INBOX", "no password"},
		{"no host", "imaps://post:geheim@/INBOX", "no host"},
		{"bad port", "imaps://post:geheim@mail.example:99999/INBOX", "port"},
		{"query", "imaps://post:geheim@mail.example/INBOX?tls=off", "query"},
		{"plain to another host", "imap+plain://post:geheim@mail.example/INBOX", "this host"},
		{"not a URL", "imaps://post:geheim@mail.example:x:y/%zz", "imap url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := inbox.ParseURL(tc.url)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("ParseURL(%q) error %v, want one that says %q", tc.url, err, tc.says)
			}

			if strings.Contains(err.Error(), "geheim") {
				t.Errorf("error %q repeats the password", err)
			}
		})
	}
}

func TestAccountStringMasksPassword(t *testing.T) {
	a, err := inbox.ParseURL("imaps://post:geheim@mail.stadt.example/INBOX")
	if err != nil {
		t.Fatal(err)
	}

	if s := a.String(); strings.Contains(s, "geheim") || !strings.Contains(s, "post:") ||
		!strings.Contains(s, "mail.stadt.example:993/INBOX") {
		t.Errorf("String() = %q, want the URL with the password masked", s)
	}
}
