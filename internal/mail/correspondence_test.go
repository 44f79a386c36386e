package mail_test

import (
	"context"
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/mail/mailtest"
	"github.com/anliegen/anliegen/internal/ticket"
)

// changeStatus moves a ticket to status as staff would.
func (e *env) changeStatus(t *testing.T, id int64, to ticket.Status, note string) {
	t.Helper()
	ctx := context.Background()
	var version int32
	if err := e.pool.QueryRow(ctx, `SELECT version FROM tickets WHERE id = $1`, id).
		Scan(&version); err != nil {
		t.Fatalf("read version: %v", err)
	}

	err := e.tickets.ChangeStatus(ctx, ticket.StatusChangeRequest{
		TicketID: id, Version: version, To: to, PublicNote: note,
	})
	if err != nil {
		t.Fatalf("change status to %s: %v", to, err)
	}
}

// TestResolvedMailAsksForSatisfaction resolves a German and an Arabic ticket:
// each mail carries the note and five links, one per score, to the portal's
// page for the ticket's token, in the ticket's language.
func TestResolvedMailAsksForSatisfaction(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	de := e.submit(t, "de", "maria@example.org")
	ar := e.submit(t, "ar", "layla@example.org")
	e.changeStatus(t, de.ID, ticket.Resolved, "Das Loch ist geflickt.")
	e.changeStatus(t, ar.ID, ticket.Resolved, "")

	e.run(t)
	bySubject := subjects(t, smtp.Wait(t, 4, 10*time.Second))

	m := wantSubject(t, bySubject, de.CaseNumber, "Ihr Anliegen ist erledigt")
	link := "https://" + host + "/feedback/" + e.tickets.FeedbackToken(de.ID) + "?lang=de&score="
	wantContains(t, "resolved mail", m.Text, "Das Loch ist geflickt.",
		"Wie zufrieden sind Sie mit der Bearbeitung?", "1 – gar nicht zufrieden: "+link+"1",
		"5 – sehr zufrieden: "+link+"5")
	for score := 1; score <= 5; score++ {
		wantContains(t, "resolved mail HTML", m.HTML,
			`href="`+html.EscapeString(link+strconv.Itoa(score))+`"`)
	}

	arMail := wantSubject(t, bySubject, ar.CaseNumber, "تم إنجاز طلبكم")
	wantContains(t, "Arabic resolved mail", arMail.HTML, `lang="ar" dir="rtl"`,
		"ما مدى رضاكم عن معالجة طلبكم؟", "?lang=ar&amp;score=3", "5 – راضٍ جدًا")
	e.oneRow(t, de.ID, mail.MessageResolved)
}

// insertEvent records an event of a staff action directly, as the back
// office's forward, reject and merge actions do, and enqueues its mail.
func (e *env) insertEvent(t *testing.T, id int64, kind, value, note, message string) {
	t.Helper()
	ctx := context.Background()
	var eventID int64
	err := e.pool.QueryRow(ctx, `
INSERT INTO events (ticket_id, kind, new_value, public_note)
VALUES ($1, $2, $3, $4)
RETURNING id`, id, kind, value, note).Scan(&eventID)
	if err != nil {
		t.Fatalf("insert %s event: %v", kind, err)
	}

	args := ticket.NotifyArgs{TicketID: id, Message: message, EventID: eventID}
	if _, err := e.jobs.Insert(ctx, args, nil); err != nil {
		t.Fatalf("enqueue %s: %v", message, err)
	}
}

// TestForwardedRejectedMergedMails sends the mail of each staff action in
// German, English and Arabic with what its event names.
func TestForwardedRejectedMergedMails(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	tests := []struct {
		name, lang, kind, value, note, message, subject string
		want                                            []string
	}{
		{"forwarded", "de", "forward", "Landesamt für Straßenbau",
			"Die Straße gehört dem Land.",
			mail.MessageForwarded, "Ihr Anliegen wurde weitergeleitet",
			[]string{"Zuständig ist jetzt:\nLandesamt für Straßenbau",
				"Die Straße gehört dem Land.", "meldet sich bei Ihnen"}},
		{"rejected", "en", "reject", "Tenancy advice centre, phone 0371 488-0",
			"Rent disputes are a private matter.", mail.MessageRejected,
			"We cannot handle your request",
			[]string{"The reason:\nRent disputes are a private matter.",
				"Where you can get help:\nTenancy advice centre, phone 0371 488-0"}},
		{"merged", "ar", "merge", "2026-000777", "", mail.MessageMerged,
			"تتم معالجة طلبكم مع 2026-000777", []string{"تحت رقم الملف 2026-000777"}},
	}

	created := make([]ticket.Created, len(tests))
	for i, tt := range tests {
		created[i] = e.submit(t, tt.lang, tt.name+"@example.org")
		e.insertEvent(t, created[i].ID, tt.kind, tt.value, tt.note, tt.message)
	}

	e.run(t)
	bySubject := subjects(t, smtp.Wait(t, 2*len(tests), 10*time.Second))

	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := created[i]
			m := wantSubject(t, bySubject, c.CaseNumber, tt.subject)
			text := strings.ReplaceAll(m.Text, "\r\n", "\n")
			wantContains(t, tt.name+" mail", text, tt.want...)
			wantContains(t, tt.name+" mail", m.Text, "/a/"+e.tickets.AccessSecret(c.Code, 1))
			dir := map[string]string{"ar": "rtl"}[tt.lang]
			if dir == "" {
				dir = "ltr"
			}
			wantContains(t, tt.name+" HTML", m.HTML, `lang="`+tt.lang+`" dir="`+dir+`"`,
				html.EscapeString(tt.value))
			if got := m.Header.Get("Content-Language"); got != tt.lang {
				t.Errorf("Content-Language %q, want %q", got, tt.lang)
			}
			e.oneRow(t, c.ID, tt.message)
		})
	}
}

// TestServiceTurnsMessagesOff turns the status mail and, in vain, the
// acknowledgement off for the service: the acknowledgement still goes out,
// the status change sends nothing and records nothing, the answer goes out.
func TestServiceTurnsMessagesOff(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	ctx := context.Background()
	_, err := e.pool.Exec(ctx, `
UPDATE services
SET messages = '{"status_changed": false, "acknowledgement": false, "answer": true}'
WHERE id = $1`, e.service.ID)
	if err != nil {
		t.Fatalf("turn messages off: %v", err)
	}

	c := e.submit(t, "de", "maria@example.org")
	e.changeStatus(t, c.ID, ticket.InProgress, "Wir sind dran.")
	var version int32
	_ = e.pool.QueryRow(ctx, `SELECT version FROM tickets WHERE id = $1`, c.ID).Scan(&version)
	a := ticket.Action{TicketID: c.ID, Version: version}
	if err := e.tickets.Answer(ctx, a, "Morgen kommt der Trupp.", false); err != nil {
		t.Fatalf("answer: %v", err)
	}

	e.run(t)
	bySubject := subjects(t, smtp.Wait(t, 2, 10*time.Second))
	wantSubject(t, bySubject, c.CaseNumber, "Ihr Anliegen ist eingegangen")
	wantSubject(t, bySubject, c.CaseNumber, "Neue Nachricht zu Ihrem Anliegen")

	time.Sleep(200 * time.Millisecond)
	if n := len(smtp.Mails()); n != 2 {
		t.Errorf("%d mails arrived, want 2: the status mail is turned off", n)
	}

	if rows := e.rows(t, c.ID, ticket.MessageStatusChanged); len(rows) != 0 {
		t.Errorf("%d status mails recorded, want none", len(rows))
	}

	wantContains(t, "log", e.logs.String(), "mail skipped: turned off for the service")
}

// TestActionSendsOneMail records a forwarding as the back office does, the
// change of status and the forward event in one transaction with a job for
// each: only the forwarding's mail goes out. A plain change of status to
// forwarded, without the action, still sends the status mail.
func TestActionSendsOneMail(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	ctx := context.Background()
	action := e.submit(t, "de", "maria@example.org")
	plain := e.submit(t, "de", "sam@example.org")

	tx, err := e.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op

	var statusID, forwardID int64
	err = tx.QueryRow(ctx, `
INSERT INTO events (ticket_id, kind, old_value, new_value)
VALUES ($1, 'status', 'received', 'forwarded')
RETURNING id`, action.ID).Scan(&statusID)
	if err == nil {
		err = tx.QueryRow(ctx, `
INSERT INTO events (ticket_id, kind, new_value)
VALUES ($1, 'forward', 'Landesamt für Straßenbau')
RETURNING id`, action.ID).Scan(&forwardID)
	}
	if err != nil {
		t.Fatalf("insert events: %v", err)
	}

	for _, args := range []ticket.NotifyArgs{
		{TicketID: action.ID, Message: ticket.MessageStatusChanged, EventID: statusID},
		{TicketID: action.ID, Message: mail.MessageForwarded, EventID: forwardID},
	} {
		if _, err := e.jobs.InsertTx(ctx, tx, args, nil); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
	}

	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	e.changeStatus(t, plain.ID, ticket.Forwarded, "")
	e.run(t)
	bySubject := subjects(t, smtp.Wait(t, 4, 10*time.Second))
	wantSubject(t, bySubject, action.CaseNumber, "Ihr Anliegen wurde weitergeleitet")
	wantSubject(t, bySubject, plain.CaseNumber, "Neuer Stand: Weitergeleitet")

	time.Sleep(200 * time.Millisecond)
	if n := len(smtp.Mails()); n != 4 {
		t.Errorf("%d mails, want 4: two acknowledgements, the forwarding, the plain status", n)
	}

	if rows := e.rows(t, action.ID, ticket.MessageStatusChanged); len(rows) != 0 {
		t.Errorf("the forwarded ticket also got %d status mails", len(rows))
	}
}
