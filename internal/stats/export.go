package stats

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// SmallCount is the smallest count an export shows as a number in a narrow
// filter: fewer tickets could point to single cases and the people behind them.
const SmallCount = 5

// CSV writes a spreadsheet-safe CSV file: UTF-8 with a byte order mark, so that
// spreadsheet programs read the umlauts, and every cell that a spreadsheet
// would take for a formula prefixed with an apostrophe.
type CSV struct {
	buf *bufio.Writer
	csv *csv.Writer
}

// NewCSV starts a CSV file on w.
func NewCSV(w io.Writer) (*CSV, error) {
	buf := bufio.NewWriterSize(w, 32<<10)
	if _, err := buf.WriteString("\uFEFF"); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}

	return &CSV{buf: buf, csv: csv.NewWriter(buf)}, nil
}

// Row writes one row.
func (c *CSV) Row(cells ...string) error {
	safe := make([]string, len(cells))
	for i, s := range cells {
		safe[i] = SafeCell(s)
	}

	if err := c.csv.Write(safe); err != nil {
		return fmt.Errorf("csv: %w", err)
	}

	return nil
}

// Flush writes out what is buffered.
func (c *CSV) Flush() error {
	c.csv.Flush()
	if err := c.csv.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}

	if err := c.buf.Flush(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}

	return nil
}

// SafeCell returns s prefixed with an apostrophe when it begins with a
// character that makes a spreadsheet evaluate it (= + - @, tab, carriage
// return), so that a value typed by anyone cannot run as a formula.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}

	return s
}

// CountCell returns n for an export, or fewer when 0 < n < SmallCount and the
// filter is narrow.
func CountCell(n int, narrow bool, fewer string) string {
	if narrow && n > 0 && n < SmallCount {
		return fewer
	}

	return fmt.Sprint(n)
}

// TicketRow is one ticket of the export, with no content and no contact: only
// what counts.
type TicketRow struct {
	CaseNumber  string
	Service     string
	Team        string
	Channel     string
	Status      string
	CreatedAt   time.Time
	FirstAnswer *time.Time
	ResolvedAt  *time.Time
	ClosedAt    *time.Time
	DueAt       *time.Time
	AnswerDays  *float64
	ResolveDays *float64
}

// ticketsSQL lists the tickets of a filter in the order they came in. The
// working days are counted as in the rollups, with the resolution's clock
// stopped while the ticket waits for the citizen.
const ticketsSQL = `
SELECT t.case_number, s.code, tm.slug, t.channel, t.status, t.created_at, t.first_answer_at,
	t.resolved_at, t.closed_at, t.due_at,
	stats_working_days(t.first_answer_at, @tz) - stats_working_days(t.created_at, @tz),
	stats_working_days(t.resolved_at, @tz) - stats_working_days(t.created_at, @tz)
		- coalesce((
			SELECT sum(stats_working_days(least(coalesce((
					SELECT min(n.created_at) FROM events n
					WHERE n.ticket_id = e.ticket_id AND n.kind = 'status'
					  AND n.created_at > e.created_at), @now), t.resolved_at), @tz)
				- stats_working_days(e.created_at, @tz))
			FROM events e
			WHERE e.ticket_id = t.id AND e.kind = 'status'
			  AND e.new_value = 'waiting_for_citizen' AND e.created_at < t.resolved_at
		), 0)
FROM tickets t
JOIN services s ON s.id = t.service_id
JOIN teams tm ON tm.id = t.team_id
WHERE t.created_at >= (@from::date::timestamp AT TIME ZONE @tz)
  AND t.created_at < (@to::date::timestamp AT TIME ZONE @tz)
  AND (@service_id::bigint = 0 OR t.service_id = @service_id)
  AND (@team_id::bigint = 0 OR t.team_id = @team_id)
  AND (@channel::text = '' OR t.channel = @channel)
ORDER BY t.created_at, t.id`

// EachTicket calls fn for every ticket of f, reading them as they come so that
// an export of any size needs little memory.
func (s *Store) EachTicket(ctx context.Context, f Filter, fn func(TicketRow) error) error {
	args := pgx.NamedArgs(f.args(s.loc))
	args["now"] = s.now()
	rows, err := s.pool.Query(ctx, ticketsSQL, args)
	if err != nil {
		return fmt.Errorf("stats tickets: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var r TicketRow
		err := rows.Scan(&r.CaseNumber, &r.Service, &r.Team, &r.Channel, &r.Status, &r.CreatedAt,
			&r.FirstAnswer, &r.ResolvedAt, &r.ClosedAt, &r.DueAt, &r.AnswerDays, &r.ResolveDays)
		if err != nil {
			return fmt.Errorf("stats tickets: %w", err)
		}

		if err := fn(r); err != nil {
			return err
		}
	}

	if err := rows.Err(); err != nil {
		return fmt.Errorf("stats tickets: %w", err)
	}

	return nil
}
