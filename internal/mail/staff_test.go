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

// addStaff adds a staff member of the service's team and returns the ID.
func (e *env) addStaff(t *testing.T, email, name, role, lang string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := e.pool.QueryRow(ctx, `
INSERT INTO staff (email, name, role, password_hash, language)
VALUES ($1, $2, $3, 'x', $4)
RETURNING id`, email, name, role, lang).Scan(&id)
	if err != nil {
		t.Fatalf("add staff: %v", err)
	}

	_, err = e.pool.Exec(ctx, `INSERT INTO team_members (team_id, staff_id) VALUES ($1, $2)`,
		e.service.TeamID, id)
	if err != nil {
		t.Fatalf("add team member: %v", err)
	}

	return id
}

// bounce records a bounce for the ticket.
func (e *env) bounce(t *testing.T, id int64, messageID string) {
	t.Helper()
	b := ticket.Email{MessageID: messageID, Raw: []byte("report"), Note: "unzustellbar"}
	if err := e.tickets.MarkContactFailing(context.Background(), id, b); err != nil {
		t.Fatalf("mark contact failing: %v", err)
	}
}

// TestBounceTellsAssigneeOrLeads bounces mail of an unassigned ticket, which
// tells both team leads, each in their language, but not the agent; a second
// bounce tells nobody again. A bounce on an assigned ticket tells only the
// assignee.
func TestBounceTellsAssigneeOrLeads(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	ctx := context.Background()
	e.addStaff(t, "lead@example.org", "Lena Leitung", "team_lead", "de")
	e.addStaff(t, "lead-en@example.org", "Liam Lead", "team_lead", "en")
	agent := e.addStaff(t, "agent@example.org", "Anna Agent", "agent", "de")

	open := e.submit(t, "de", "weg@example.org")
	e.bounce(t, open.ID, "dsn-1@mx.example")
	e.bounce(t, open.ID, "dsn-2@mx.example")

	mine := e.submit(t, "de", "auch-weg@example.org")
	if _, err := e.pool.Exec(ctx, `UPDATE tickets SET assignee_id = $2 WHERE id = $1`,
		mine.ID, agent); err != nil {
		t.Fatalf("assign: %v", err)
	}
	e.bounce(t, mine.ID, "dsn-3@mx.example")

	e.run(t)
	mails := smtp.Wait(t, 5, 10*time.Second)

	de := parsedStaff(t, mails, "lead@example.org", open.CaseNumber)
	wantContains(t, "bounce mail", de.Subject, "E-Mail an die Kontaktadresse kommt nicht an")
	wantContains(t, "bounce mail", de.Text, "Guten Tag Lena Leitung,", open.CaseNumber,
		"unzustellbar", "https://intern."+host+"/tickets/",
		"Antworten auf diese E-Mail liest niemand. Schreiben Sie bitte im Vorgang.")
	wantContains(t, "bounce mail HTML", de.HTML, `lang="de" dir="ltr"`,
		"Antworten auf diese E-Mail liest niemand.")
	for _, part := range []string{de.Subject, de.Text, de.HTML} {
		wantLacks(t, "bounce mail", part, "weg@example.org", citizenName, citizenText)
	}

	en := parsedStaff(t, mails, "lead-en@example.org", open.CaseNumber)
	wantContains(t, "English bounce mail", en.Text, "Hello Liam Lead,",
		"came back as undeliverable")
	if got := en.Header.Get("Content-Language"); got != "en" {
		t.Errorf("Content-Language %q, want en", got)
	}

	parsedStaff(t, mails, "agent@example.org", mine.CaseNumber)
	time.Sleep(200 * time.Millisecond)
	if n := len(smtp.Mails()); n != 5 {
		t.Errorf("%d mails, want 5: two acknowledgements, two leads once, the assignee", n)
	}

	var events int
	_ = e.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE kind = 'bounce'`).Scan(&events)
	if events != 2 {
		t.Errorf("%d bounce events, want one per ticket", events)
	}
}

// parsedStaff returns the one staff mail to rcpt about a case.
func parsedStaff(
	t *testing.T,
	mails []mailtest.Received,
	rcpt, caseNumber string,
) mailtest.Parsed {
	t.Helper()
	m := parsed(t, mails, rcpt)
	if !strings.HasPrefix(m.Subject, "["+caseNumber+"] ") {
		t.Errorf("staff mail subject %q, want the case number %s first", m.Subject, caseNumber)
	}

	if !strings.HasPrefix(m.Header.Get("Message-ID"), "<staff-") ||
		m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("staff mail headers: Message-ID %q, Auto-Submitted %q",
			m.Header.Get("Message-ID"), m.Header.Get("Auto-Submitted"))
	}

	return m
}

// TestOverdueTellsTheLeadsOnce lets a ticket's due date pass: the sweep tells
// the team lead once, records an overdue event, and ignores a waiting ticket,
// whose clock stands still.
func TestOverdueTellsTheLeadsOnce(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	ctx := context.Background()
	e.addStaff(t, "lead@example.org", "Lena Leitung", "team_lead", "de")
	late := e.submit(t, "de", "maria@example.org")
	waiting := e.submit(t, "de", "sam@example.org")
	e.ask(t, waiting.ID)

	var due time.Time
	if err := e.pool.QueryRow(ctx, `SELECT due_at FROM tickets WHERE id = $1`, late.ID).
		Scan(&due); err != nil {
		t.Fatalf("read due date: %v", err)
	}

	after := due.Add(time.Hour)
	e.sweep(t, due.Add(-time.Hour), ticket.SweepResult{})
	e.sweep(t, after, ticket.SweepResult{Overdue: 1})
	e.sweep(t, after.Add(time.Hour), ticket.SweepResult{})

	e.run(t)
	mails := smtp.Wait(t, 4, 10*time.Second)
	m := parsedStaff(t, mails, "lead@example.org", late.CaseNumber)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	wantContains(t, "overdue mail", m.Subject, "Frist überschritten")
	wantContains(t, "overdue mail", m.Text, "bis zum "+due.In(berlin).Format("02.01.2006"),
		"Schlagloch oder Straßenschaden", "als Teamleitung von")

	var notified bool
	var events int
	err := e.pool.QueryRow(ctx, `
SELECT t.overdue_notified_at IS NOT NULL,
	(SELECT count(*) FROM events WHERE ticket_id = t.id AND kind = 'overdue')
FROM tickets t
WHERE t.id = $1`, late.ID).Scan(&notified, &events)
	if err != nil || !notified || events != 1 {
		t.Errorf("overdue ticket: notified %v, %d events (%v); want true, 1", notified, events,
			err)
	}

	rows := e.rows(t, late.ID, "staff_"+ticket.StaffMessageOverdue)
	if len(rows) != 1 || rows[0].Status != mail.StatusSent {
		t.Errorf("outbox holds %+v for the overdue mail, want one sent", rows)
	}
}

// TestFailedStaffMailSentAfresh has the server refuse a lead's address, then
// removes the job, as the queue does with old jobs: the outbox's retry sends
// the staff mail afresh to the same lead.
func TestFailedStaffMailSentAfresh(t *testing.T) {
	smtp := mailtest.Start(t)
	smtp.Reject(func(rcpt string) bool { return rcpt == "lead@example.org" })
	e := newEnv(t, smtp.URL())
	ctx := context.Background()
	e.addStaff(t, "lead@example.org", "Lena Leitung", "team_lead", "de")
	c := e.submit(t, "de", "weg@example.org")
	e.bounce(t, c.ID, "dsn-1@mx.example")
	e.run(t)

	kind := "staff_" + ticket.StaffMessageBounce
	failed := e.oneRow(t, c.ID, kind)
	if failed.Status != mail.StatusFailed {
		t.Fatalf("staff mail %s, want failed", failed.Status)
	}

	if _, err := e.pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'notify_staff'`); err != nil {
		t.Fatal(err)
	}

	smtp.Reject(func(string) bool { return false })
	if err := e.outbox.Retry(ctx, failed.ID); err != nil {
		t.Fatalf("retry: %v", err)
	}
	e.run(t)

	m := parsedStaff(t, smtp.Wait(t, 2, 10*time.Second), "lead@example.org", c.CaseNumber)
	wantContains(t, "staff mail sent afresh", m.Text, "Guten Tag Lena Leitung,")
	if rows := e.rows(t, c.ID, kind); len(rows) != 2 || rows[1].Status != mail.StatusSent {
		t.Errorf("outbox holds %+v, want the failed mail and the one sent afresh", rows)
	}
}
