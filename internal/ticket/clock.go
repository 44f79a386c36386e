package ticket

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

// DueSoonWorkingDays is how many working days before its due date an open
// ticket counts as due soon in the queues.
const DueSoonWorkingDays = 1

// DueSoon reports whether an open ticket, not yet overdue at now, is due
// within DueSoonWorkingDays working days. A ticket waiting for the citizen is
// never due soon: its clock stands still.
func (s *Store) DueSoon(t Summary, now time.Time) bool {
	if t.Status.Terminal() || t.Status == Resolved || t.Status == WaitingForCitizen {
		return false
	}

	if t.DueAt == nil || now.After(*t.DueAt) {
		return false
	}

	return !s.calendar.Due(now, DueSoonWorkingDays).Before(*t.DueAt)
}

const firstAnswerDaysSQL = `
SELECT first_answer_days
FROM services
WHERE id = $1`

// firstAnswerDue returns when the first answer to a ticket of the service,
// created at now, is due, or nil when the service sets no target.
func (s *Store) firstAnswerDue(
	ctx context.Context,
	tx pgx.Tx,
	serviceID int64,
	now time.Time,
) (*time.Time, error) {
	var days *int32
	err := tx.QueryRow(ctx, firstAnswerDaysSQL, serviceID).Scan(&days)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && days == nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read first answer target: %w", err)
	}

	due := s.calendar.Due(now, int(*days))

	return &due, nil
}

const startWaitSQL = `
UPDATE tickets
SET waiting_since = $2,
	reminded_at = NULL
WHERE id = $1`

const waitSQL = `
SELECT waiting_since, due_at, first_answer_due_at
FROM tickets
WHERE id = $1`

const endWaitSQL = `
UPDATE tickets
SET waiting_since = NULL,
	reminded_at = NULL,
	due_at = $2,
	first_answer_due_at = $3
WHERE id = $1`

// moveClock keeps the service-level clock of a locked ticket in step with its
// move from one status to another at now: waiting for the citizen stops the
// clock, and leaving the wait moves both due dates on by the working days the
// ticket waited.
func (s *Store) moveClock(
	ctx context.Context,
	tx pgx.Tx,
	id int64,
	from, to Status,
	now time.Time,
) error {
	switch {
	case from == to:
		return nil
	case to == WaitingForCitizen:
		if _, err := tx.Exec(ctx, startWaitSQL, id, now); err != nil {
			return fmt.Errorf("stop the clock: %w", err)
		}
	case from == WaitingForCitizen:
		return s.restartClock(ctx, tx, id, now)
	}

	return nil
}

func (s *Store) restartClock(ctx context.Context, tx pgx.Tx, id int64, now time.Time) error {
	var since, due, firstDue *time.Time
	if err := tx.QueryRow(ctx, waitSQL, id).Scan(&since, &due, &firstDue); err != nil {
		return fmt.Errorf("read the clock: %w", err)
	}

	// A ticket that began to wait before the clock was kept has no start.
	if since != nil {
		waited := int(math.Round(s.calendar.WorkingDays(*since, now)))
		due, firstDue = s.later(due, waited), s.later(firstDue, waited)
	}

	if _, err := tx.Exec(ctx, endWaitSQL, id, due, firstDue); err != nil {
		return fmt.Errorf("restart the clock: %w", err)
	}

	return nil
}

// later returns the due date moved on by n working days; nil stays nil.
func (s *Store) later(due *time.Time, n int) *time.Time {
	if due == nil || n <= 0 {
		return due
	}

	d := s.calendar.Due(*due, n)

	return &d
}
