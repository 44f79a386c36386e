package ticket

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

// Messages a citizen is sent when staff write to them.
const (
	MessageAnswer   = "answer"
	MessageQuestion = "question"
)

// MaxMessageLength is the longest text staff may write into a ticket.
const MaxMessageLength = 10000

// ErrEmptyMessage is returned for a message without text or one too long.
var ErrEmptyMessage = errors.New("message empty or too long")

// Action is one staff member's change of one ticket, made on the version of the
// ticket they saw; a ticket changed since is not overwritten (db.ErrConflict).
type Action struct {
	TicketID int64
	Version  int32
	ActorID  int64
}

const lockVersionSQL = `
SELECT status, version, contact_email
FROM tickets
WHERE id = $1
FOR UPDATE`

// locked runs fn on the ticket locked in a transaction after checking the
// version, and bumps the version when fn succeeds.
func (s *Store) locked(
	ctx context.Context,
	a Action,
	fn func(tx pgx.Tx, status Status, email string) error,
) error {
	return inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var status Status
		var version int32
		var email string
		err := tx.QueryRow(ctx, lockVersionSQL, a.TicketID).Scan(&status, &version, &email)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock ticket: %w", err)
		}

		if version != a.Version {
			return db.ErrConflict
		}

		if err := fn(tx, status, email); err != nil {
			return err
		}

		_, err = tx.Exec(ctx, touchTicketSQL, a.TicketID)
		return err
	})
}

const assignSQL = `
UPDATE tickets
SET assignee_id = $2
WHERE id = $1
RETURNING (SELECT name FROM staff WHERE id = $2)`

const assigneeNameSQL = `
SELECT coalesce(st.name, '')
FROM tickets t
LEFT JOIN staff st ON st.id = t.assignee_id
WHERE t.id = $1`

const insertEventSQL = `
INSERT INTO events (ticket_id, kind, actor_id, old_value, new_value)
VALUES ($1, $2, $3, $4, $5)`

// Assign gives the ticket to a staff member, or releases it with assignee 0.
// Taking a ticket over is assigning it to oneself.
func (s *Store) Assign(ctx context.Context, a Action, assigneeID int64) error {
	err := s.locked(ctx, a, func(tx pgx.Tx, _ Status, _ string) error {
		var before string
		if err := tx.QueryRow(ctx, assigneeNameSQL, a.TicketID).Scan(&before); err != nil {
			return fmt.Errorf("read assignee: %w", err)
		}

		var after *string
		if err := tx.QueryRow(ctx, assignSQL, a.TicketID, actor(assigneeID)).Scan(&after); err != nil {
			return fmt.Errorf("assign: %w", err)
		}

		name := ""
		if after != nil {
			name = *after
		}
		_, err := tx.Exec(ctx, insertEventSQL, a.TicketID, "assignment", actor(a.ActorID),
			before, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("assign ticket %d: %w", a.TicketID, err)
	}

	return nil
}

const setPrioritySQL = `
UPDATE tickets
SET priority = $2
WHERE id = $1`

const priorityOfSQL = `
SELECT priority
FROM tickets
WHERE id = $1`

// SetPriority changes the ticket's priority: low, normal, high or urgent.
func (s *Store) SetPriority(ctx context.Context, a Action, priority string) error {
	switch priority {
	case "low", "normal", "high", "urgent":
	default:
		return fmt.Errorf("set priority %q: %w", priority, ErrTransition)
	}

	err := s.locked(ctx, a, func(tx pgx.Tx, _ Status, _ string) error {
		var before string
		if err := tx.QueryRow(ctx, priorityOfSQL, a.TicketID).Scan(&before); err != nil {
			return fmt.Errorf("read priority: %w", err)
		}
		if _, err := tx.Exec(ctx, setPrioritySQL, a.TicketID, priority); err != nil {
			return fmt.Errorf("set priority: %w", err)
		}
		_, err := tx.Exec(ctx, insertEventSQL, a.TicketID, "priority", actor(a.ActorID),
			before, priority)
		return err
	})
	if err != nil {
		return fmt.Errorf("set priority of ticket %d: %w", a.TicketID, err)
	}

	return nil
}

const insertStaffMessageSQL = `
INSERT INTO messages (ticket_id, kind, author_id, body)
VALUES ($1, $2, $3, $4)
RETURNING id`

const firstAnswerSQL = `
UPDATE tickets
SET first_answer_at = coalesce(first_answer_at, now())
WHERE id = $1`

// AddNote adds an internal note, which the citizen never sees.
func (s *Store) AddNote(ctx context.Context, a Action, body string) error {
	body, err := cleanMessage(body)
	if err != nil {
		return fmt.Errorf("note on ticket %d: %w", a.TicketID, err)
	}

	err = s.locked(ctx, a, func(tx pgx.Tx, _ Status, _ string) error {
		_, err := tx.Exec(ctx, insertStaffMessageSQL, a.TicketID, "note", actor(a.ActorID), body)
		return err
	})
	if err != nil {
		return fmt.Errorf("note on ticket %d: %w", a.TicketID, err)
	}

	return nil
}

// Answer writes to the citizen: the message appears in their conversation and,
// with an e-mail address, is announced by mail. A question also moves the
// ticket to waiting_for_citizen, until the citizen answers.
func (s *Store) Answer(ctx context.Context, a Action, body string, question bool) error {
	body, err := cleanMessage(body)
	if err != nil {
		return fmt.Errorf("answer on ticket %d: %w", a.TicketID, err)
	}

	err = s.locked(ctx, a, func(tx pgx.Tx, status Status, email string) error {
		return s.answer(ctx, tx, a, status, email, body, question)
	})
	if err != nil {
		return fmt.Errorf("answer on ticket %d: %w", a.TicketID, err)
	}

	return nil
}

func (s *Store) answer(
	ctx context.Context,
	tx pgx.Tx,
	a Action,
	status Status,
	email, body string,
	question bool,
) error {
	if status.Terminal() {
		return ErrFinished
	}
	if question && !status.CanMoveTo(WaitingForCitizen) {
		return fmt.Errorf("%s to %s: %w", status, WaitingForCitizen, ErrTransition)
	}

	var msgID int64
	err := tx.QueryRow(ctx, insertStaffMessageSQL, a.TicketID, "to_citizen", actor(a.ActorID),
		body).Scan(&msgID)
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}

	if _, err := tx.Exec(ctx, firstAnswerSQL, a.TicketID); err != nil {
		return fmt.Errorf("first answer: %w", err)
	}

	kind := MessageAnswer
	if question {
		kind = MessageQuestion
		if err := s.recordStatus(ctx, tx, a.TicketID, actor(a.ActorID), status,
			WaitingForCitizen, "", ""); err != nil {
			return err
		}
	}

	if email == "" {
		return nil
	}

	return s.notify(ctx, tx, NotifyArgs{TicketID: a.TicketID, Message: kind, MessageID: msgID})
}

func cleanMessage(body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > MaxMessageLength {
		return "", ErrEmptyMessage
	}

	return body, nil
}
