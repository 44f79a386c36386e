package ticket

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

const teamOfSQL = `
SELECT team_id
FROM tickets
WHERE id = $1`

// TeamOf returns the team a ticket belongs to, or db.ErrNotFound, so that a
// handler can check access before it loads anything else.
func (s *Store) TeamOf(ctx context.Context, id int64) (int64, error) {
	var team int64
	err := s.pool.QueryRow(ctx, teamOfSQL, id).Scan(&team)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("team of ticket %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("team of ticket %d: %w", id, err)
	}

	return team, nil
}
