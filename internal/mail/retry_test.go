package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/mail/mailtest"
	"github.com/anliegen/anliegen/internal/ticket"
)

// TestMailServerDownAtFirst lets the first attempts fail against a port where
// nothing listens, then starts the server there: the mail arrives exactly once,
// under the Message-ID of the row the failed attempts recorded.
func TestMailServerDownAtFirst(t *testing.T) {
	addr := mailtest.FreeAddr(t)
	e := newEnv(t, "smtp+plain://"+addr)
	c := e.submit(t, "de", "maria@example.org")
	e.start(t)

	failed := e.waitAttempts(t, c.ID, 3)
	if failed.Status != mail.StatusQueued || failed.LastError == "" || failed.Sent {
		t.Fatalf("after 3 failed attempts: status %s, error %q, sent %v; "+
			"want queued with the error, not sent", failed.Status, failed.LastError, failed.Sent)
	}

	smtp := mailtest.StartOn(t, addr)
	mails := smtp.Wait(t, 1, 15*time.Second)
	e.waitJobs(t, 15*time.Second)
	e.stop(t)

	if n := len(smtp.Mails()); n != 1 {
		t.Fatalf("the server received %d mails, want exactly 1", n)
	}

	m := parsed(t, mails, "maria@example.org")
	sent := e.oneRow(t, c.ID, ticket.MessageAcknowledgement)
	if got := m.Header.Get("Message-ID"); got != "<"+failed.MessageID+">" || sent.ID != failed.ID {
		t.Errorf("delivered as %s from row %d, want <%s> from row %d of the failed attempts",
			got, sent.ID, failed.MessageID, failed.ID)
	}

	if sent.Status != mail.StatusSent || sent.Attempts < 4 {
		t.Errorf("outgoing_mail: status %s after %d attempts, want sent after at least 4",
			sent.Status, sent.Attempts)
	}

	wantContains(t, "log", e.logs.String(), "mail not delivered: "+
		"the mail server could not be reached")
	wantLacks(t, "log", e.logs.String(), "maria@example.org")
}

// waitAttempts waits until the ticket's acknowledgement has failed n times.
func (e *env) waitAttempts(t *testing.T, ticketID int64, n int) row {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if rs := e.rows(t, ticketID, ticket.MessageAcknowledgement); len(rs) == 1 &&
			rs[0].Attempts >= n {
			return rs[0]
		}

		if time.Now().After(deadline) {
			t.Fatalf("the acknowledgement did not fail %d times within 15 s", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRetryAfterCrashSendsTheSameMail stands in for a worker that crashed
// after recording the mail but before sending it: the row of that attempt is
// there when the job runs. The job sends that very mail under its Message-ID,
// and running the job once more sends nothing again.
func TestRetryAfterCrashSendsTheSameMail(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, smtp.URL())
	c := e.submit(t, "de", "maria@example.org")
	ctx := context.Background()

	jobID := e.jobID(t, c.ID, ticket.MessageAcknowledgement)
	args := ticket.NotifyArgs{TicketID: c.ID, Message: ticket.MessageAcknowledgement}
	crashed, err := e.outbox.Prepare(ctx, mail.Outgoing{
		TicketID: c.ID, JobID: jobID, Kind: ticket.MessageAcknowledgement,
		Recipient: "maria@example.org", Language: "de",
		Subject: "[" + c.CaseNumber + "] Ihr Anliegen ist eingegangen (erster Versuch)",
		Text:    "Text des ersten Versuchs", HTML: "<p>Text des ersten Versuchs</p>",
		MessageID: mail.MessageID(args, jobID, host),
	})
	if err != nil {
		t.Fatalf("record the crashed attempt's mail: %v", err)
	}

	e.run(t)
	m := parsed(t, smtp.Wait(t, 1, 10*time.Second), "maria@example.org")
	if m.Subject != crashed.Subject || m.Header.Get("Message-ID") != "<"+crashed.MessageID+">" {
		t.Errorf("sent %q as %s, want the recorded %q as <%s>", m.Subject,
			m.Header.Get("Message-ID"), crashed.Subject, crashed.MessageID)
	}

	if _, err := e.jobs.JobRetry(ctx, jobID); err != nil {
		t.Fatalf("run the job again: %v", err)
	}
	e.run(t)

	if n := len(smtp.Mails()); n != 1 {
		t.Errorf("the server received %d mails after the job ran twice, want 1", n)
	}

	if r := e.oneRow(t, c.ID, ticket.MessageAcknowledgement); r.Status != mail.StatusSent ||
		r.Attempts != 1 {
		t.Errorf("outgoing_mail: status %s, %d attempts; want sent, 1", r.Status, r.Attempts)
	}
}

// TestFailedAfterLastAttemptAndRetried gives up after two attempts against a
// server that is down: the mail is failed with its error. Once the server is
// up, the outbox's retry sends it under the same Message-ID.
func TestFailedAfterLastAttemptAndRetried(t *testing.T) {
	addr := mailtest.FreeAddr(t)
	e := newEnv(t, "smtp+plain://"+addr, func(c *river.Config) { c.MaxAttempts = 2 })
	c := e.submit(t, "de", "maria@example.org")
	ctx := context.Background()
	e.run(t)

	failed := e.oneRow(t, c.ID, ticket.MessageAcknowledgement)
	if failed.Status != mail.StatusFailed || failed.Attempts != 2 ||
		!strings.Contains(failed.LastError, "connection refused") {
		t.Fatalf("outgoing_mail: status %s, %d attempts, error %q; "+
			"want failed, 2, connection refused", failed.Status, failed.Attempts, failed.LastError)
	}

	list, err := e.outbox.List(ctx, mail.StatusFailed)
	if err != nil || len(list) != 1 || !list[0].Retryable() {
		t.Fatalf("outbox lists %d failed mails (%v), want 1 that can be retried", len(list), err)
	}

	smtp := mailtest.StartOn(t, addr)
	if err := e.outbox.Retry(ctx, failed.ID); err != nil {
		t.Fatalf("retry: %v", err)
	}
	e.run(t)

	m := parsed(t, smtp.Wait(t, 1, 10*time.Second), "maria@example.org")
	if got := m.Header.Get("Message-ID"); got != "<"+failed.MessageID+">" {
		t.Errorf("retried mail has Message-ID %s, want <%s>", got, failed.MessageID)
	}

	if r := e.oneRow(t, c.ID, ticket.MessageAcknowledgement); r.Status != mail.StatusSent {
		t.Errorf("outgoing_mail status %s after the retry, want sent", r.Status)
	}

	if err := e.outbox.Retry(ctx, failed.ID); !errors.Is(err, db.ErrConflict) {
		t.Errorf("retry of a sent mail: %v, want db.ErrConflict", err)
	}

	if err := e.outbox.Retry(ctx, failed.ID+1000); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("retry of an unknown mail: %v, want db.ErrNotFound", err)
	}
}

// TestRefusedAddressFailsAtOnce has the server refuse the recipient with 550:
// no second attempt, the mail is failed with the reply, and the job queue's
// record of the error does not name the address.
func TestRefusedAddressFailsAtOnce(t *testing.T) {
	smtp := mailtest.Start(t)
	smtp.Reject(func(rcpt string) bool { return rcpt == "niemand@example.org" })
	e := newEnv(t, smtp.URL())
	c := e.submit(t, "de", "niemand@example.org")
	e.run(t)

	r := e.oneRow(t, c.ID, ticket.MessageAcknowledgement)
	if r.Status != mail.StatusFailed || r.Attempts != 1 || !strings.Contains(r.LastError, "550") {
		t.Errorf("outgoing_mail: status %s, %d attempts, error %q; want failed, 1, a 550 reply",
			r.Status, r.Attempts, r.LastError)
	}

	var state, errs string
	err := e.pool.QueryRow(context.Background(),
		`SELECT state, errors::text FROM river_job WHERE id = $1`,
		e.jobID(t, c.ID, ticket.MessageAcknowledgement)).Scan(&state, &errs)
	if err != nil {
		t.Fatalf("read job: %v", err)
	}

	if state != "cancelled" || !strings.Contains(errs, "reply code 550") {
		t.Errorf("job %s with errors %s, want cancelled with reply code 550", state, errs)
	}

	wantLacks(t, "job errors", errs, "niemand@example.org")
	wantLacks(t, "log", e.logs.String(), "niemand@example.org")
}
