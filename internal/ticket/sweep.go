package ticket

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Messages the sweep sends a citizen whose question is still open.
const (
	MessageReminder         = "reminder"
	MessageClosedUnanswered = "closed_unanswered"
)

// sweepBatch is how many tickets one transaction of the sweep handles, so
// that a backlog neither holds locks for long nor builds one huge transaction.
const sweepBatch = 100

// OverdueLookback is how long after its due date a ticket that nobody was told
// about still brings its team leads a mail; tickets overdue for longer, such as
// on the first run after an upgrade, are only shown in the overdue view.
const OverdueLookback = 7 * 24 * time.Hour

// SweepResult counts what one sweep did.
type SweepResult struct {
	Reminded int
	Closed   int
	Overdue  int
}

// Sweep does at now what the passing of time asks of the tickets: it reminds
// the citizen of a question that waited the service's reminder days, closes a
// ticket whose question stayed unanswered the closing days after the reminder,
// and tells the team leads of a ticket that went overdue. Each step records
// its event, marks the ticket and enqueues the mail in one transaction, so
// that running the sweep again, or on two instances at once, repeats nothing.
func (s *Store) Sweep(ctx context.Context, now time.Time) (SweepResult, error) {
	var r SweepResult
	steps := []struct {
		query string
		act   func(context.Context, pgx.Tx, int64, time.Time) error
		count *int
	}{
		{dueRemindersSQL, s.remind, &r.Reminded},
		{dueClosingsSQL, s.closeUnanswered, &r.Closed},
		{dueOverdueSQL, s.tellOverdue, &r.Overdue},
	}

	for _, st := range steps {
		for {
			n, err := s.sweepBatch(ctx, st.query, now, func(tx pgx.Tx, id int64) error {
				return st.act(ctx, tx, id, now)
			})
			*st.count += n
			if err != nil {
				return r, fmt.Errorf("sweep: %w", err)
			}
			if n < sweepBatch {
				break
			}
		}
	}

	return r, nil
}

// sweepBatch locks up to sweepBatch tickets that query finds due at now, skips
// those another instance holds, and acts on each in one transaction.
func (s *Store) sweepBatch(
	ctx context.Context,
	query string,
	now time.Time,
	act func(pgx.Tx, int64) error,
) (int, error) {
	var n int
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, query, now, sweepBatch)
		if err != nil {
			return fmt.Errorf("find due tickets: %w", err)
		}

		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("find due tickets: %w", err)
		}

		for _, id := range ids {
			if err := act(tx, id); err != nil {
				return fmt.Errorf("ticket %d: %w", id, err)
			}
		}
		n = len(ids)

		return nil
	})
	if err != nil {
		return 0, err
	}

	return n, nil
}

// dueRemindersSQL finds waiting tickets whose question has waited the
// service's reminder days without a reminder. Only waiting tickets carry
// waiting_since, so its partial index holds few rows. A ticket without an
// e-mail address is neither reminded nor, therefore, closed: its citizen
// could not be told, and staff follow it up by phone or letter.
const dueRemindersSQL = `
SELECT t.id
FROM tickets t
JOIN services s ON s.id = t.service_id
WHERE t.waiting_since IS NOT NULL
  AND t.waiting_since <= $1::timestamptz - make_interval(days => s.reminder_days)
  AND t.reminded_at IS NULL
  AND t.status = 'waiting_for_citizen'
  AND t.contact_email <> ''
ORDER BY t.waiting_since
LIMIT $2
FOR UPDATE OF t SKIP LOCKED`

// markRemindedSQL returns the address and when the ticket closes unanswered.
const markRemindedSQL = `
UPDATE tickets t
SET reminded_at = $2
FROM services s
WHERE t.id = $1
  AND s.id = t.service_id
RETURNING t.contact_email, $2::timestamptz + make_interval(days => s.close_after_days)`

const insertSystemEventSQL = `
INSERT INTO events (ticket_id, kind, new_value)
VALUES ($1, $2, $3)
RETURNING id`

// remind records the reminder, whose event names the time the ticket will
// close unanswered, and enqueues its mail.
func (s *Store) remind(ctx context.Context, tx pgx.Tx, id int64, now time.Time) error {
	var email string
	var closes time.Time
	if err := tx.QueryRow(ctx, markRemindedSQL, id, now).Scan(&email, &closes); err != nil {
		return fmt.Errorf("mark reminded: %w", err)
	}

	var eventID int64
	err := tx.QueryRow(ctx, insertSystemEventSQL, id, "reminder",
		closes.UTC().Format(time.RFC3339)).Scan(&eventID)
	if err != nil {
		return fmt.Errorf("insert reminder event: %w", err)
	}

	if email == "" {
		return nil
	}

	return s.notify(ctx, tx, NotifyArgs{TicketID: id, Message: MessageReminder, EventID: eventID})
}

// dueClosingsSQL finds waiting tickets reminded the service's closing days ago.
const dueClosingsSQL = `
SELECT t.id
FROM tickets t
JOIN services s ON s.id = t.service_id
WHERE t.waiting_since IS NOT NULL
  AND t.reminded_at <= $1::timestamptz - make_interval(days => s.close_after_days)
  AND t.status = 'waiting_for_citizen'
ORDER BY t.waiting_since
LIMIT $2
FOR UPDATE OF t SKIP LOCKED`

// closeUnanswered closes a ticket by the system, with no actor, and sends the
// closing notice instead of the plain change of status.
func (s *Store) closeUnanswered(ctx context.Context, tx pgx.Tx, id int64, now time.Time) error {
	var email string
	if err := tx.QueryRow(ctx, contactEmailSQL, id).Scan(&email); err != nil {
		return fmt.Errorf("read contact: %w", err)
	}

	if _, err := tx.Exec(ctx, updateStatusSQL, id, Closed); err != nil {
		return fmt.Errorf("close: %w", err)
	}

	if err := s.moveClock(ctx, tx, id, WaitingForCitizen, Closed, now); err != nil {
		return err
	}

	var eventID int64
	err := tx.QueryRow(ctx, insertStatusEventSQL, id, nil, WaitingForCitizen, Closed, "").
		Scan(&eventID)
	if err != nil {
		return fmt.Errorf("insert status event: %w", err)
	}

	if email == "" {
		return nil
	}

	return s.notify(ctx, tx, NotifyArgs{
		TicketID: id, Message: MessageClosedUnanswered, EventID: eventID,
	})
}

// dueOverdueSQL finds open tickets past their due date whose team leads were
// not told yet. A waiting ticket's clock stands still, so it is not overdue.
const dueOverdueSQL = `
SELECT t.id
FROM tickets t
WHERE t.due_at <= $1::timestamptz
  AND t.due_at > $1::timestamptz - interval '` + overdueLookbackSQL + `'
  AND t.status NOT IN ('resolved', 'closed', 'rejected', 'withdrawn', 'merged',
	'waiting_for_citizen')
  AND t.overdue_notified_at IS NULL
ORDER BY t.due_at
LIMIT $2
FOR UPDATE OF t SKIP LOCKED`

// overdueLookbackSQL is OverdueLookback as an SQL interval.
const overdueLookbackSQL = "7 days"

const markOverdueSQL = `
UPDATE tickets
SET overdue_notified_at = $2
WHERE id = $1
RETURNING team_id, to_char(due_at, 'YYYY-MM-DD')`

func (s *Store) tellOverdue(ctx context.Context, tx pgx.Tx, id int64, now time.Time) error {
	var teamID int64
	var due string
	if err := tx.QueryRow(ctx, markOverdueSQL, id, now).Scan(&teamID, &due); err != nil {
		return fmt.Errorf("mark overdue: %w", err)
	}

	var eventID int64
	err := tx.QueryRow(ctx, insertSystemEventSQL, id, "overdue", due).Scan(&eventID)
	if err != nil {
		return fmt.Errorf("insert overdue event: %w", err)
	}

	args := StaffNotifyArgs{TicketID: id, Message: StaffMessageOverdue, EventID: eventID}

	return s.notifyStaff(ctx, tx, args, leadsSQL, teamID)
}
