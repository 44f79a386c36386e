// Package stats counts the tickets for the people who steer the work: intake,
// backlog, times to first answer and to resolution in working days, service
// levels, reopened and merged shares, satisfaction and the workload of teams.
// The figures come from rollups that a periodic job keeps current from the
// tickets and their events, so that no one counts by hand and no dashboard
// reads a million tickets.
package stats

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/calendar"
)

// Channels lists the channels a ticket can come in by, in the order figures
// show them.
var Channels = []string{"web", "email", "phone", "letter", "counter", "api"}

// OpenStatuses are the statuses of tickets still to be worked: the backlog.
var OpenStatuses = []string{
	"received", "in_review", "in_progress", "waiting_for_citizen", "forwarded",
}

// Store reads the figures and keeps the rollups current.
type Store struct {
	pool     *pgxpool.Pool
	loc      *time.Location
	calendar *calendar.Calendar
	now      func() time.Time
}

// NewStore returns the statistics of the city in loc on pool, counting working
// days by the calendar of Saxony, as the service levels do.
func NewStore(pool *pgxpool.Pool, loc *time.Location) *Store {
	return &Store{
		pool: pool, loc: loc, calendar: calendar.New(loc, calendar.Saxony), now: time.Now,
	}
}

// SetClock makes the store read the time from now, for tests.
func (s *Store) SetClock(now func() time.Time) {
	s.now = now
}

// Location returns the city's time zone, in which days begin and end.
func (s *Store) Location() *time.Location {
	return s.loc
}

// Filter selects the tickets a figure counts: those received from From up to
// but excluding To (both midnights in the city's time zone), and of one
// service, team or channel where set.
type Filter struct {
	From      time.Time
	To        time.Time
	ServiceID int64
	TeamID    int64
	Channel   string
}

// Days is the length of the period in days.
func (f Filter) Days() int {
	return int(f.To.Sub(f.From).Hours()/24 + 0.5)
}

// Previous returns the filter of the period of the same length just before.
func (f Filter) Previous() Filter {
	p := f
	p.To = f.From
	p.From = f.From.AddDate(0, 0, -f.Days())

	return p
}

// Narrow reports whether the filter picks out part of the tickets by service,
// team or channel, where small counts could point to single cases.
func (f Filter) Narrow() bool {
	return f.ServiceID != 0 || f.TeamID != 0 || f.Channel != ""
}

// args returns the filter as named SQL arguments; zero values select all.
func (f Filter) args(loc *time.Location) map[string]any {
	return map[string]any{
		"from":       f.From.In(loc).Format(time.DateOnly),
		"to":         f.To.In(loc).Format(time.DateOnly),
		"service_id": f.ServiceID,
		"team_id":    f.TeamID,
		"channel":    f.Channel,
		"tz":         loc.String(),
	}
}

// filterSQL is the condition every rollup query adds for service, team and
// channel.
const filterSQL = `
  AND (@service_id::bigint = 0 OR service_id = @service_id)
  AND (@team_id::bigint = 0 OR team_id = @team_id)
  AND (@channel::text = '' OR channel = @channel)`

// Day returns midnight of t's day in the city's time zone.
func (s *Store) Day(t time.Time) time.Time {
	y, m, d := t.In(s.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, s.loc)
}
