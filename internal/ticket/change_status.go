package ticket

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

// StatusChangeRequest is a staff member's move of a ticket to another status.
// Version is the ticket version the staff member saw; a ticket changed since
// then is not overwritten.
type StatusChangeRequest struct {
	TicketID   int64
	Version    int32
	To         Status
	ActorID    int64 // zero for a change by the system
	PublicNote string
}

// actor returns the staff ID to record, or nil for the system.
func actor(id int64) *int64 {
	if id == 0 {
		return nil
	}

	return &id
}

// MaxNoteLength is the longest public note a status change may carry.
const MaxNoteLength = 2000

const lockTicketSQL = `
SELECT status, version, contact_email
FROM tickets
WHERE id = $1
FOR UPDATE`

const updateStatusSQL = `
UPDATE tickets
SET status = $2,
	version = version + 1,
	updated_at = now(),
	resolved_at = CASE WHEN $2 = 'resolved' THEN now() ELSE resolved_at END,
	closed_at = CASE WHEN $2 IN ('closed', 'rejected', 'withdrawn', 'merged')
		THEN now() ELSE NULL END
WHERE id = $1`

const insertStatusEventSQL = `
INSERT INTO events (ticket_id, kind, actor_id, old_value, new_value, public_note)
VALUES ($1, 'status', $2, $3, $4, $5)
RETURNING id`

// ChangeStatus moves a ticket along an allowed transition, records the event and
// enqueues the citizen's notice in one transaction. It returns db.ErrConflict
// when the ticket changed since r.Version, ErrTransition for a move that is not
// allowed, and db.ErrNotFound for an unknown ticket.
func (s *Store) ChangeStatus(ctx context.Context, r StatusChangeRequest) error {
	if utf8.RuneCountInString(r.PublicNote) > MaxNoteLength {
		return fmt.Errorf("change status: note too long: %w", ErrTransition)
	}

	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		return s.changeStatus(ctx, tx, r)
	})
	if err != nil {
		return fmt.Errorf("change status of ticket %d: %w", r.TicketID, err)
	}

	return nil
}

func (s *Store) changeStatus(ctx context.Context, tx pgx.Tx, r StatusChangeRequest) error {
	var from Status
	var version int32
	var email string
	err := tx.QueryRow(ctx, lockTicketSQL, r.TicketID).Scan(&from, &version, &email)
	if errors.Is(err, pgx.ErrNoRows) {
		return db.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("lock ticket: %w", err)
	}

	if version != r.Version {
		return db.ErrConflict
	}

	if !from.CanMoveTo(r.To) {
		return fmt.Errorf("%s to %s: %w", from, r.To, ErrTransition)
	}

	return s.recordStatus(ctx, tx, r.TicketID, actor(r.ActorID), from, r.To, r.PublicNote, email)
}

// setStatus moves a locked ticket from one status to another on behalf of the
// citizen or the system, recording the event; notify sends the citizen a notice.
func (s *Store) setStatus(
	ctx context.Context,
	tx pgx.Tx,
	id int64,
	from, to Status,
	note string,
	notify bool,
) error {
	var email string
	if notify {
		if err := tx.QueryRow(ctx, contactEmailSQL, id).Scan(&email); err != nil {
			return fmt.Errorf("read contact: %w", err)
		}
	}

	return s.recordStatus(ctx, tx, id, nil, from, to, note, email)
}

const contactEmailSQL = `
SELECT contact_email
FROM tickets
WHERE id = $1`

// recordStatus writes a status change and its event, and enqueues the notice to
// email when it is not empty.
func (s *Store) recordStatus(
	ctx context.Context,
	tx pgx.Tx,
	id int64,
	actorID *int64,
	from, to Status,
	note, email string,
) error {
	if _, err := tx.Exec(ctx, updateStatusSQL, id, to); err != nil {
		return fmt.Errorf("update ticket: %w", err)
	}

	if err := s.moveClock(ctx, tx, id, from, to, time.Now()); err != nil {
		return err
	}

	var eventID int64
	err := tx.QueryRow(ctx, insertStatusEventSQL, id, actorID, from, to, note).Scan(&eventID)
	if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}

	if email == "" {
		return nil
	}

	return s.notify(ctx, tx, NotifyArgs{
		TicketID: id, Message: MessageStatusChanged, EventID: eventID,
	})
}
