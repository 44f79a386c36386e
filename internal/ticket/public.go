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
	Status     Status    `json:"status"`
	At         time.Time `json:"at"`
	PublicNote string    `json:"note"`
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

// publicViewSQL reads the ticket and its status history in one round trip,
// since the tracking page is the portal's most frequent request.
const publicViewSQL = `
SELECT t.case_number, t.service_id, s.name, tm.name, t.status, t.created_at,
	t.updated_at, t.due_at, h.history
FROM tickets t
JOIN services s ON s.id = t.service_id
JOIN teams tm ON tm.id = t.team_id
CROSS JOIN LATERAL (
	SELECT coalesce(json_agg(json_build_object(
		'status', e.new_value, 'at', e.created_at, 'note', e.public_note)
		ORDER BY e.created_at, e.id), '[]') AS history
	FROM events e
	WHERE e.ticket_id = t.id
	  AND e.kind = 'status'
) h
WHERE t.tracking_code = $1`

// PublicByCode returns the public view of the ticket with code, or db.ErrNotFound.
func (s *Store) PublicByCode(ctx context.Context, code tracking.Code) (PublicView, error) {
	v := PublicView{Code: code}
	err := s.pool.QueryRow(ctx, publicViewSQL, code.Canonical()).Scan(
		&v.CaseNumber, &v.ServiceID, &v.ServiceName, &v.TeamName, &v.Status,
		&v.CreatedAt, &v.UpdatedAt, &v.DueAt, &v.History,
	)
	if errors.Is(err, pgx.ErrNoRows) {
		return PublicView{}, fmt.Errorf("public view: %w", db.ErrNotFound)
	}
	if err != nil {
		return PublicView{}, fmt.Errorf("public view: %w", err)
	}

	return v, nil
}
