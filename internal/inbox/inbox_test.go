package inbox_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/inbox"
	"github.com/anliegen/anliegen/internal/ticket"
)

// waitFor moves a ticket to wait for the citizen, as a staff member's question does.
func (r *rig) waitFor(t *testing.T, id int64) {
	t.Helper()
	err := r.tickets.ChangeStatus(context.Background(), ticket.StatusChangeRequest{
		TicketID: id, Version: 1, To: ticket.WaitingForCitizen,
	})
	if err != nil {
		t.Fatalf("ask the citizen: %v", err)
	}
}

func (r *rig) status(t *testing.T, id int64) string {
	t.Helper()
	var s string
	if err := r.pool.QueryRow(context.Background(), `SELECT status FROM tickets WHERE id = $1`,
		id).Scan(&s); err != nil {
		t.Fatal(err)
	}

	return s
}

// lastCitizenMessage returns the newest message from the citizen on a ticket.
func (r *rig) lastCitizenMessage(t *testing.T, id int64) string {
	t.Helper()
	var body string
	err := r.pool.QueryRow(context.Background(), `SELECT body FROM messages
		WHERE ticket_id = $1 AND kind = 'from_citizen' ORDER BY id DESC LIMIT 1`, id).Scan(&body)
	if err != nil {
		t.Fatal(err)
	}

	return body
}

// sent records a mail as sent to a ticket's contact, as the mail worker does.
func (r *rig) sent(t *testing.T, ticketID int64, messageID string) {
	t.Helper()
	_, err := r.pool.Exec(context.Background(), `INSERT INTO outgoing_mail (ticket_id, kind,
		recipient, language, subject, text_body, html_body, message_id, status)
		VALUES ($1, 'acknowledgement', 'maria@example.org', 'de', 's', 't', 'h', $2, 'sent')`,
		ticketID, messageID)
	if err != nil {
		t.Fatalf("record sent mail: %v", err)
	}
}

const replyBody = `Ja, das Loch ist immer noch da und wird größer.

Mit freundlichen Grüßen
Maria Muster
-- 
Maria Muster, Hauptstraße 1, 09111 Chemnitz

Am 12.03.2026 um 10:15 schrieb Stadt Chemnitz <anliegen@stadt.example>:
> Ist das Loch noch da?
`

// TestReplyWithCaseNumber answers a question with the case number in the
// subject: the answer, without quote and signature, lands on the ticket, which
// goes back to work, and the mail is marked done.
func TestReplyWithCaseNumber(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	c := r.ticketOf(t, "maria@example.org")
	r.waitFor(t, c.ID)

	raw := "From: Maria Muster <Maria@Example.org>\nTo: anliegen@stadt.example\n" +
		"Subject: AW: [" + c.CaseNumber + "] Rückfrage zu Ihrem Anliegen\n" +
		"Message-ID: <reply-1@example.org>\nContent-Type: text/plain; charset=utf-8\n\n" +
		replyBody
	r.box.deliver(t, raw)

	sum := r.poll(t)
	if sum.Outcomes[ticket.MailAppended] != 1 {
		t.Fatalf("outcomes %v, want one appended", sum.Outcomes)
	}

	want := "Ja, das Loch ist immer noch da und wird größer.\n\nMit freundlichen Grüßen\n" +
		"Maria Muster"
	if got := r.lastCitizenMessage(t, c.ID); got != want {
		t.Errorf("message on the ticket %q, want %q", got, want)
	}

	if s := r.status(t, c.ID); s != string(ticket.Received) {
		t.Errorf("status %s after the answer, want received again", s)
	}

	var stored []byte
	err := r.pool.QueryRow(context.Background(), `SELECT raw FROM inbound_mail
		WHERE message_id = 'reply-1@example.org' AND ticket_id = $1`, c.ID).Scan(&stored)
	if err != nil || !bytes.Contains(stored, []byte("> Ist das Loch noch da?")) {
		t.Errorf("kept original %q, %v; want the mail as received", stored, err)
	}

	if n := r.box.unseen(t); n != 0 {
		t.Errorf("%d mails unseen after the pass, want 0", n)
	}

	if n := r.count(t, `SELECT count(*) FROM tickets`); n != 1 {
		t.Errorf("%d tickets, want 1", n)
	}
}

// TestReplyByInReplyTo answers a notice without the case number in the subject:
// In-Reply-To names the mail we sent.
func TestReplyByInReplyTo(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	c := r.ticketOf(t, "maria@example.org")
	sentID := fmt.Sprintf("notify-%d-acknowledgement-1@stadt.example", c.ID)
	r.sent(t, c.ID, sentID)

	r.box.deliver(t, "From: maria@example.org\nSubject: Re: Ihre Nachricht\n"+
		"Message-ID: <reply-2@example.org>\nIn-Reply-To: <"+sentID+">\n"+
		"References: <older@example.org> <"+sentID+">\n\nDanke, Foto folgt.\n")

	sum := r.poll(t)
	if sum.Outcomes[ticket.MailAppended] != 1 {
		t.Fatalf("outcomes %v, want one appended", sum.Outcomes)
	}

	if got := r.lastCitizenMessage(t, c.ID); got != "Danke, Foto folgt." {
		t.Errorf("message %q, want the reply", got)
	}
}

// TestReplyFromAnotherSender sends the same reply from an address that is not
// the ticket's contact: it opens a new ticket instead.
func TestReplyFromAnotherSender(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	c := r.ticketOf(t, "maria@example.org")
	sentID := fmt.Sprintf("notify-%d-acknowledgement-1@stadt.example", c.ID)
	r.sent(t, c.ID, sentID)

	r.box.deliver(t, "From: Mallory <mallory@example.net>\nSubject: AW: ["+c.CaseNumber+
		"] Schlagloch\nMessage-ID: <reply-3@example.net>\nIn-Reply-To: <"+sentID+">\n\n"+
		"Bitte schließen.\n")

	sum := r.poll(t)
	if sum.Outcomes[ticket.MailNewTicket] != 1 {
		t.Fatalf("outcomes %v, want one new ticket", sum.Outcomes)
	}

	if n := r.count(t, `SELECT count(*) FROM messages WHERE ticket_id = $1`, c.ID); n != 1 {
		t.Errorf("%d messages on the citizen's ticket, want still 1", n)
	}

	n := r.count(t, `SELECT count(*) FROM tickets WHERE id <> $1 AND channel = 'email'
		AND contact_email = 'mallory@example.net'`, c.ID)
	if n != 1 {
		t.Errorf("%d new tickets with the other sender as contact, want 1", n)
	}
}

// TestNewMailOpensTicket writes to the city out of the blue: a ticket in the
// intake service, the sender as its contact, and an acknowledgement.
func TestNewMailOpensTicket(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.box.deliver(t, "From: \"Jana Beispiel\" <jana@example.org>\nSubject: Laternen aus\n"+
		"Message-ID: <new-1@example.org>\nContent-Language: en\n\n"+
		"In der Parkstraße sind seit Tagen alle Laternen aus.\n")

	sum := r.poll(t)
	if sum.Outcomes[ticket.MailNewTicket] != 1 {
		t.Fatalf("outcomes %v, want one new ticket", sum.Outcomes)
	}

	var id int64
	var service, team, channel, name, email, subject, language string
	err := r.pool.QueryRow(context.Background(), `
SELECT t.id, s.code, tm.slug, t.channel, t.contact_name, t.contact_email, t.subject, t.language
FROM tickets t
JOIN services s ON s.id = t.service_id
JOIN teams tm ON tm.id = t.team_id`).Scan(&id, &service, &team, &channel, &name, &email,
		&subject, &language)
	if err != nil {
		t.Fatal(err)
	}

	got := []string{service, team, channel, name, email, subject, language}
	want := []string{intake, "buergerservice", "email", "Jana Beispiel", "jana@example.org",
		"Laternen aus", "en"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ticket %v, want %v", got, want)
	}

	if body := r.lastCitizenMessage(t, id); !strings.Contains(body, "Parkstraße") {
		t.Errorf("first message %q, want the mail's text", body)
	}

	n := r.count(t, `SELECT count(*) FROM river_job WHERE args->>'message' = 'acknowledgement'
		AND (args->>'ticket_id')::bigint = $1`, id)
	if n != 1 {
		t.Errorf("%d acknowledgements for the new ticket, want 1", n)
	}
}

// TestAutomaticMailIsNotAnswered delivers mail that programs send: none opens a
// ticket or sends anything, and each is remembered with its outcome.
func TestAutomaticMailIsNotAnswered(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, headers, want string
	}{
		{"out of office", "Auto-Submitted: auto-replied\nSubject: Abwesenheit: Ihr Anliegen\n",
			ticket.MailAutoReply},
		{"auto-generated", "Auto-Submitted: auto-generated; owner-email=x@example.org\n",
			ticket.MailAutoReply},
		{"exchange", "X-Auto-Response-Suppress: All\nSubject: Automatische Antwort\n",
			ticket.MailAutoReply},
		{"x-autoreply", "X-Autoreply: yes\n", ticket.MailAutoReply},
		{"read receipt", "Content-Type: multipart/report; report-type=disposition-notification;" +
			" boundary=b\n", ticket.MailAutoReply},
		{"bulk", "Precedence: bulk\n", ticket.MailIgnored},
		{"mailing list", "List-Id: <stadtrat.lists.example.org>\n", ticket.MailIgnored},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			c := r.ticketOf(t, "maria@example.org")
			id := fmt.Sprintf("auto-%d@example.org", i)
			r.box.deliver(t, "From: maria@example.org\nMessage-ID: <"+id+">\n"+
				"In-Reply-To: <notify-"+fmt.Sprint(c.ID)+"-acknowledgement-1@stadt.example>\n"+
				tc.headers+"\n--b\nContent-Type: text/plain\n\nIch bin nicht da.\n--b--\n")

			sum := r.poll(t)
			if sum.Outcomes[tc.want] != 1 {
				t.Fatalf("outcomes %v, want one %s", sum.Outcomes, tc.want)
			}

			if n := r.count(t, `SELECT count(*) FROM messages`); n != 1 {
				t.Errorf("%d messages, want only the ticket's first", n)
			}

			if n := r.count(t, `SELECT count(*) FROM tickets`); n != 1 {
				t.Errorf("%d tickets, want only the one there was", n)
			}

			if n := r.count(t, `SELECT count(*) FROM river_job`); n != 0 {
				t.Errorf("%d jobs enqueued, want none", n)
			}

			if n := r.count(t, `SELECT count(*) FROM inbound_mail WHERE message_id = $1
				AND outcome = $2`, id, tc.want); n != 1 {
				t.Errorf("mail not remembered as %s", tc.want)
			}
		})
	}
}

// dsn is a delivery status notification for the mail sentID to recipient.
func dsn(id, recipient, action, sentID, subject string) string {
	return "From: Mail Delivery System <MAILER-DAEMON@mx.example>\n" +
		"Subject: Undelivered Mail Returned to Sender\nMessage-ID: <" + id + ">\n" +
		"Auto-Submitted: auto-replied\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n" +
		"--r\nContent-Type: text/plain\n\nDie Nachricht konnte nicht zugestellt werden.\n" +
		"--r\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example\n\n" +
		"Final-Recipient: rfc822; " + recipient + "\nAction: " + action + "\n" +
		"Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n" +
		"--r\nContent-Type: text/rfc822-headers\n\n" +
		"From: anliegen@stadt.example\nTo: " + recipient + "\n" +
		"Subject: " + subject + "\nMessage-ID: <" + sentID + ">\n" +
		"--r--\n"
}

// TestBounce returns mail to the city: a failed delivery to the contact marks
// the address as failing, found by the returned Message-ID or by the case
// number; a delay or another recipient marks nothing. None opens a ticket.
func TestBounce(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		recorded  bool   // the returned mail is in outgoing_mail
		recipient string // the recipient the report names
		action    string
		subject   bool // the returned subject carries the case number
		failing   bool
	}{
		{"by message id", true, "weg@example.org", "failed", false, true},
		{"by case number", false, "weg@example.org", "failed", true, true},
		{"recipient in capitals", true, "WEG@example.org", "failed", false, true},
		{"only delayed", true, "weg@example.org", "delayed", false, false},
		{"another recipient", true, "andere@example.org", "failed", false, false},
		{"unknown mail", false, "weg@example.org", "failed", false, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			c := r.ticketOf(t, "weg@example.org")
			sentID := fmt.Sprintf("ack-%d@stadt.example", i)
			if tc.recorded {
				r.sent(t, c.ID, sentID)
			}

			subject := "Ihr Anliegen ist eingegangen"
			if tc.subject {
				subject = "[" + c.CaseNumber + "] " + subject
			}
			r.box.deliver(t, dsn(fmt.Sprintf("dsn-%d@mx.example", i), tc.recipient, tc.action,
				sentID, subject))

			sum := r.poll(t)
			if sum.Outcomes[ticket.MailBounce] != 1 {
				t.Fatalf("outcomes %v, want one bounce", sum.Outcomes)
			}

			failing := r.count(t, `SELECT count(*) FROM tickets WHERE id = $1
				AND contact_email_failing`, c.ID) == 1
			if failing != tc.failing {
				t.Errorf("contact failing %v, want %v", failing, tc.failing)
			}

			if n := r.count(t, `SELECT count(*) FROM tickets`); n != 1 {
				t.Errorf("%d tickets, want no new one", n)
			}

			if n := r.count(t, `SELECT count(*) FROM river_job`); n != 0 {
				t.Errorf("%d jobs enqueued for a bounce, want none", n)
			}
		})
	}
}

// TestCharsets opens tickets from mail in the encodings and charsets that mail
// programs use: umlauts arrive as umlauts in the text, the subject and the name.
func TestCharsets(t *testing.T) {
	t.Parallel()
	want := "Grüße aus der Straße: Ärger über Öl, 5 €"
	cases := []struct {
		name, headers, body string
	}{
		{"ISO-8859-1 quoted-printable",
			"Content-Type: text/plain; charset=ISO-8859-1\n" +
				"Content-Transfer-Encoding: quoted-printable\n",
			"Gr=FC=DFe aus der Stra=DFe: =C4rger =FCber =D6l, 5 =80\n"},
		{"UTF-8 base64",
			"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
			base64.StdEncoding.EncodeToString([]byte(want)) + "\n"},
		{"windows-1252 8bit",
			"Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n",
			"Gr\xfc\xdfe aus der Stra\xdfe: \xc4rger \xfcber \xd6l, 5 \x80\n"},
		{"8bit without a charset",
			"Content-Type: text/plain\nContent-Transfer-Encoding: 8bit\n",
			"Gr\xfc\xdfe aus der Stra\xdfe: \xc4rger \xfcber \xd6l, 5 \x80\n"},
		{"UTF-8 quoted-printable in HTML only",
			"Content-Type: text/html; charset=utf-8\n" +
				"Content-Transfer-Encoding: quoted-printable\n",
			"<html><body><p>Gr=C3=BC=C3=9Fe aus der Stra=C3=9Fe: =C3=84rger =C3=BCber =\n" +
				"=C3=96l, 5 &euro;</p></body></html>\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			r.box.deliver(t, "From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <joerg@example.org>\n"+
				"Subject: =?ISO-8859-1?Q?Stra=DFenlaterne_defekt?=\n"+
				"Message-ID: <charset@example.org>\nMIME-Version: 1.0\n"+tc.headers+"\n"+tc.body)
			r.poll(t)

			var id int64
			var subject, name string
			err := r.pool.QueryRow(context.Background(), `SELECT id, subject, contact_name
				FROM tickets`).Scan(&id, &subject, &name)
			if err != nil {
				t.Fatal(err)
			}

			if got := r.lastCitizenMessage(t, id); strings.TrimSpace(got) != want {
				t.Errorf("text %q, want %q", got, want)
			}

			if subject != "Straßenlaterne defekt" || name != "Jörg Müller" {
				t.Errorf("subject %q, name %q; want Straßenlaterne defekt, Jörg Müller",
					subject, name)
			}
		})
	}
}

func photo(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for x := 0; x < 32; x++ {
		for y := 0; y < 24; y++ {
			img.Set(x, y, color.RGBA{R: uint8(x * 8), G: uint8(y * 10), B: 90, A: 255})
		}
	}

	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}

	return b.Bytes()
}

// TestAttachments sends a photo and a program: the photo is stored with the
// ticket, the program is refused and named in an internal note.
func TestAttachments(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	jpg := base64.StdEncoding.EncodeToString(photo(t))
	r.box.deliver(t, "From: maria@example.org\nSubject: Foto vom Loch\n"+
		"Message-ID: <photo@example.org>\nMIME-Version: 1.0\n"+
		"Content-Type: multipart/mixed; boundary=\"m\"\n\n"+
		"--m\nContent-Type: text/plain; charset=utf-8\n\nIm Anhang das Foto.\n"+
		"--m\nContent-Type: image/jpeg\nContent-Disposition: attachment; filename=\"loch.jpg\"\n"+
		"Content-Transfer-Encoding: base64\n\n"+jpg+"\n"+
		"--m\nContent-Type: application/octet-stream\n"+
		"Content-Disposition: attachment; filename=\"rechnung.exe\"\n"+
		"Content-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA\n"+
		"--m--\n")
	r.poll(t)

	var name, kind string
	err := r.pool.QueryRow(context.Background(), `SELECT a.filename, a.content_type
		FROM attachments a JOIN messages m ON m.id = a.message_id
		WHERE m.kind = 'from_citizen'`).Scan(&name, &kind)
	if err != nil {
		t.Fatalf("the photo as an attachment of the message: %v", err)
	}

	if name != "loch.jpg" || kind != "image/jpeg" {
		t.Errorf("attachment %s (%s), want loch.jpg (image/jpeg)", name, kind)
	}

	if n := r.count(t, `SELECT count(*) FROM attachments`); n != 1 {
		t.Errorf("%d attachments, want only the photo", n)
	}

	var note string
	err = r.pool.QueryRow(context.Background(), `SELECT body FROM messages WHERE kind = 'note'`).
		Scan(&note)
	if err != nil || !strings.Contains(note, "rechnung.exe") {
		t.Errorf("note %q, %v; want one naming the refused rechnung.exe", note, err)
	}
}

// TestAcknowledgementsPerHour: the fourth mail within the hour from one unknown
// address still opens a ticket but gets no acknowledgement.
func TestAcknowledgementsPerHour(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	for i := 1; i <= 4; i++ {
		r.box.deliver(t, fmt.Sprintf("From: robot@example.org\nSubject: Ticket %d\n"+
			"Message-ID: <robot-%d@example.org>\n\nNeue Meldung.\n", i, i))
	}
	r.poll(t)

	if n := r.count(t, `SELECT count(*) FROM tickets`); n != 4 {
		t.Errorf("%d tickets, want 4", n)
	}

	if n := r.acknowledgements(t); n != ticket.MaxAcknowledgementsPerHour {
		t.Errorf("%d acknowledgements, want %d", n, ticket.MaxAcknowledgementsPerHour)
	}

	var acknowledged bool
	err := r.pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM river_job j
		JOIN tickets t ON t.id = (j.args->>'ticket_id')::bigint WHERE t.subject = 'Ticket 4')`).
		Scan(&acknowledged)
	if err != nil || acknowledged {
		t.Errorf("the fourth ticket acknowledged %v, %v; want not", acknowledged, err)
	}
}

// TestPollTwice runs two passes: the second takes nothing.
func TestPollTwice(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.box.deliver(t, "From: a@example.org\nSubject: Eins\nMessage-ID: <1@example.org>\n\nA\n")
	r.box.deliver(t, "From: b@example.org\nSubject: Zwei\nMessage-ID: <2@example.org>\n\nB\n")

	if sum := r.poll(t); sum.Outcomes[ticket.MailNewTicket] != 2 {
		t.Fatalf("first pass %v, want two new tickets", sum.Outcomes)
	}

	if sum := r.poll(t); len(sum.Outcomes) != 0 || sum.Known != 0 {
		t.Errorf("second pass %+v, want nothing taken", sum)
	}

	if n := r.count(t, `SELECT count(*) FROM tickets`); n != 2 {
		t.Errorf("%d tickets after two passes, want 2", n)
	}
}

// TestCrashBeforeFlag commits a mail's ticket and leaves the mail unseen, as a
// crash between the commit and the flag would: the next pass recognises the
// Message-ID, opens no second ticket and marks the mail done.
func TestCrashBeforeFlag(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.box.deliver(t, "From: a@example.org\nSubject: Eins\nMessage-ID: <crash@example.org>\n\nA\n")
	r.poll(t)
	r.box.unflagAll(t)

	if n := r.box.unseen(t); n != 1 {
		t.Fatalf("%d mails unseen after unflagging, want 1", n)
	}

	sum := r.poll(t)
	if sum.Known != 1 || len(sum.Outcomes) != 0 {
		t.Errorf("pass after the crash %+v, want the mail known and nothing taken", sum)
	}

	if n := r.count(t, `SELECT count(*) FROM tickets`); n != 1 {
		t.Errorf("%d tickets, want 1", n)
	}

	if n := r.acknowledgements(t); n != 1 {
		t.Errorf("%d acknowledgements, want 1", n)
	}

	if n := r.box.unseen(t); n != 0 {
		t.Errorf("%d mails unseen, want the mail marked done", n)
	}
}

// TestOneLeader: while one instance leads, another neither takes the lead nor
// polls; when the leader lets go, the other can.
func TestOneLeader(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	r.box.deliver(t, "From: a@example.org\nSubject: Eins\nMessage-ID: <lead@example.org>\n\nA\n")

	lead, err := inbox.TakeLead(ctx, r.pool)
	if err != nil {
		t.Fatalf("first TakeLead: %v", err)
	}

	if _, err := inbox.TakeLead(ctx, r.pool); !errors.Is(err, inbox.ErrNotLeader) {
		t.Errorf("second TakeLead: %v, want ErrNotLeader", err)
	}

	if _, err := r.poller.Poll(ctx); !errors.Is(err, inbox.ErrNotLeader) {
		t.Errorf("Poll while another leads: %v, want ErrNotLeader", err)
	}

	if n := r.box.unseen(t); n != 1 {
		t.Errorf("%d mails unseen while another leads, want 1", n)
	}

	lead.Release()
	if sum := r.poll(t); sum.Outcomes[ticket.MailNewTicket] != 1 {
		t.Errorf("pass after the leader let go %v, want one new ticket", sum.Outcomes)
	}
}

// TestPollersAtOnce runs two pollers against one mailbox at the same time: each
// pass either leads or is told another does, and every mail opens one ticket.
func TestPollersAtOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	for i := 0; i < 6; i++ {
		r.box.deliver(t, fmt.Sprintf("From: p%d@example.org\nSubject: Nr. %d\n"+
			"Message-ID: <p%d@example.org>\n\nText\n", i, i, i))
	}

	other := r.newPoller(t, "imap+plain://"+imapUser+":"+imapPassword+"@"+r.box.addr+"/INBOX",
		nil)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for _, p := range []*inbox.Poller{r.poller, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				if _, err := p.Poll(context.Background()); err != nil &&
					!errors.Is(err, inbox.ErrNotLeader) {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Poll: %v", err)
	}

	if n := r.count(t, `SELECT count(*) FROM tickets`); n != 6 {
		t.Errorf("%d tickets from 6 mails, want 6", n)
	}
}

// TestTransports reaches the mailbox over implicit TLS and over STARTTLS, and
// refuses to sign in to a server that offers no STARTTLS for an imap:// URL.
func TestTransports(t *testing.T) {
	t.Parallel()
	serverCert, roots := testCert(t)
	cases := []struct {
		name   string
		tr     transport
		scheme string
		ok     bool
	}{
		{"imaps", implicit, "imaps", true},
		{"imap with STARTTLS", startTLS, "imap", true},
		{"imap without STARTTLS", plainOnly, "imap", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			box := startMailbox(t, tc.tr, serverCert)
			box.deliver(t, "From: a@example.org\nSubject: Eins\n"+
				"Message-ID: <tls@example.org>\n\nA\n")
			p := r.newPoller(t, tc.scheme+"://"+imapUser+":"+imapPassword+"@"+box.addr+"/INBOX",
				roots)

			sum, err := p.Poll(context.Background())
			if tc.ok && (err != nil || sum.Outcomes[ticket.MailNewTicket] != 1) {
				t.Errorf("Poll = %v, %v; want one new ticket", sum.Outcomes, err)
			}

			if !tc.ok && err == nil {
				t.Error("Poll without STARTTLS succeeded, want it refused")
			}

			if !tc.ok && strings.Contains(box.wire.String(), imapPassword) {
				t.Error("the password went over the wire unencrypted")
			}
		})
	}
}

// TestReplyToEndedTicket answers a withdrawn ticket: a new ticket opens, with a
// note naming the old one, and the old one stays as it ended.
func TestReplyToEndedTicket(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	c := r.ticketOf(t, "maria@example.org")
	if err := r.tickets.Withdraw(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}

	r.box.deliver(t, "From: maria@example.org\nSubject: AW: ["+c.CaseNumber+"] Schlagloch\n"+
		"Message-ID: <late@example.org>\n\nDoch noch eine Frage.\n")

	if sum := r.poll(t); sum.Outcomes[ticket.MailNewTicket] != 1 {
		t.Fatalf("outcomes %v, want one new ticket", sum.Outcomes)
	}

	n := r.count(t, `SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id
		WHERE t.id <> $1 AND m.kind = 'note' AND m.body LIKE '%' || $2 || '%'`, c.ID, c.CaseNumber)
	if n != 1 {
		t.Errorf("%d notes naming %s on the new ticket, want 1", n, c.CaseNumber)
	}

	if s := r.status(t, c.ID); s != string(ticket.Withdrawn) {
		t.Errorf("old ticket %s, want still withdrawn", s)
	}
}

// TestRun starts the poller as the server does: it takes mail within its
// interval and stops when its context ends.
func TestRun(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.box.deliver(t, "From: a@example.org\nSubject: Eins\nMessage-ID: <run@example.org>\n\nA\n")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- inbox.Run(ctx, inbox.Options{
			URL:  "imap+plain://" + imapUser + ":" + imapPassword + "@" + r.box.addr + "/INBOX",
			Pool: r.pool, Tickets: r.tickets, Files: attachment.DefaultPolicy(),
			Interval: 20 * time.Millisecond, IntakeService: intake,
		})
	}()

	deadline := time.Now().Add(10 * time.Second)
	for r.box.unseen(t) != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()

	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v, want nil after the context ended", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}

	if n := r.count(t, `SELECT count(*) FROM tickets`); n != 1 {
		t.Errorf("%d tickets after Run, want 1", n)
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	cases := []struct {
		name string
		opts inbox.Options
	}{
		{"bad URL", inbox.Options{URL: "pop3://x:y@z", Pool: r.pool, Tickets: r.tickets,
			Files: attachment.DefaultPolicy(), IntakeService: intake}},
		{"unknown intake service", inbox.Options{URL: "imaps://x:y@mail.example",
			Pool: r.pool, Tickets: r.tickets, Files: attachment.DefaultPolicy(),
			IntakeService: "gibt-es-nicht"}},
		{"no store", inbox.Options{URL: "imaps://x:y@mail.example", Pool: r.pool,
			Files: attachment.DefaultPolicy(), IntakeService: intake}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := inbox.Run(context.Background(), tc.opts); err == nil {
				t.Error("Run accepted the options, want an error")
			}
		})
	}
}

// TestFailingMailIsSetAside: a mail that cannot be stored is tried in maxTries
// passes, then flagged for staff and tried no more, while the mail beside it
// is taken; a mail that fails once and is stored later leaves no count.
func TestFailingMailIsSetAside(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	// Storing the ticket of a mail with this subject fails, as a fault of the
	// database would.
	if _, err := r.pool.Exec(ctx, `
		CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.subject = 'Gift' THEN RAISE EXCEPTION 'refused for the test'; END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER refuse_poison BEFORE INSERT ON tickets
			FOR EACH ROW EXECUTE FUNCTION refuse_poison();`); err != nil {
		t.Fatal(err)
	}
	r.box.deliver(t, "From: a@example.org\nSubject: Gift\nMessage-ID: <gift@example.org>\n\nA\n")

	for pass := 1; pass <= 3; pass++ {
		if pass == 2 {
			r.box.deliver(t, "From: b@example.org\nSubject: Laterne\nMessage-ID: <ok@example.org>\n\nB\n")
		}
		sum, err := r.poller.Poll(ctx)
		if err != nil {
			t.Fatalf("pass %d: %v", pass, err)
		}

		wantFailed, wantAside := 1, 0
		if pass == 3 {
			wantFailed, wantAside = 0, 1
		}
		if sum.Failed != wantFailed || sum.SetAside != wantAside {
			t.Errorf("pass %d: %d failed and %d set aside, want %d and %d", pass,
				sum.Failed, sum.SetAside, wantFailed, wantAside)
		}
		if pass == 2 && sum.Outcomes[ticket.MailNewTicket] != 1 {
			t.Errorf("pass 2 took %v, want the other mail as a new ticket", sum.Outcomes)
		}
	}

	sum, err := r.poller.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.SetAside != 0 || len(sum.Outcomes) != 0 {
		t.Errorf("pass after setting aside %+v, want nothing tried", sum)
	}
	if n := r.box.flagged(t); n != 1 {
		t.Errorf("%d mails flagged for staff, want 1", n)
	}
	if n := r.box.unseen(t); n != 0 {
		t.Errorf("%d mails unseen, want none", n)
	}
	if n := r.count(t, `SELECT count(*) FROM inbound_failures
		WHERE message_id = 'gift@example.org' AND tries = 3 AND set_aside_at IS NOT NULL`); n != 1 {
		t.Errorf("%d records of the mail set aside after three tries, want 1", n)
	}

	// Once the fault is mended, a mail that failed once is stored and its
	// count goes.
	r.box.deliver(t, "From: c@example.org\nSubject: Gift\nMessage-ID: <spaet@example.org>\n\nC\n")
	if _, err := r.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.pool.Exec(ctx, `DROP TRIGGER refuse_poison ON tickets`); err != nil {
		t.Fatal(err)
	}
	if sum := r.poll(t); sum.Outcomes[ticket.MailNewTicket] != 1 {
		t.Errorf("after the mend %v, want the mail as a new ticket", sum.Outcomes)
	}
	if n := r.count(t, `SELECT count(*) FROM inbound_failures WHERE message_id = 'spaet@example.org'`); n != 0 {
		t.Errorf("the stored mail still has %d counts of failed passes", n)
	}
}
