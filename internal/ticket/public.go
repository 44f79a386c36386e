package ticket

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

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

// publicViewSQL reads the ticket and its public history in one round trip,
// since the tracking page is the portal's most frequent request. The history
// is kept in ticket_histories, one row a ticket (see migration 017), so that
// this reads rows by key and gathers no events. A duplicate merged into
// another ticket (m) shows that ticket's status, its history since the merge
// and its outcome, and nothing of its citizen. The names of the service and
// the team come from publicNames.
const publicViewSQL = `
SELECT t.case_number, t.service_id, coalesce(m.team_id, t.team_id), coalesce(m.status, t.status),
	t.created_at, greatest(t.updated_at, m.updated_at), coalesce(m.due_at, t.due_at),
	t.closed_at, coalesce(m.case_number, ''),
	h.statuses, h.ats, h.notes, mh.statuses, mh.ats, mh.notes,
	coalesce(CASE WHEN m.id IS NULL THEN h.outcome_kind ELSE mh.outcome_kind END, ''),
	coalesce(CASE WHEN m.id IS NULL THEN h.outcome_value ELSE mh.outcome_value END, ''),
	coalesce(CASE WHEN m.id IS NULL THEN h.outcome_note ELSE mh.outcome_note END, '')
FROM tickets t
LEFT JOIN tickets m ON m.id = t.merged_into_id
LEFT JOIN ticket_histories h ON h.ticket_id = t.id
LEFT JOIN ticket_histories mh ON mh.ticket_id = m.id
WHERE t.tracking_code = $1`

// history is one ticket's status changes as ticket_histories keeps them.
type history struct {
	statuses, notes []string
	ats             []time.Time
}

// changes returns the status changes after since, all when since is nil.
func (h history) changes(since *time.Time) ([]StatusChange, error) {
	if len(h.ats) != len(h.statuses) || len(h.notes) != len(h.statuses) {
		return nil, fmt.Errorf("history of %d statuses, %d times and %d notes",
			len(h.statuses), len(h.ats), len(h.notes))
	}

	out := make([]StatusChange, 0, len(h.statuses))
	for i, st := range h.statuses {
		if since == nil || h.ats[i].After(*since) {
			out = append(out, StatusChange{Status: Status(st), At: h.ats[i], PublicNote: h.notes[i]})
		}
	}

	return out, nil
}

// namesMaxAge is how long the names of services and teams are kept: an
// administrator's edit shows on the tracking page within a second.
const namesMaxAge = 900 * time.Millisecond

// publicNames keeps the names of all services and teams, read again when they
// are older than namesMaxAge, so that the tracking page and the queues neither
// join nor decode them for every row. One request reads them again while the
// others go on with the names read before; a service or team those lack
// waits for the new ones.
type publicNames struct {
	mu      sync.Mutex
	current atomic.Pointer[nameSnapshot]
}

type nameSnapshot struct {
	read     time.Time
	services map[int64]catalog.Texts
	teams    map[int64]catalog.Texts
}

const publicNamesSQL = `
SELECT false, id, name FROM services
UNION ALL
SELECT true, id, name FROM teams`

// get returns the names of the service and the team.
func (n *publicNames) get(ctx context.Context, pool *pgxpool.Pool, service, team int64) (
	catalog.Texts, catalog.Texts, error) {
	if snap := n.current.Load(); snap == nil {
		n.mu.Lock()
	} else {
		s, t, ok := snap.names(service, team)
		if ok && time.Since(snap.read) < namesMaxAge {
			return s, t, nil
		}
		if ok && !n.mu.TryLock() {
			// Another request reads them now: the names read before will do.
			return s, t, nil
		}
		if !ok {
			n.mu.Lock()
		}
	}
	defer n.mu.Unlock()

	// The names may have been read while this request waited.
	if snap := n.current.Load(); snap != nil && time.Since(snap.read) < namesMaxAge {
		if s, t, ok := snap.names(service, team); ok {
			return s, t, nil
		}
	}

	snap, err := readNames(ctx, pool)
	if err != nil {
		return nil, nil, err
	}
	n.current.Store(snap)

	s, t, ok := snap.names(service, team)
	if !ok {
		return nil, nil, fmt.Errorf("names of service %d and team %d: %w", service, team, db.ErrNotFound)
	}

	return s, t, nil
}

func (s *nameSnapshot) names(service, team int64) (catalog.Texts, catalog.Texts, bool) {
	sn, ok := s.services[service]
	if !ok {
		return nil, nil, false
	}
	tn, ok := s.teams[team]

	return sn, tn, ok
}

func readNames(ctx context.Context, pool *pgxpool.Pool) (*nameSnapshot, error) {
	read := time.Now()
	rows, err := pool.Query(ctx, publicNamesSQL)
	if err != nil {
		return nil, fmt.Errorf("names: %w", err)
	}
	defer rows.Close()

	snap := &nameSnapshot{
		read: read, services: map[int64]catalog.Texts{}, teams: map[int64]catalog.Texts{},
	}
	for rows.Next() {
		var isTeam bool
		var id int64
		var name catalog.Texts
		if err := rows.Scan(&isTeam, &id, &name); err != nil {
			return nil, fmt.Errorf("names: %w", err)
		}
		if isTeam {
			snap.teams[id] = name
		} else {
			snap.services[id] = name
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("names: %w", err)
	}

	return snap, nil
}

// PublicByCode returns the public view of the ticket with code, or db.ErrNotFound.
func (s *Store) PublicByCode(ctx context.Context, code tracking.Code) (PublicView, error) {
	v := PublicView{Code: code}
	var teamID int64
	var closedAt *time.Time
	var own, target history
	err := s.pool.QueryRow(ctx, publicViewSQL, code.Canonical()).Scan(
		&v.CaseNumber, &v.ServiceID, &teamID, &v.Status,
		&v.CreatedAt, &v.UpdatedAt, &v.DueAt, &closedAt, &v.MergedInto,
		&own.statuses, &own.ats, &own.notes, &target.statuses, &target.ats, &target.notes,
		&v.Outcome.Kind, &v.Outcome.Value, &v.Outcome.Note,
	)
	if errors.Is(err, pgx.ErrNoRows) {
		return PublicView{}, fmt.Errorf("public view: %w", db.ErrNotFound)
	}
	if err != nil {
		return PublicView{}, fmt.Errorf("public view: %w", err)
	}

	if v.History, err = own.changes(nil); err != nil {
		return PublicView{}, fmt.Errorf("public view: %w", err)
	}
	if v.MergedInto != "" && closedAt != nil {
		since, err := target.changes(closedAt)
		if err != nil {
			return PublicView{}, fmt.Errorf("public view: %w", err)
		}
		v.History = append(v.History, since...)
	}
	// Both are in the order of their time; a change written later with an
	// earlier time still takes its place.
	slices.SortStableFunc(v.History, func(a, b StatusChange) int { return a.At.Compare(b.At) })
	if v.Status != Forwarded && v.Status != Rejected {
		v.Outcome = Outcome{}
	}

	if v.ServiceName, v.TeamName, err = s.names.get(ctx, s.pool, v.ServiceID, teamID); err != nil {
		return PublicView{}, fmt.Errorf("public view: %w", err)
	}

	return v, nil
}
