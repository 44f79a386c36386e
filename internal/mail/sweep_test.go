package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/mail/mailtest"
	"github.com/anliegen/anliegen/internal/ticket"
)

// ask sends the citizen a question from staff, which makes the ticket wait.
func (e *env) ask(t *testing.T, id int64) {
	t.Helper()
	var version int32
	ctx := context.Background()
	if err := e.pool.QueryRow(ctx, `SELECT version FROM tickets WHERE id = $1`, id).
		Scan(&version); err != nil {
		t.Fatalf("read version: %v", err)
	}

	a := ticket.Action{TicketID: id, Version: version}
	if err := e.tickets.Answer(ctx, a, "Wo genau ist das Loch?", true); err != nil {
		t.Fatalf("ask: %v", err)
	}
}

// sweep runs the sweep at now and checks what it counted.
func (e *env) sweep(t *testing.T, now time.Time, want ticket.SweepResult) {
	t.Helper()
	got, err := e.tickets.Sweep(context.Background(), now)
	if err != nil {
		t.Fatalf("sweep at %s: %v", now, err)
	}

	if got != want {
		t.Errorf("sweep at %s did %+v, want %+v", now.Format(time.DateOnly), got, want)
	}
}

// TestReminderThenClosingWhenUnanswered asks two citizens a question and
// moves the clock: after the service's seven reminder days each is reminded,
// fourteen days later the ticket closes with a notice, in German and in
// Arabic; a second sweep at either time sends nothing again.
func TestReminderThenClosingWhenUnanswered(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	ctx := context.Background()
	de := e.submit(t, "de", "maria@example.org")
	ar := e.submit(t, "ar", "layla@example.org")
	e.ask(t, de.ID)
	e.ask(t, ar.ID)

	start := time.Now()
	e.sweep(t, start.Add(6*24*time.Hour), ticket.SweepResult{})
	remind := start.Add(8 * 24 * time.Hour)
	e.sweep(t, remind, ticket.SweepResult{Reminded: 2})
	e.sweep(t, remind, ticket.SweepResult{})
	e.sweep(t, remind.Add(13*24*time.Hour), ticket.SweepResult{})
	closing := remind.Add(15 * 24 * time.Hour)
	e.sweep(t, closing, ticket.SweepResult{Closed: 2})
	e.sweep(t, closing, ticket.SweepResult{})

	e.run(t)
	mails := smtp.Wait(t, 8, 10*time.Second)
	bySubject := subjects(t, mails)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	closesOn := remind.AddDate(0, 0, 14).In(berlin).Format("02.01.2006")

	reminder := wantSubject(t, bySubject, de.CaseNumber, "Erinnerung: Wir warten auf Ihre Antwort")
	wantContains(t, "reminder", reminder.Text, "„Schlagloch oder Straßenschaden“",
		"bis zum "+closesOn+" keine Antwort", "/a/"+e.tickets.AccessSecret(de.Code, 1))
	wantContains(t, "reminder HTML", reminder.HTML, `lang="de" dir="ltr"`, closesOn)

	closed := wantSubject(t, bySubject, de.CaseNumber, "Ihr Anliegen wurde geschlossen")
	wantContains(t, "closing notice", closed.Text, "Da keine Antwort kam",
		"melden Sie es bitte neu")

	arReminder := wantSubject(t, bySubject, ar.CaseNumber, "تذكير: ننتظر ردّكم")
	wantContains(t, "Arabic reminder HTML", arReminder.HTML, `lang="ar" dir="rtl"`, closesOn)
	wantSubject(t, bySubject, ar.CaseNumber, "تم إغلاق طلبكم")

	for _, c := range []ticket.Created{de, ar} {
		e.oneRow(t, c.ID, ticket.MessageReminder)
		e.oneRow(t, c.ID, ticket.MessageClosedUnanswered)
		if n := len(e.rows(t, c.ID, ticket.MessageStatusChanged)); n != 0 {
			t.Errorf("the closing also sent %d plain status mails", n)
		}
	}

	var status string
	var actors, reminders int
	err := e.pool.QueryRow(ctx, `
SELECT t.status,
	(SELECT count(*) FROM events WHERE ticket_id = t.id AND actor_id IS NULL
		AND (kind = 'reminder' OR (kind = 'status' AND new_value = 'closed'))),
	(SELECT count(*) FROM events WHERE ticket_id = t.id AND kind = 'reminder')
FROM tickets t
WHERE t.id = $1
  AND t.waiting_since IS NULL`, de.ID).Scan(&status, &actors, &reminders)
	if err != nil {
		t.Fatalf("read closed ticket: %v", err)
	}

	if status != "closed" || actors != 2 || reminders != 1 {
		t.Errorf("ticket %s with %d system events, %d reminders; want closed, 2, 1", status,
			actors, reminders)
	}
}

// wantSubject returns the mail with "[case] words" as its subject.
func wantSubject(
	t *testing.T,
	bySubject map[string]mailtest.Parsed,
	caseNumber, words string,
) mailtest.Parsed {
	t.Helper()
	m, ok := bySubject["["+caseNumber+"] "+words]
	if !ok {
		t.Fatalf("no mail with subject %q among %v", "["+caseNumber+"] "+words, keys(bySubject))
	}

	if m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("mail %q lacks Auto-Submitted: auto-generated", m.Subject)
	}

	if !strings.HasSuffix(m.Header.Get("Message-ID"), "@"+host+">") {
		t.Errorf("Message-ID %q is not of our host", m.Header.Get("Message-ID"))
	}

	return m
}

// TestAnswerBeforeTheReminderStopsIt: a citizen who answers within the
// reminder days is neither reminded nor closed, and neither is one without an
// e-mail address, who could not be told.
func TestAnswerBeforeTheReminderStopsIt(t *testing.T) {
	e := newEnv(t, "")
	c := e.submit(t, "de", "maria@example.org")
	e.ask(t, c.ID)
	e.ask(t, e.submit(t, "de", "").ID)

	if _, err := e.tickets.Reply(context.Background(), c.ID, "Vor Nummer 12.", nil); err != nil {
		t.Fatalf("reply: %v", err)
	}

	e.sweep(t, time.Now().Add(30*24*time.Hour), ticket.SweepResult{})
}
