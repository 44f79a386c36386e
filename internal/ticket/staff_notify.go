package ticket

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// StaffNotifyArgs is the job that tells one staff member by mail about a
// ticket that needs them: a contact address that fails, or a ticket overdue.
type StaffNotifyArgs struct {
	TicketID int64  `json:"ticket_id"`
	StaffID  int64  `json:"staff_id"`
	Message  string `json:"message"`
	EventID  int64  `json:"event_id,omitempty"`
}

// Kind names the job for the queue.
func (StaffNotifyArgs) Kind() string { return "notify_staff" }

// Messages staff are sent about a ticket.
const (
	StaffMessageBounce  = "bounce"
	StaffMessageOverdue = "overdue"
)

// leadsSQL lists the active team leads of a team.
const leadsSQL = `
SELECT st.id
FROM team_members tm
JOIN staff st ON st.id = tm.staff_id
WHERE tm.team_id = $1
  AND st.role = 'team_lead'
  AND st.disabled_at IS NULL
ORDER BY st.id`

// responsibleSQL names the ticket's active assignee, or else the active team
// leads of its team.
const responsibleSQL = `
SELECT st.id
FROM tickets t
JOIN staff st ON st.id = t.assignee_id
WHERE t.id = $1
  AND st.disabled_at IS NULL
UNION ALL
SELECT st.id
FROM tickets t
JOIN team_members tm ON tm.team_id = t.team_id
JOIN staff st ON st.id = tm.staff_id
WHERE t.id = $1
  AND st.role = 'team_lead'
  AND st.disabled_at IS NULL
  AND NOT EXISTS (
	SELECT 1
	FROM staff a
	JOIN tickets tt ON tt.assignee_id = a.id
	WHERE tt.id = $1
	  AND a.disabled_at IS NULL
  )`

// notifyStaff enqueues message about the ticket for each staff member that
// query, with arg, names, in the caller's transaction.
func (s *Store) notifyStaff(
	ctx context.Context,
	tx pgx.Tx,
	args StaffNotifyArgs,
	query string,
	arg int64,
) error {
	rows, err := tx.Query(ctx, query, arg)
	if err != nil {
		return fmt.Errorf("find staff to tell: %w", err)
	}

	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("find staff to tell: %w", err)
	}

	for _, id := range ids {
		args.StaffID = id
		if _, err := s.jobs.InsertTx(ctx, tx, args, nil); err != nil {
			return fmt.Errorf("enqueue staff %s: %w", args.Message, err)
		}
	}

	return nil
}

// tellBounce records a bounce event and tells the people responsible for the
// ticket that mail to its contact fails.
func (s *Store) tellBounce(ctx context.Context, tx pgx.Tx, ticketID int64) error {
	var eventID int64
	err := tx.QueryRow(ctx, insertSystemEventSQL, ticketID, "bounce", "").Scan(&eventID)
	if err != nil {
		return fmt.Errorf("insert bounce event: %w", err)
	}

	args := StaffNotifyArgs{TicketID: ticketID, Message: StaffMessageBounce, EventID: eventID}

	return s.notifyStaff(ctx, tx, args, responsibleSQL, ticketID)
}
