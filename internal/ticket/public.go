package ticket

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/tracking"
)

// StatusChange is one entry of the public status history.
type StatusChange struct {
	Status     Status    `db:"status"`
	At         time.Time `db:"created_at"`
	PublicNote string    `db:"public_note"`
}

// PublicView is what the tracking page shows for a code: the service, the status
// and its history, and the responsible team. It holds no personal data and none
// of the citizen's own text.
type PublicView struct {
	CaseNumber  string
	Code        tracking.Code
	ServiceID   int64
	ServiceName catalog.Texts
	TeamName    catalog.Texts
	Status      Status
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DueAt       *time.Time
	History     []StatusChange
}

const publicViewSQL = `
SELECT t.id, t.case_number, t.service_id, s.name, tm.name, t.status, t.created_at,
	t.updated_at, t.due_at
FROM tickets t
JOIN services s ON s.id = t.service_id
JOIN teams tm ON tm.id = t.team_id
WHERE t.tracking_code = $1`

const statusHistorySQL = `
SELECT new_value AS status, created_at, public_note
FROM events
WHERE ticket_id = $1
  AND kind = 'status'
ORDER BY created_at, id`

// PublicByCode returns the public view of the ticket with code, or db.ErrNotFound.
func (s *Store) PublicByCode(ctx context.Context, code tracking.Code) (PublicView, error) {
	v := PublicView{Code: code}
	var id int64
	err := s.pool.QueryRow(ctx, publicViewSQL, code.Canonical()).Scan(
		&id, &v.CaseNumber, &v.ServiceID, &v.ServiceName, &v.TeamName, &v.Status,
		&v.CreatedAt, &v.UpdatedAt, &v.DueAt,
	)
	if errors.Is(err, pgx.ErrNoRows) {
		return PublicView{}, fmt.Errorf("public view: %w", db.ErrNotFound)
	}
	if err != nil {
		return PublicView{}, fmt.Errorf("public view: %w", err)
	}

	rows, err := s.pool.Query(ctx, statusHistorySQL, id)
	if err != nil {
		return PublicView{}, fmt.Errorf("status history: %w", err)
	}

	v.History, err = pgx.CollectRows(rows, pgx.RowToStructByName[StatusChange])
	if err != nil {
		return PublicView{}, fmt.Errorf("status history: %w", err)
	}

	return v, nil
}
