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
	// MergedInto is the case number of the ticket this one was merged into,
	// whose status and history the view then shows.
	MergedInto string
	// Outcome is the last forwarding or rejection of a forwarded or rejected
	// ticket: to whom it went, or whom to ask instead and why not here.
	Outcome Outcome
}

// Outcome is where a ticket went when it left the city's hands. Kind is
// forward or reject; Value names the body forwarded to, or whom to ask
// instead; Note is the reason of a rejection.
type Outcome struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	Note  string `json:"note"`
}

// publicViewSQL reads the ticket and its status history in one round trip,
// since the tracking page is the portal's most frequent request. A duplicate
// merged into another ticket (m) shows that ticket's status and its history
// since the merge, and nothing of its citizen; a forwarded or rejected ticket
// brings its last forward or reject event along, from the same index scan.
const publicViewSQL = `
SELECT t.case_number, t.service_id, s.name, tm.name, coalesce(m.status, t.status),
	t.created_at, greatest(t.updated_at, m.updated_at), coalesce(m.due_at, t.due_at),
	h.history, coalesce(m.case_number, ''), coalesce(h.outcome, '{}')
FROM tickets t
LEFT JOIN tickets m ON m.id = t.merged_into_id
JOIN services s ON s.id = t.service_id
JOIN teams tm ON tm.id = coalesce(m.team_id, t.team_id)
CROSS JOIN LATERAL (
	SELECT coalesce(json_agg(json_build_object(
		'status', e.new_value, 'at', e.created_at, 'note', e.public_note)
		ORDER BY e.created_at, e.id)
		FILTER (WHERE e.kind = 'status' AND (e.ticket_id = t.id OR e.created_at > t.closed_at)),
		'[]') AS history,
	(array_agg(json_build_object('kind', e.kind, 'value', e.new_value, 'note', e.public_note)
		ORDER BY e.created_at DESC, e.id DESC)
		FILTER (WHERE e.kind <> 'status' AND e.ticket_id = coalesce(m.id, t.id)
			AND coalesce(m.status, t.status) IN ('forwarded', 'rejected')))[1] AS outcome
	FROM events e
	WHERE e.ticket_id IN (t.id, m.id)
	  AND e.kind IN ('status', 'forward', 'reject')
) h
WHERE t.tracking_code = $1`

// PublicByCode returns the public view of the ticket with code, or db.ErrNotFound.
func (s *Store) PublicByCode(ctx context.Context, code tracking.Code) (PublicView, error) {
	v := PublicView{Code: code}
	err := s.pool.QueryRow(ctx, publicViewSQL, code.Canonical()).Scan(
		&v.CaseNumber, &v.ServiceID, &v.ServiceName, &v.TeamName, &v.Status,
		&v.CreatedAt, &v.UpdatedAt, &v.DueAt, &v.History, &v.MergedInto, &v.Outcome,
	)
	if errors.Is(err, pgx.ErrNoRows) {
		return PublicView{}, fmt.Errorf("public view: %w", db.ErrNotFound)
	}
	if err != nil {
		return PublicView{}, fmt.Errorf("public view: %w", err)
	}

	return v, nil
}
