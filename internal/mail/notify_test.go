package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/mail/mailtest"
	"github.com/anliegen/anliegen/internal/ticket"
)

// TestAcknowledgementInTheCitizensLanguage submits one report in German and
// one in Arabic and reads both acknowledgements as the SMTP server got them.
func TestAcknowledgementInTheCitizensLanguage(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	tests := []struct {
		lang, email, words, dir string
	}{
		{"de", "maria@example.org", "Ihr Anliegen ist eingegangen", "ltr"},
		{"ar", "layla@example.org", "تم استلام طلبكم", "rtl"},
	}

	created := make([]ticket.Created, len(tests))
	for i, tt := range tests {
		created[i] = e.submit(t, tt.lang, tt.email)
	}

	e.run(t)
	mails := smtp.Wait(t, len(tests), 10*time.Second)

	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			c := created[i]
			m := parsed(t, mails, tt.email)
			secret := e.tickets.AccessSecret(c.Code, 1)
			wantAcknowledgement(t, m, c, tt.words, secret)
			wantContains(t, "HTML part", m.HTML, `lang="`+tt.lang+`" dir="`+tt.dir+`"`,
				"/a/"+secret)
			wantHeaders(t, e, m, c.ID, tt.lang, tt.email)

			if _, err := e.tickets.OpenAccessLink(context.Background(), secret); err != nil {
				t.Errorf("the mailed access link opens nothing: %v", err)
			}
		})
	}

	wantContains(t, "log", e.logs.String(), `"msg":"mail sent"`, `"kind":"acknowledgement"`)
	wantLacks(t, "log", e.logs.String(), "maria@example.org", "layla@example.org", citizenName,
		created[0].Code.Canonical(), created[0].Code.String(), created[0].AccessSecret)
}

// wantAcknowledgement checks subject and text of an acknowledgement: the case
// number for threading, the language's words, the code and the access link,
// and nothing of what the citizen wrote.
func wantAcknowledgement(
	t *testing.T,
	m mailtest.Parsed,
	c ticket.Created,
	words, secret string,
) {
	t.Helper()
	if want := "[" + c.CaseNumber + "] "; !strings.HasPrefix(m.Subject, want) {
		t.Errorf("subject %q, want it to start with %q", m.Subject, want)
	}

	wantContains(t, "subject", m.Subject, words)
	wantContains(t, "text part", m.Text, c.Code.String(), c.CaseNumber,
		"https://"+host+"/a/"+secret, "https://"+host+"/t/"+c.Code.Canonical(),
		"https://"+host+"/privacy")
	for _, part := range []string{m.Text, m.HTML} {
		wantLacks(t, "mail", part, citizenText, citizenName, "Hauptstraße")
	}
}

// wantHeaders checks the Message-ID against the job and the outbox row, and
// the headers that keep auto-responders quiet.
func wantHeaders(t *testing.T, e *env, m mailtest.Parsed, ticketID int64, lang, email string) {
	t.Helper()
	r := e.oneRow(t, ticketID, ticket.MessageAcknowledgement)
	jobID := e.jobID(t, ticketID, ticket.MessageAcknowledgement)
	args := ticket.NotifyArgs{TicketID: ticketID, Message: ticket.MessageAcknowledgement}
	want := "<" + mail.MessageID(args, jobID, host) + ">"
	if got := m.Header.Get("Message-ID"); got != want || got != "<"+r.MessageID+">" {
		t.Errorf("Message-ID %q, want %q, as outgoing_mail has <%s>", got, want, r.MessageID)
	}

	headers := map[string]string{
		"Auto-Submitted": "auto-generated", "Content-Language": lang, "To": "<" + email + ">",
	}
	for name, value := range headers {
		if got := m.Header.Get(name); got != value {
			t.Errorf("header %s = %q, want %q", name, got, value)
		}
	}

	if r.Status != mail.StatusSent || !r.Sent || r.Attempts != 1 {
		t.Errorf("outgoing_mail: status %s, sent_at set %v, %d attempts; want sent, true, 1",
			r.Status, r.Sent, r.Attempts)
	}
}

// TestStatusChangeSendsTheNote changes the status with a public note, then
// the citizen withdraws: each change sends its mail, the withdrawal its own.
func TestStatusChangeSendsTheNote(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	c := e.submit(t, "de", "maria@example.org")
	ctx := context.Background()

	err := e.tickets.ChangeStatus(ctx, ticket.StatusChangeRequest{
		TicketID: c.ID, Version: 1, To: ticket.InProgress, PublicNote: "Ein Trupp ist unterwegs.",
	})
	if err != nil {
		t.Fatalf("change status: %v", err)
	}

	if err := e.tickets.Withdraw(ctx, c.ID); err != nil {
		t.Fatalf("withdraw: %v", err)
	}

	e.run(t)
	mails := smtp.Wait(t, 3, 10*time.Second)

	status := subjects(t, mails)
	for _, want := range []string{
		"[" + c.CaseNumber + "] Neuer Stand: In Bearbeitung",
		"[" + c.CaseNumber + "] Sie haben Ihr Anliegen zurückgezogen",
	} {
		m, ok := status[want]
		if !ok {
			t.Fatalf("no mail with subject %q among %v", want, keys(status))
		}

		wantContains(t, "status mail", m.Text, c.CaseNumber,
			"/a/"+e.tickets.AccessSecret(c.Code, 1))
	}

	progress := status["["+c.CaseNumber+"] Neuer Stand: In Bearbeitung"]
	wantContains(t, "status mail", progress.Text, c.Code.String(), "Hinweis der Sachbearbeitung:",
		"Ein Trupp ist unterwegs.", "Ihr Anliegen wird bearbeitet.")
	wantContains(t, "status mail HTML", progress.HTML, "Ein Trupp ist unterwegs.")
	if !strings.Contains(progress.Header.Get("Message-ID"), "-"+eventOf(t, e, c.ID)+"-") {
		t.Errorf("Message-ID %q does not name the status event",
			progress.Header.Get("Message-ID"))
	}

	if n := len(e.rows(t, c.ID, ticket.MessageStatusChanged)); n != 1 {
		t.Errorf("%d status mails in outgoing_mail, want 1", n)
	}

	withdrawn := status["["+c.CaseNumber+"] Sie haben Ihr Anliegen zurückgezogen"]
	wantContains(t, "withdrawal mail", withdrawn.Text,
		"„Schlagloch oder Straßenschaden“ zurückgezogen",
		"Wir bearbeiten es nicht weiter.")
	e.oneRow(t, c.ID, mail.MessageWithdrawn)
}

func subjects(t *testing.T, mails []mailtest.Received) map[string]mailtest.Parsed {
	t.Helper()
	bySubject := map[string]mailtest.Parsed{}
	for _, m := range mails {
		p, err := m.Parse()
		if err != nil {
			t.Fatalf("parse mail: %v", err)
		}
		bySubject[p.Subject] = p
	}

	return bySubject
}

func keys(m map[string]mailtest.Parsed) []string {
	list := make([]string, 0, len(m))
	for k := range m {
		list = append(list, k)
	}

	return list
}

// eventOf returns the ID of the ticket's change to in_progress.
func eventOf(t *testing.T, e *env, ticketID int64) string {
	t.Helper()
	var id string
	err := e.pool.QueryRow(context.Background(), `
SELECT id::text
FROM events
WHERE ticket_id = $1
  AND new_value = 'in_progress'`, ticketID).Scan(&id)
	if err != nil {
		t.Fatalf("status event: %v", err)
	}

	return id
}

// TestLinkResentCarriesTheAccessLink asks for the link again in English.
func TestLinkResentCarriesTheAccessLink(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	c := e.submit(t, "en", "sam@example.org")

	if err := e.tickets.ResendLink(context.Background(), c.Code, "Sam@Example.org"); err != nil {
		t.Fatalf("resend link: %v", err)
	}

	e.run(t)
	mails := smtp.Wait(t, 2, 10*time.Second)

	m, ok := subjects(t, mails)["["+c.CaseNumber+"] Your personal link"]
	if !ok {
		t.Fatalf("no mail with the subject of the resent link among %v",
			keys(subjects(t, mails)))
	}

	wantContains(t, "link mail", m.Text, "/a/"+e.tickets.AccessSecret(c.Code, 1)+"?lang=en",
		"You did not ask for this link?")
}

// TestKeptWithoutMailServer runs the worker without SMTP_URL: the mail is
// recorded as kept, with the access link left out of the stored text, and
// the outbox fills it in for staff.
func TestKeptWithoutMailServer(t *testing.T) {
	e := newEnv(t, "")
	c := e.submit(t, "de", "maria@example.org")
	e.run(t)

	r := e.oneRow(t, c.ID, ticket.MessageAcknowledgement)
	secret := e.tickets.AccessSecret(c.Code, 1)
	if r.Status != mail.StatusKept || r.Sent || r.Attempts != 0 {
		t.Errorf("outgoing_mail: status %s, sent %v, %d attempts; want kept, false, 0",
			r.Status, r.Sent, r.Attempts)
	}

	wantContains(t, "stored text", r.Text, c.Code.String(), "https://"+host+"/a/")
	wantLacks(t, "stored text", r.Text, secret)

	list, err := e.outbox.List(context.Background(), mail.StatusKept)
	if err != nil || len(list) != 1 {
		t.Fatalf("outbox lists %d kept mails (%v), want 1", len(list), err)
	}

	list[0].RevealLink(e.tickets)
	wantContains(t, "outbox text", list[0].Text, "https://"+host+"/a/"+secret)
	if list[0].CaseNumber != c.CaseNumber || list[0].Retryable() {
		t.Errorf("outbox entry: case %s, retryable %v; want %s, false", list[0].CaseNumber,
			list[0].Retryable(), c.CaseNumber)
	}
}
