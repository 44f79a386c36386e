package inbox_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/inbox"
	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/ticket"
)

// TestReplyToStaffNotificationOpensNoTicket has a team lead answer the mail
// that told them of an overdue ticket, with the case number in the subject:
// the reply is dropped with a log line, opens no ticket in the intake team and
// adds nothing to the citizen's ticket; a reply to a staff mail the outbox no
// longer keeps is recognised by its Message-ID alone.
func TestReplyToStaffNotificationOpensNoTicket(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var logs bytes.Buffer
	r.poller = r.newPollerLogging(t, slog.New(slog.NewJSONHandler(&logs, nil)))
	c := r.ticketOf(t, "maria@example.org")
	args := ticket.StaffNotifyArgs{TicketID: c.ID, StaffID: 3,
		Message: ticket.StaffMessageOverdue}
	kept := mail.StaffMessageID(args, 41, "stadt.example")
	_, err := r.pool.Exec(context.Background(), `INSERT INTO outgoing_mail (ticket_id, kind,
		recipient, language, subject, text_body, html_body, message_id, status)
		VALUES ($1, 'staff_overdue', 'lead@stadt.example', 'de', 's', 't', 'h', $2, 'sent')`,
		c.ID, kept)
	if err != nil {
		t.Fatal(err)
	}
	gone := mail.StaffMessageID(args, 42, "stadt.example")

	for i, ref := range []string{kept, gone} {
		r.box.deliver(t, "From: Lea Lead <lead@stadt.example>\nSubject: AW: ["+c.CaseNumber+
			"] Frist überschritten\nMessage-ID: <lead-"+string(rune('a'+i))+
			"@stadt.example>\nIn-Reply-To: <"+ref+">\nReferences: <"+ref+">\n\n"+
			"Ich kümmere mich morgen darum.\n")
	}

	sum := r.poll(t)
	if sum.Outcomes[ticket.MailIgnored] != 2 || len(sum.Outcomes) != 1 {
		t.Fatalf("outcomes %v, want two ignored", sum.Outcomes)
	}

	if n := r.count(t, `SELECT count(*) FROM tickets`); n != 1 {
		t.Errorf("%d tickets after the team lead's replies, want still 1", n)
	}
	if n := r.count(t, `SELECT count(*) FROM messages WHERE ticket_id = $1`, c.ID); n != 1 {
		t.Errorf("%d messages on the citizen's ticket, want still 1", n)
	}
	if n := r.count(t, `SELECT count(*) FROM inbound_mail WHERE outcome = 'ignored'`); n != 2 {
		t.Errorf("%d replies remembered as ignored, want 2", n)
	}
	if n := r.box.unseen(t); n != 0 {
		t.Errorf("%d mails unseen after the pass, want 0", n)
	}

	if !bytes.Contains(logs.Bytes(), []byte("reply to a staff notification")) ||
		bytes.Contains(logs.Bytes(), []byte("lead@stadt.example")) {
		t.Errorf("log %s; want the drop named, without the address", logs.String())
	}
}

// newPollerLogging is the rig's poller writing its log to logger.
func (r *rig) newPollerLogging(t *testing.T, logger *slog.Logger) *inbox.Poller {
	t.Helper()
	p, err := inbox.New(context.Background(), inbox.Options{
		URL:  "imap+plain://" + imapUser + ":" + imapPassword + "@" + r.box.addr + "/INBOX",
		Pool: r.pool, Tickets: r.tickets, Files: attachment.DefaultPolicy(),
		IntakeService: intake, Logger: logger,
	})
	if err != nil {
		t.Fatalf("inbox.New: %v", err)
	}

	return p
}
