package mail

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/tracking"
)

// ListLimit is the most mails one outbox page shows.
const ListLimit = 200

// Entry is one mail of the outbox list with its ticket.
type Entry struct {
	Outgoing
	CaseNumber string
	Code       tracking.Code
	Epoch      int
}

// Retryable reports whether staff may send the mail again: it failed, or it
// is waiting for its next attempt after an error.
func (e Entry) Retryable() bool {
	return e.Status == StatusFailed || (e.Status == StatusQueued && e.LastError != "")
}

// RevealLink fills the access link into the text of a kept mail, so that the
// outbox stands in for the mail server it lacks.
func (e *Entry) RevealLink(links AccessLinks) {
	e.Text = FillSecret(e.Text, links.AccessSecret(e.Code, e.Epoch))
}

const listSQL = `
SELECT m.id, m.ticket_id, coalesce(m.event_id, 0), coalesce(m.job_id, 0), m.kind,
	m.recipient, m.language, m.subject, m.text_body, m.status, m.last_error, m.attempts,
	m.created_at, m.sent_at, t.case_number, t.tracking_code, t.access_epoch
FROM outgoing_mail m
JOIN tickets t ON t.id = m.ticket_id
WHERE $1 = '' OR m.status = $1
ORDER BY m.created_at DESC, m.id DESC
LIMIT $2`

// List returns the newest mails, of one status or, for "", of all; a status
// that is none of Statuses lists nothing.
func (o *Outbox) List(ctx context.Context, status string) ([]Entry, error) {
	rows, err := o.pool.Query(ctx, listSQL, status, ListLimit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}

	list, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}

	return list, nil
}

func scanEntry(row pgx.CollectableRow) (Entry, error) {
	var e Entry
	var code string
	err := row.Scan(&e.ID, &e.TicketID, &e.EventID, &e.JobID, &e.Kind, &e.Recipient,
		&e.Language, &e.Subject, &e.Text, &e.Status, &e.LastError, &e.Attempts, &e.CreatedAt,
		&e.SentAt, &e.CaseNumber, &code, &e.Epoch)
	if err != nil {
		return Entry{}, err
	}

	e.Code, err = tracking.ParseCode(code)

	return e, err
}

const retryTargetSQL = `
SELECT ticket_id, coalesce(event_id, 0), kind, coalesce(job_id, 0), status, last_error
FROM outgoing_mail
WHERE id = $1`

// Retry makes the job of a failed mail run again now, so that the same mail
// goes out under the same Message-ID. When the job queue has already removed
// that job, a new job sends the mail afresh. It returns db.ErrNotFound for an
// unknown mail and db.ErrConflict for one that is not Retryable.
func (o *Outbox) Retry(ctx context.Context, id int64) error {
	var e Entry
	err := o.pool.QueryRow(ctx, retryTargetSQL, id).Scan(&e.TicketID, &e.EventID, &e.Kind,
		&e.JobID, &e.Status, &e.LastError)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("retry mail %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("retry mail %d: %w", id, err)
	}

	if !e.Retryable() {
		return fmt.Errorf("retry mail %d: status %s: %w", id, e.Status, db.ErrConflict)
	}

	// Retries are rare and an insert-only client holds neither connections
	// nor goroutines, so one is made for each.
	jobs, err := river.NewClient(riverpgxv5.New(o.pool), &river.Config{})
	if err != nil {
		return fmt.Errorf("retry mail %d: job queue client: %w", id, err)
	}

	_, err = jobs.JobRetry(ctx, e.JobID)
	if errors.Is(err, rivertype.ErrNotFound) {
		err = o.enqueueAgain(ctx, jobs, id, e)
	}
	if err != nil {
		return fmt.Errorf("retry mail %d: %w", id, err)
	}

	return nil
}

const repointJobSQL = `
UPDATE outgoing_mail
SET job_id = $2
WHERE id = $1`

// enqueueAgain inserts a new job for the mail's message, which records and
// sends it as a new mail, and points the failed row at that job, so that a
// second click retries it instead of adding a third.
func (o *Outbox) enqueueAgain(
	ctx context.Context,
	jobs *river.Client[pgx.Tx],
	id int64,
	e Entry,
) error {
	tx, err := o.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op

	args, err := againArgs(ctx, tx, id, e)
	if err != nil {
		return fmt.Errorf("enqueue again: %w", err)
	}

	res, err := jobs.InsertTx(ctx, tx, args, nil)
	if err != nil {
		return fmt.Errorf("enqueue again: %w", err)
	}

	if _, err := tx.Exec(ctx, repointJobSQL, id, res.Job.ID); err != nil {
		return fmt.Errorf("point mail at new job: %w", err)
	}

	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}

	return nil
}
