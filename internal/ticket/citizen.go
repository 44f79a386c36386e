package ticket

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/tracking"
)

// MaxReplyLength is the longest message a citizen may add to a ticket.
const MaxReplyLength = 4000

// ErrFinished is returned for a citizen's action on a ticket that has ended.
var ErrFinished = errors.New("ticket has ended")

// CitizenTicket is what the access link opens: the public view, the citizen's
// own answers and the public conversation, never internal notes.
type CitizenTicket struct {
	PublicView
	ID       int64
	Fields   map[string]string
	Messages []Message
}

const citizenFieldsSQL = `
SELECT tracking_code, fields
FROM tickets
WHERE id = $1`

const citizenMessagesSQL = `
SELECT m.id, m.kind, NULL::text AS author_name, m.body, m.created_at
FROM messages m
WHERE m.ticket_id = $1
  AND m.kind IN ('from_citizen', 'to_citizen')
ORDER BY m.created_at, m.id`

// ForCitizen returns the ticket as its citizen sees it, or db.ErrNotFound.
func (s *Store) ForCitizen(ctx context.Context, id int64) (CitizenTicket, error) {
	var raw string
	t := CitizenTicket{ID: id}
	err := s.pool.QueryRow(ctx, citizenFieldsSQL, id).Scan(&raw, &t.Fields)
	if errors.Is(err, pgx.ErrNoRows) {
		return CitizenTicket{}, fmt.Errorf("citizen view: %w", db.ErrNotFound)
	}
	if err != nil {
		return CitizenTicket{}, fmt.Errorf("citizen view: %w", err)
	}

	code, err := tracking.ParseCode(raw)
	if err != nil {
		return CitizenTicket{}, fmt.Errorf("citizen view: stored code: %w", err)
	}

	if t.PublicView, err = s.PublicByCode(ctx, code); err != nil {
		return CitizenTicket{}, err
	}

	if t.Messages, err = collect[Message](ctx, s, citizenMessagesSQL, id); err != nil {
		return CitizenTicket{}, fmt.Errorf("citizen view messages: %w", err)
	}

	return t, nil
}

const insertCitizenMessageSQL = `
INSERT INTO messages (ticket_id, kind, body)
VALUES ($1, 'from_citizen', $2)
RETURNING id`

// lastWaitSQL finds the status a ticket had before it went to wait for the
// citizen, so that the citizen's answer puts it back where it was.
const lastWaitSQL = `
SELECT old_value
FROM events
WHERE ticket_id = $1
  AND kind = 'status'
  AND new_value = 'waiting_for_citizen'
ORDER BY created_at DESC, id DESC
LIMIT 1`

// Reply adds a citizen's message, with checked files, to the ticket. A ticket
// waiting for the citizen goes back to the status it had before the question.
// It returns the message ID.
func (s *Store) Reply(
	ctx context.Context,
	id int64,
	body string,
	files []attachment.File,
) (int64, error) {
	body = strings.TrimSpace(body)
	if (body == "" && len(files) == 0) || utf8.RuneCountInString(body) > MaxReplyLength {
		return 0, fmt.Errorf("reply: body of %d characters", utf8.RuneCountInString(body))
	}

	var msgID int64
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if msgID, err = s.reply(ctx, tx, id, body); err != nil {
			return err
		}
		return insertAttachments(ctx, tx, id, msgID, files)
	})
	if err != nil {
		return 0, fmt.Errorf("reply to ticket %d: %w", id, err)
	}

	return msgID, nil
}

func (s *Store) reply(ctx context.Context, tx pgx.Tx, id int64, body string) (int64, error) {
	status, err := lockStatus(ctx, tx, id)
	if err != nil {
		return 0, err
	}

	if status.Terminal() {
		return 0, ErrFinished
	}

	var msgID int64
	if err := tx.QueryRow(ctx, insertCitizenMessageSQL, id, body).Scan(&msgID); err != nil {
		return 0, fmt.Errorf("insert message: %w", err)
	}

	if status != WaitingForCitizen {
		_, err := tx.Exec(ctx, touchTicketSQL, id)
		return msgID, err
	}

	back := InReview
	var before string
	err = tx.QueryRow(ctx, lastWaitSQL, id).Scan(&before)
	if err == nil && Status(before).Valid() && Status(before) != WaitingForCitizen {
		back = Status(before)
	}

	return msgID, s.setStatus(ctx, tx, id, status, back, "", false)
}

// Withdraw ends the ticket at the citizen's wish.
func (s *Store) Withdraw(ctx context.Context, id int64) error {
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		status, err := lockStatus(ctx, tx, id)
		if err != nil {
			return err
		}
		if status.Terminal() {
			return ErrFinished
		}
		return s.setStatus(ctx, tx, id, status, Withdrawn, "", true)
	})
	if err != nil {
		return fmt.Errorf("withdraw ticket %d: %w", id, err)
	}

	return nil
}

const lockStatusSQL = `
SELECT status
FROM tickets
WHERE id = $1
FOR UPDATE`

func lockStatus(ctx context.Context, tx pgx.Tx, id int64) (Status, error) {
	var status Status
	err := tx.QueryRow(ctx, lockStatusSQL, id).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", db.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("lock ticket: %w", err)
	}

	return status, nil
}

const touchTicketSQL = `
UPDATE tickets
SET updated_at = now(),
	version = version + 1
WHERE id = $1`
