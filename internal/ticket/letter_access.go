package ticket

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/tracking"
)

const letterAccessSQL = `
SELECT tracking_code, access_epoch
FROM tickets
WHERE id = $1`

// LetterAccess returns a ticket's tracking code and the secret of its access
// link in the current access epoch, for a printed letter; db.ErrNotFound for an
// unknown ticket.
func (s *Store) LetterAccess(ctx context.Context, id int64) (tracking.Code, string, error) {
	var (
		raw   string
		epoch int
	)
	err := s.pool.QueryRow(ctx, letterAccessSQL, id).Scan(&raw, &epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return tracking.Code{}, "", fmt.Errorf("letter access %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return tracking.Code{}, "", fmt.Errorf("letter access %d: %w", id, err)
	}

	code, err := tracking.ParseCode(raw)
	if err != nil {
		return tracking.Code{}, "", fmt.Errorf("letter access %d: stored code: %w", id, err)
	}

	return code, s.AccessSecret(code, epoch), nil
}
