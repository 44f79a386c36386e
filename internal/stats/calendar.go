package stats

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// calendarYearsAhead is how far past today the working-day calendar reaches, so
// that targets in the future can be placed on it.
const calendarYearsAhead = 2

const firstTicketSQL = `
SELECT coalesce(min(created_at), now())
FROM tickets`

// fillCalendar writes the working days from the year of the first ticket to
// calendarYearsAhead years from now into stats_calendar, replacing what was
// there: durations are differences on the working-day axis, so they do not
// depend on where the table begins.
func (s *Store) fillCalendar(ctx context.Context, tx pgx.Tx) error {
	var first time.Time
	if err := tx.QueryRow(ctx, firstTicketSQL).Scan(&first); err != nil {
		return fmt.Errorf("first ticket: %w", err)
	}

	start := time.Date(first.In(s.loc).Year(), time.January, 1, 0, 0, 0, 0, s.loc)
	end := time.Date(s.now().In(s.loc).Year()+calendarYearsAhead+1, time.January, 1,
		0, 0, 0, 0, s.loc)

	var rows [][]any
	before := int32(0)
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		working := s.calendar.WorkingDay(day)
		date := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
		rows = append(rows, []any{date, working, before})
		if working {
			before++
		}
	}

	if _, err := tx.Exec(ctx, `DELETE FROM stats_calendar`); err != nil {
		return fmt.Errorf("clear calendar: %w", err)
	}

	_, err := tx.CopyFrom(ctx, pgx.Identifier{"stats_calendar"},
		[]string{"day", "working", "before"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("fill calendar: %w", err)
	}

	return nil
}
