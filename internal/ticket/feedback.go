package ticket

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

// MaxFeedbackComment is the longest comment a satisfaction answer may carry.
const MaxFeedbackComment = 2000

// ErrNotResolved is returned for a satisfaction answer to a ticket that was
// never resolved.
var ErrNotResolved = errors.New("ticket not resolved")

// feedbackMACBytes is the length of a feedback token's MAC: 128 bits.
const feedbackMACBytes = 16

// FeedbackToken returns the token of the ticket's satisfaction question: the
// ticket ID and a keyed MAC of it, so that nobody can answer for a ticket whose
// resolved mail they did not get.
func (s *Store) FeedbackToken(ticketID int64) string {
	id := strconv.FormatInt(ticketID, 10)

	return id + "." + s.feedbackMAC(id)
}

func (s *Store) feedbackMAC(id string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte("feedback\x00" + id))

	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:feedbackMACBytes])
}

// FeedbackTicket returns the ticket ID a feedback token names, or
// db.ErrNotFound for a token that is not one of ours.
func (s *Store) FeedbackTicket(token string) (int64, error) {
	id, mac, ok := strings.Cut(token, ".")
	if !ok || len(id) > 19 || !hmac.Equal([]byte(mac), []byte(s.feedbackMAC(id))) {
		return 0, fmt.Errorf("feedback token: %w", db.ErrNotFound)
	}

	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("feedback token: %w", db.ErrNotFound)
	}

	return n, nil
}

// Feedback is a citizen's satisfaction answer.
type Feedback struct {
	Score     int       `db:"score"`
	Comment   string    `db:"comment"`
	CreatedAt time.Time `db:"created_at"`
}

const feedbackSQL = `
SELECT score, comment, created_at
FROM feedback
WHERE ticket_id = $1`

// FeedbackOf returns the ticket's satisfaction answer, or db.ErrNotFound when
// the citizen has not answered.
func (s *Store) FeedbackOf(ctx context.Context, ticketID int64) (Feedback, error) {
	rows, err := s.pool.Query(ctx, feedbackSQL, ticketID)
	if err != nil {
		return Feedback{}, fmt.Errorf("read feedback: %w", err)
	}

	f, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Feedback])
	if errors.Is(err, pgx.ErrNoRows) {
		return Feedback{}, fmt.Errorf("read feedback: %w", db.ErrNotFound)
	}
	if err != nil {
		return Feedback{}, fmt.Errorf("read feedback: %w", err)
	}

	return f, nil
}

const lockResolvedSQL = `
SELECT resolved_at IS NOT NULL
FROM tickets
WHERE id = $1
FOR UPDATE`

// upsertFeedbackSQL keeps one answer per ticket: a second one replaces the
// first, as a citizen who clicked the wrong score corrects it.
const upsertFeedbackSQL = `
INSERT INTO feedback (ticket_id, score, comment)
VALUES ($1, $2, $3)
ON CONFLICT (ticket_id) DO UPDATE
SET score = EXCLUDED.score,
	comment = EXCLUDED.comment,
	created_at = now()`

const insertFeedbackEventSQL = `
INSERT INTO events (ticket_id, kind, new_value)
VALUES ($1, 'feedback', $2)`

// RecordFeedback stores the citizen's answer to the satisfaction question of a
// resolved ticket, replacing an earlier one, with a feedback event. It returns
// ErrNotResolved for a ticket never resolved, db.ErrNotFound for an unknown one
// and ErrEmptyMessage for a score or comment out of range.
func (s *Store) RecordFeedback(
	ctx context.Context,
	ticketID int64,
	score int,
	comment string,
) error {
	comment = strings.TrimSpace(comment)
	if score < 1 || score > 5 || utf8.RuneCountInString(comment) > MaxFeedbackComment {
		return fmt.Errorf("feedback on ticket %d: %w", ticketID, ErrEmptyMessage)
	}

	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var resolved bool
		err := tx.QueryRow(ctx, lockResolvedSQL, ticketID).Scan(&resolved)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock ticket: %w", err)
		}

		if !resolved {
			return ErrNotResolved
		}

		if _, err := tx.Exec(ctx, upsertFeedbackSQL, ticketID, score, comment); err != nil {
			return fmt.Errorf("store feedback: %w", err)
		}

		_, err = tx.Exec(ctx, insertFeedbackEventSQL, ticketID, strconv.Itoa(score))
		return err
	})
	if err != nil {
		return fmt.Errorf("feedback on ticket %d: %w", ticketID, err)
	}

	return nil
}

const feedbackCaseSQL = `
SELECT case_number
FROM tickets
WHERE id = $1
  AND resolved_at IS NOT NULL`

// FeedbackCase returns the case number of a ticket that was resolved, for the
// satisfaction page, or db.ErrNotFound for any other.
func (s *Store) FeedbackCase(ctx context.Context, ticketID int64) (string, error) {
	var number string
	err := s.pool.QueryRow(ctx, feedbackCaseSQL, ticketID).Scan(&number)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("feedback case: %w", db.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("feedback case: %w", err)
	}

	return number, nil
}
