package ticket

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

// serviceClockSQL reads what recounting a ticket's due dates for a new service
// needs: when it was created, its due dates, whether it has had its first
// answer, and the targets of the old and the new service.
const serviceClockSQL = `
SELECT t.created_at, t.due_at, t.first_answer_due_at, t.first_answer_at IS NOT NULL,
	o.sla_days, o.first_answer_days, n.sla_days, n.first_answer_days
FROM tickets t
JOIN services o ON o.id = $2
JOIN services n ON n.id = t.service_id
WHERE t.id = $1`

// recountDueSQL sets the recounted due dates. A ticket that was reported
// overdue and is now due later may be reported again when the new date passes.
const recountDueSQL = `
UPDATE tickets
SET due_at = $2,
	first_answer_due_at = $3,
	overdue_notified_at = CASE
		WHEN $2::timestamptz > now() THEN NULL
		ELSE overdue_notified_at
	END
WHERE id = $1`

// serviceClock is a ticket's clock as the change of its service finds it.
type serviceClock struct {
	created       time.Time
	due, firstDue *time.Time
	answered      bool
	oldDays       *int32
	oldFirstDays  *int32
	newDays       *int32
	newFirstDays  *int32
}

// recountDue counts a locked ticket's due dates anew from its creation with
// the targets of serviceID, before the ticket is filed under it. Working days
// the ticket already waited for the citizen still do not count: they are
// read off how far the old due date lies beyond the old service's target,
// which is where restartClock moved it. A wait still running is added when it
// ends, as for any ticket. The first answer's due date stays once answered.
func (s *Store) recountDue(ctx context.Context, tx pgx.Tx, id, oldServiceID int64) error {
	var c serviceClock
	err := tx.QueryRow(ctx, serviceClockSQL, id, oldServiceID).Scan(&c.created, &c.due,
		&c.firstDue, &c.answered, &c.oldDays, &c.oldFirstDays, &c.newDays, &c.newFirstDays)
	if err != nil {
		return fmt.Errorf("read the clock: %w", err)
	}

	due := s.recount(c.created, c.due, c.oldDays, c.newDays)
	firstDue := c.firstDue
	if !c.answered {
		firstDue = s.recount(c.created, c.firstDue, c.oldFirstDays, c.newFirstDays)
	}

	if _, err := tx.Exec(ctx, recountDueSQL, id, due, firstDue); err != nil {
		return fmt.Errorf("recount due dates: %w", err)
	}

	return nil
}

// recount returns the due date newDays working days after created, moved on
// by the working days by which due lies beyond oldDays after created; nil when
// the new service sets no target.
func (s *Store) recount(created time.Time, due *time.Time, oldDays, newDays *int32) *time.Time {
	if newDays == nil {
		return nil
	}

	paused := 0
	if due != nil && oldDays != nil {
		target := s.calendar.Due(created, int(*oldDays))
		paused = max(0, int(math.Round(s.calendar.WorkingDays(target, *due))))
	}

	d := s.calendar.Due(created, int(*newDays))

	return s.later(&d, paused)
}
