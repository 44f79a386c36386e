package mail

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// maxErrorLength caps the server reply kept with a failed mail.
const maxErrorLength = 2000

// errVanished is returned when a mail row is neither inserted nor found, which
// only a concurrent run of the same job can cause; the job is tried again.
var errVanished = errors.New("outgoing mail row vanished")

// Outbox reads and writes outgoing_mail, the record of every mail to a citizen.
type Outbox struct {
	pool *pgxpool.Pool
}

// NewOutbox returns the outbox on pool.
func NewOutbox(pool *pgxpool.Pool) *Outbox {
	return &Outbox{pool: pool}
}

// prepareSQL inserts a mail, or returns the row an earlier attempt of the same
// job inserted under the same Message-ID, so that a retry sends that mail again
// instead of a second one.
const prepareSQL = `
WITH inserted AS (
	INSERT INTO outgoing_mail (ticket_id, event_id, job_id, kind, recipient, language,
		subject, text_body, html_body, message_id)
	VALUES (@ticket_id, NULLIF(@event_id::bigint, 0), @job_id, @kind, @recipient, @language,
		@subject, @text_body, @html_body, @message_id)
	ON CONFLICT (message_id) DO NOTHING
	RETURNING id, recipient, language, subject, text_body, html_body, status, attempts
)
SELECT id, recipient, language, subject, text_body, html_body, status, attempts
FROM inserted
UNION ALL
SELECT id, recipient, language, subject, text_body, html_body, status, attempts
FROM outgoing_mail
WHERE message_id = @message_id
  AND NOT EXISTS (SELECT 1 FROM inserted)`

// Prepare records m before it is sent and returns the stored mail: m itself
// with its new ID, or the mail an earlier attempt recorded under the same
// Message-ID, with that attempt's text and status.
func (o *Outbox) Prepare(ctx context.Context, m Outgoing) (Outgoing, error) {
	args := pgx.NamedArgs{
		"ticket_id": m.TicketID, "event_id": m.EventID, "job_id": m.JobID, "kind": m.Kind,
		"recipient": m.Recipient, "language": m.Language, "subject": m.Subject,
		"text_body": m.Text, "html_body": m.HTML, "message_id": m.MessageID,
	}
	err := o.pool.QueryRow(ctx, prepareSQL, args).Scan(&m.ID, &m.Recipient, &m.Language,
		&m.Subject, &m.Text, &m.HTML, &m.Status, &m.Attempts)
	if errors.Is(err, pgx.ErrNoRows) {
		return Outgoing{}, fmt.Errorf("prepare mail: %w", errVanished)
	}
	if err != nil {
		return Outgoing{}, fmt.Errorf("prepare mail: %w", err)
	}

	return m, nil
}

const markSentSQL = `
UPDATE outgoing_mail
SET status = 'sent',
	attempts = attempts + 1,
	sent_at = now()
WHERE id = $1`

// MarkSent records that the mail server took the mail.
func (o *Outbox) MarkSent(ctx context.Context, id int64) error {
	if _, err := o.pool.Exec(ctx, markSentSQL, id); err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}

	return nil
}

const markKeptSQL = `
UPDATE outgoing_mail
SET status = 'kept'
WHERE id = $1`

// MarkKept records that the mail stays in the outbox because no mail server
// is configured.
func (o *Outbox) MarkKept(ctx context.Context, id int64) error {
	if _, err := o.pool.Exec(ctx, markKeptSQL, id); err != nil {
		return fmt.Errorf("mark mail %d kept: %w", id, err)
	}

	return nil
}

const recordFailureSQL = `
UPDATE outgoing_mail
SET attempts = attempts + 1,
	last_error = $2,
	status = CASE WHEN $3::boolean THEN 'failed' ELSE 'queued' END
WHERE id = $1`

// RecordFailure records a failed delivery attempt with the server's reply;
// final marks the mail failed, when no attempt follows.
func (o *Outbox) RecordFailure(ctx context.Context, id int64, cause error, final bool) error {
	reply := []rune(cause.Error())
	if len(reply) > maxErrorLength {
		reply = reply[:maxErrorLength]
	}

	if _, err := o.pool.Exec(ctx, recordFailureSQL, id, string(reply), final); err != nil {
		return fmt.Errorf("record failure of mail %d: %w", id, err)
	}

	return nil
}
