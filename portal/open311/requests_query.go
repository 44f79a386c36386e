package open311

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/ticket"
)

// row is one ticket as the API may show it: what the tracking page shows, the
// location given through the API and a description staff published. It holds
// no personal data and none of the citizen's own text.
type row struct {
	Code        string                `db:"tracking_code"`
	Status      ticket.Status         `db:"status"`
	Channel     string                `db:"channel"`
	ServiceCode string                `db:"service_code"`
	ServiceName string                `db:"service_name"`
	TeamName    string                `db:"team_name"`
	Published   *string               `db:"published_description"`
	CreatedAt   time.Time             `db:"created_at"`
	UpdatedAt   time.Time             `db:"updated_at"`
	DueAt       *time.Time            `db:"due_at"`
	Lat         *float64              `db:"lat"`
	Long        *float64              `db:"long"`
	StatusNote  *string               `db:"status_note"`
	History     []ticket.StatusChange `db:"history"`
}

// selectRowsSQL reads the shown columns of public services' tickets; the
// history is read only when extensions are asked for. The latest public note
// is the status_notes. Limit and offset are checked numbers written into the
// text: with them as parameters, PostgreSQL would plan every list anew.
const selectRowsSQL = `
SELECT t.tracking_code, t.status, t.channel, s.code AS service_code,
	` + pickServiceNameSQL + ` AS service_name,
	` + pickTeamNameSQL + ` AS team_name,
	t.published_description, t.created_at, t.updated_at, t.due_at,
	r.lat, r.long,
	(SELECT e.public_note
	 FROM events e
	 WHERE e.ticket_id = t.id
	   AND e.kind = 'status'
	   AND e.public_note <> ''
	 ORDER BY e.created_at DESC, e.id DESC
	 LIMIT 1) AS status_note,
	%s AS history
FROM tickets t
JOIN services s ON s.id = t.service_id
JOIN teams tm ON tm.id = t.team_id
LEFT JOIN api_requests r ON r.ticket_id = t.id
WHERE s.is_public
%s
ORDER BY t.created_at DESC, t.id DESC
LIMIT %d OFFSET %d`

// pickServiceNameSQL and pickTeamNameSQL pick a name in the reader's language,
// else the German one, which every service and team has; done in the query,
// so that no row's names in every language are decoded.
const (
	pickServiceNameSQL = `coalesce(nullif(s.name ->> @lang, ''), s.name ->> 'de', '')`
	pickTeamNameSQL    = `coalesce(nullif(tm.name ->> @lang, ''), tm.name ->> 'de', '')`
)

// historySQL is the public status history: each status with its time and note.
const historySQL = `(
	SELECT coalesce(json_agg(json_build_object(
		'status', e.new_value, 'at', e.created_at, 'note', e.public_note)
		ORDER BY e.created_at, e.id), '[]')
	FROM events e
	WHERE e.ticket_id = t.id
	  AND e.kind = 'status')`

// noHistorySQL keeps the column when the history is not wanted.
const noHistorySQL = `NULL::json`

// scanRow reads one row in the order of selectRowsSQL; by position, since
// matching columns to fields by name for each of a page's rows costs more than
// the query.
func scanRow(r pgx.CollectableRow) (row, error) {
	var out row
	err := r.Scan(&out.Code, &out.Status, &out.Channel, &out.ServiceCode, &out.ServiceName,
		&out.TeamName, &out.Published, &out.CreatedAt, &out.UpdatedAt, &out.DueAt, &out.Lat,
		&out.Long, &out.StatusNote, &out.History)

	return out, err
}

// filter is a request list's question, already checked.
type filter struct {
	codes          []string
	services       []string
	start, end     *time.Time
	updatedAfter   *time.Time
	updatedBefore  *time.Time
	status         string // "open", "closed" or "" for both
	limit, offset  int
	withExtensions bool
	language       string
}

// terminalStatuses are those that Open311 calls closed.
func terminalStatuses() []string {
	var out []string
	for _, s := range ticket.Statuses {
		if s.Terminal() {
			out = append(out, string(s))
		}
	}

	return out
}

// where returns the conditions of f, each a fixed fragment chosen by which
// filters are set, and their arguments.
func (f filter) where() (string, pgx.NamedArgs) {
	args := pgx.NamedArgs{"lang": f.language}
	var conds []string
	add := func(cond, name string, v any) {
		conds = append(conds, cond)
		args[name] = v
	}

	// One code is compared as one value: PostgreSQL then keeps one plan for
	// the statement instead of planning each lookup anew.
	switch {
	case len(f.codes) == 1:
		add("t.tracking_code = @code", "code", f.codes[0])
		return "AND " + conds[0], args
	case len(f.codes) > 0:
		add("t.tracking_code = ANY(@codes)", "codes", f.codes)
		return "AND " + conds[0], args
	}

	if len(f.services) > 0 {
		add("s.code = ANY(@services)", "services", f.services)
	}
	if f.start != nil {
		add("t.created_at >= @start", "start", *f.start)
	}
	if f.end != nil {
		add("t.created_at <= @end", "end", *f.end)
	}
	if f.updatedAfter != nil {
		add("t.updated_at >= @updated_after", "updated_after", *f.updatedAfter)
	}
	if f.updatedBefore != nil {
		add("t.updated_at <= @updated_before", "updated_before", *f.updatedBefore)
	}
	switch f.status {
	case "open":
		add("t.status <> ALL(@terminal)", "terminal", terminalStatuses())
	case "closed":
		add("t.status = ANY(@terminal)", "terminal", terminalStatuses())
	}

	if len(conds) == 0 {
		return "", args
	}

	return "AND " + strings.Join(conds, "\nAND "), args
}

// list returns the tickets of f, newest first.
func (a *API) list(ctx context.Context, f filter) ([]row, error) {
	history := noHistorySQL
	if f.withExtensions {
		history = historySQL
	}

	where, args := f.where()
	query := fmt.Sprintf(selectRowsSQL, history, where, f.limit, f.offset)
	rows, err := a.pool.Query(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("open311 requests: %w", err)
	}

	out, err := pgx.CollectRows(rows, scanRow)
	if err != nil {
		return nil, fmt.Errorf("open311 requests: %w", err)
	}

	return out, nil
}
