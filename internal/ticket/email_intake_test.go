package ticket_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
)

func TestCaseNumberIn(t *testing.T) {
	cases := []struct {
		name, subject, want string
	}{
		{"in brackets", "AW: [2026-000123] Schlagloch", "2026-000123"},
		{"bare", "Vorgang 2026-000123 – Rückfrage", "2026-000123"},
		{"whole subject", "2026-004711", "2026-004711"},
		{"seven digits", "Re: [2026-1234567]", "2026-1234567"},
		{"first of two", "2026-000001 und 2026-000002", "2026-000001"},
		{"too few digits", "Termin 2026-12345", ""},
		{"inside a longer number", "IBAN 12026-000123", ""},
		{"date", "Antwort vom 2026-03-12", ""},
		{"none", "Frage zum Ausweis", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ticket.CaseNumberIn(tc.subject)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("CaseNumberIn(%q) = %q, %v; want %q", tc.subject, got, ok, tc.want)
			}
		})
	}
}

func TestFromContact(t *testing.T) {
	tk := ticket.EmailTicket{ContactEmail: "Maria.Muster@Example.org"}
	cases := []struct {
		addr string
		want bool
	}{
		{"maria.muster@example.org", true},
		{" MARIA.MUSTER@EXAMPLE.ORG ", true},
		{"maria@example.org", false},
		{"", false},
	}
	for _, tc := range cases {
		if got := tk.FromContact(tc.addr); got != tc.want {
			t.Errorf("FromContact(%q) = %v, want %v", tc.addr, got, tc.want)
		}
	}

	if (ticket.EmailTicket{}).FromContact("") {
		t.Error("a ticket without contact matches the empty address, want no match")
	}
}

func scalar[T any](t *testing.T, pool *pgxpool.Pool, query string, args ...any) T {
	t.Helper()
	var v T
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(query), err)
	}

	return v
}

// TestAppendEmail answers a question by mail: the message is added, the ticket
// goes back to where it was, the mail is remembered, and the same mail again
// adds nothing.
func TestAppendEmail(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "maria@example.org")

	err := store.ChangeStatus(ctx, ticket.StatusChangeRequest{
		TicketID: c.ID, Version: 1, To: ticket.WaitingForCitizen,
	})
	if err != nil {
		t.Fatal(err)
	}

	mail := ticket.Email{
		MessageID: "antwort-1@example.org",
		Raw:       []byte("Subject: Antwort\r\n\r\nDas Loch ist tief."),
		Body:      "Das Loch ist tief.", Note: "Nicht übernommene Anhänge: x.exe",
	}
	msgID, err := store.AppendEmail(ctx, c.ID, mail)
	if err != nil {
		t.Fatalf("AppendEmail: %v", err)
	}

	status := scalar[string](t, pool, `SELECT status FROM tickets WHERE id = $1`, c.ID)
	if status != string(ticket.Received) {
		t.Errorf("status after the reply %s, want received again", status)
	}

	body := scalar[string](t, pool, `SELECT body FROM messages WHERE id = $1
		AND kind = 'from_citizen'`, msgID)
	notes := scalar[int](t, pool, `SELECT count(*) FROM messages WHERE ticket_id = $1
		AND kind = 'note'`, c.ID)
	if body != mail.Body || notes != 1 {
		t.Errorf("message %q and %d notes, want %q and 1 note", body, notes, mail.Body)
	}

	var outcome string
	var raw []byte
	var linked int64
	err = pool.QueryRow(ctx, `SELECT outcome, raw, ticket_message_id FROM inbound_mail
		WHERE message_id = $1 AND ticket_id = $2`, mail.MessageID, c.ID).
		Scan(&outcome, &raw, &linked)
	if err != nil || outcome != ticket.MailAppended || string(raw) != string(mail.Raw) ||
		linked != msgID {
		t.Errorf("inbound mail %s, %q, message %d, %v; want appended, the original, %d",
			outcome, raw, linked, err, msgID)
	}

	if known, err := store.MailKnown(ctx, mail.MessageID); !known || err != nil {
		t.Errorf("MailKnown = %v, %v after taking it; want true", known, err)
	}

	if _, err := store.AppendEmail(ctx, c.ID, mail); !errors.Is(err, ticket.ErrMailKnown) {
		t.Errorf("the same mail again: %v, want ErrMailKnown", err)
	}

	n := scalar[int](t, pool, `SELECT count(*) FROM messages WHERE ticket_id = $1`, c.ID)
	if n != 3 {
		t.Errorf("%d messages after the same mail twice, want 3 (first, reply, note)", n)
	}
}

func TestAppendEmailToEndedTicket(t *testing.T) {
	store, _, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "maria@example.org")

	if err := store.Withdraw(ctx, c.ID); err != nil {
		t.Fatal(err)
	}

	_, err := store.AppendEmail(ctx, c.ID, ticket.Email{MessageID: "spaet@example.org",
		Raw: []byte("x"), Body: "Doch noch"})
	if !errors.Is(err, ticket.ErrFinished) {
		t.Errorf("mail to a withdrawn ticket: %v, want ErrFinished", err)
	}

	if known, _ := store.MailKnown(ctx, "spaet@example.org"); known {
		t.Error("a mail refused by an ended ticket is remembered, want it left for a new ticket")
	}
}

// TestCreateFromEmailAcknowledgesAFewPerHour opens four tickets from one
// address: three are acknowledged, the fourth is not, whatever the case of the
// address.
func TestCreateFromEmailAcknowledgesAFewPerHour(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()

	addresses := []string{"robot@example.org", "Robot@Example.org", "ROBOT@example.org",
		"robot@example.org"}
	for i, addr := range addresses {
		n := newTicket(svc, addr)
		mail := ticket.Email{MessageID: fmt.Sprintf("m%d@example.org", i), Raw: []byte("x"),
			Body: "Hallo"}
		c, acknowledged, err := store.CreateFromEmail(ctx, n, mail)
		if err != nil {
			t.Fatalf("CreateFromEmail %d: %v", i+1, err)
		}

		if want := i < ticket.MaxAcknowledgementsPerHour; acknowledged != want {
			t.Errorf("mail %d acknowledged %v, want %v", i+1, acknowledged, want)
		}

		var channel, contact string
		err = pool.QueryRow(ctx, `SELECT channel, contact_email FROM tickets WHERE id = $1`,
			c.ID).Scan(&channel, &contact)
		if err != nil || channel != ticket.ChannelEmail || contact != addr {
			t.Errorf("ticket %d: channel %s, contact %s, %v; want email, %s",
				i+1, channel, contact, err, addr)
		}
	}

	jobs := scalar[int](t, pool, `SELECT count(*) FROM river_job
		WHERE args->>'message' = 'acknowledgement'`)
	if jobs != ticket.MaxAcknowledgementsPerHour {
		t.Errorf("%d acknowledgement jobs, want %d", jobs, ticket.MaxAcknowledgementsPerHour)
	}

	other := newTicket(svc, "maria@example.org")
	_, acknowledged, err := store.CreateFromEmail(ctx, other,
		ticket.Email{MessageID: "maria@example.org", Raw: []byte("x"), Body: "Hallo"})
	if err != nil || !acknowledged {
		t.Errorf("another address: acknowledged %v, %v; want true", acknowledged, err)
	}
}

func TestTicketBySentMessage(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "maria@example.org")

	_, err := pool.Exec(ctx, `INSERT INTO outgoing_mail (ticket_id, kind, recipient, language,
		subject, text_body, html_body, message_id)
		VALUES ($1, 'acknowledgement', 'maria@example.org', 'de', 's', 't', 'h', $2)`,
		c.ID, "ack-1@stadt.example")
	if err != nil {
		t.Fatal(err)
	}

	notify := "notify-" + strconv.FormatInt(c.ID, 10) + "-acknowledgement-7@stadt.example"
	cases := []struct {
		name string
		ids  []string
		want error
	}{
		{"recorded mail", []string{"unknown@x", "ack-1@stadt.example"}, nil},
		{"recorded mail in brackets", []string{"<ack-1@stadt.example>"}, nil},
		{"notice id no longer recorded", []string{notify}, nil},
		{"unknown", []string{"unknown@x"}, db.ErrNotFound},
		{"notice of no ticket", []string{"notify-999999-x-1@stadt.example"}, db.ErrNotFound},
		{"none", nil, db.ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := store.TicketBySentMessage(ctx, tc.ids)
			if !errors.Is(err, tc.want) || (tc.want == nil && got.ID != c.ID) {
				t.Errorf("TicketBySentMessage(%v) = ticket %d, %v; want %d, %v",
					tc.ids, got.ID, err, c.ID, tc.want)
			}
		})
	}

	got, err := store.TicketByCaseNumber(ctx, c.CaseNumber)
	if err != nil || got.ID != c.ID || got.ContactEmail != "maria@example.org" {
		t.Errorf("TicketByCaseNumber = %+v, %v; want ticket %d with its contact", got, err, c.ID)
	}
}

func TestMarkContactFailing(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "weg@example.org")

	bounce := ticket.Email{MessageID: "dsn-1@mx.example", Raw: []byte("x"), Note: "unzustellbar"}
	if err := store.MarkContactFailing(ctx, c.ID, bounce); err != nil {
		t.Fatalf("MarkContactFailing: %v", err)
	}

	failing := scalar[bool](t, pool, `SELECT contact_email_failing FROM tickets WHERE id = $1`,
		c.ID)
	outcome := scalar[string](t, pool, `SELECT outcome FROM inbound_mail
		WHERE message_id = $1`, bounce.MessageID)
	if !failing || outcome != ticket.MailBounce {
		t.Errorf("failing %v, outcome %s; want true, bounce", failing, outcome)
	}

	if err := store.MarkContactFailing(ctx, 999999, ticket.Email{MessageID: "dsn-2@mx",
		Raw: []byte("x")}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("bounce for an unknown ticket: %v, want not found", err)
	}
}
