package ticket

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/tracking"
)

// Ref is another ticket as an action on one ticket names it.
type Ref struct {
	ID         int64
	CaseNumber string
	TeamID     int64
	Status     Status
}

var typedCaseNumber = regexp.MustCompile(`^[0-9]{4}-[0-9]{6,}$`)

const refByCaseSQL = `
SELECT id, case_number, team_id, status
FROM tickets
WHERE case_number = $1`

const refByCodeSQL = `
SELECT id, case_number, team_id, status
FROM tickets
WHERE tracking_code = $1`

// Find returns the ticket a member typed by case number or tracking code, or
// db.ErrNotFound.
func (s *Store) Find(ctx context.Context, typed string) (Ref, error) {
	typed = strings.TrimSpace(typed)
	query, arg := refByCaseSQL, typed
	if !typedCaseNumber.MatchString(typed) {
		code, err := tracking.ParseCode(typed)
		if err != nil {
			return Ref{}, fmt.Errorf("find ticket: %w", db.ErrNotFound)
		}
		query, arg = refByCodeSQL, code.Canonical()
	}

	var r Ref
	err := s.pool.QueryRow(ctx, query, arg).Scan(&r.ID, &r.CaseNumber, &r.TeamID, &r.Status)
	if errors.Is(err, pgx.ErrNoRows) {
		return Ref{}, fmt.Errorf("find ticket: %w", db.ErrNotFound)
	}
	if err != nil {
		return Ref{}, fmt.Errorf("find ticket: %w", err)
	}

	return r, nil
}

const lockTargetSQL = `
SELECT case_number, status
FROM tickets
WHERE id = $1
FOR UPDATE`

const setMergedSQL = `
UPDATE tickets
SET merged_into_id = $2
WHERE id = $1`

// repointMergedSQL moves the duplicates merged into a ticket on to the ticket
// it is merged into itself, so that their citizens follow the live one, and
// links them to it; the duplicates are found through their links.
const repointMergedSQL = `
WITH moved AS (
	UPDATE tickets
	SET merged_into_id = $2
	WHERE merged_into_id = $1
	  AND id IN (
		SELECT linked_id FROM ticket_links WHERE ticket_id = $1
		UNION
		SELECT ticket_id FROM ticket_links WHERE linked_id = $1)
	RETURNING id
)
INSERT INTO ticket_links (ticket_id, linked_id, actor_id)
SELECT least(id, $2::bigint), greatest(id, $2::bigint), $3
FROM moved
ON CONFLICT DO NOTHING`

// Merge closes the ticket as a duplicate of targetID: it goes to merged, and
// its citizen, told in the same transaction, follows the target from then on.
// A finished target, or the ticket itself, is ErrUnknownTarget.
func (s *Store) Merge(ctx context.Context, a Action, targetID int64) error {
	err := s.locked(ctx, a, func(tx pgx.Tx, status Status, email string) error {
		return s.merge(ctx, tx, a, targetID, status, email)
	})
	if err != nil {
		return fmt.Errorf("merge ticket %d into %d: %w", a.TicketID, targetID, err)
	}

	return nil
}

func (s *Store) merge(
	ctx context.Context,
	tx pgx.Tx,
	a Action,
	targetID int64,
	status Status,
	email string,
) error {
	if targetID == a.TicketID {
		return ErrUnknownTarget
	}

	caseNumber, err := lockTarget(ctx, tx, targetID)
	if err != nil {
		return err
	}

	eventID, err := s.outcome(ctx, tx, a, status, Merged, "merge", caseNumber, "")
	if err != nil {
		return err
	}

	if err := pointAt(ctx, tx, a, targetID); err != nil {
		return err
	}

	if email == "" {
		return nil
	}

	return s.notify(ctx, tx, NotifyArgs{
		TicketID: a.TicketID, Message: MessageMerged, EventID: eventID,
	})
}

// lockTarget locks the ticket to merge into and returns its case number; one
// that does not exist or has ended is ErrUnknownTarget.
func lockTarget(ctx context.Context, tx pgx.Tx, id int64) (string, error) {
	var caseNumber string
	var status Status
	err := tx.QueryRow(ctx, lockTargetSQL, id).Scan(&caseNumber, &status)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && status.Terminal()) {
		return "", ErrUnknownTarget
	}
	if err != nil {
		return "", fmt.Errorf("lock target: %w", err)
	}

	return caseNumber, nil
}

// pointAt points the merged ticket and its own duplicates at the target and
// links them to it.
func pointAt(ctx context.Context, tx pgx.Tx, a Action, targetID int64) error {
	if _, err := tx.Exec(ctx, setMergedSQL, a.TicketID, targetID); err != nil {
		return fmt.Errorf("set merge target: %w", err)
	}

	if _, err := tx.Exec(ctx, insertLinkSQL, a.TicketID, targetID, actor(a.ActorID)); err != nil {
		return fmt.Errorf("link to target: %w", err)
	}

	_, err := tx.Exec(ctx, repointMergedSQL, a.TicketID, targetID, actor(a.ActorID))
	if err != nil {
		return fmt.Errorf("repoint duplicates: %w", err)
	}

	return nil
}
