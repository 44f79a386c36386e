package ticket

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
)

// MaxPublishedLength is the most characters of a description staff publish for
// the open data interface.
const MaxPublishedLength = 500

const publishedSQL = `
SELECT coalesce(published_description, '')
FROM tickets
WHERE id = $1`

// Published returns the description staff published for the open data
// interface, "" when none is.
func (s *Store) Published(ctx context.Context, id int64) (string, error) {
	var text string
	err := s.pool.QueryRow(ctx, publishedSQL, id).Scan(&text)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("published description of ticket %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("published description of ticket %d: %w", id, err)
	}

	return text, nil
}

const publishSQL = `
UPDATE tickets
SET published_description = NULLIF($2, '')
WHERE id = $1`

// Publish sets the description the open data interface shows for the ticket
// to text, as staff typed it, or removes it for "", with a publish event. It
// returns ErrInvalid for a text too long or with control characters and
// ErrNoChange for the text already published.
func (s *Store) Publish(ctx context.Context, a Action, text string) error {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > MaxPublishedLength || !catalog.CleanText(text, true) {
		return fmt.Errorf("publish ticket %d: %w", a.TicketID, ErrInvalid)
	}

	err := s.locked(ctx, a, func(tx pgx.Tx, _ Status, _ string) error {
		var old string
		if err := tx.QueryRow(ctx, publishedSQL, a.TicketID).Scan(&old); err != nil {
			return fmt.Errorf("read published description: %w", err)
		}

		if old == text {
			return ErrNoChange
		}

		if _, err := tx.Exec(ctx, publishSQL, a.TicketID, text); err != nil {
			return fmt.Errorf("publish: %w", err)
		}

		_, err := tx.Exec(ctx, insertEventSQL, a.TicketID, "publish", actor(a.ActorID), old, text)
		if err != nil {
			return fmt.Errorf("publish event: %w", err)
		}

		return nil
	})
	if err != nil {
		return fmt.Errorf("publish ticket %d: %w", a.TicketID, err)
	}

	return nil
}
