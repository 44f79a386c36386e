package stats

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"
)

// Group is the counts of one service, team or channel in the period and in the
// previous one.
type Group struct {
	ID       int64
	Channel  string
	Current  Counts
	Previous Counts
}

// Times is the histograms of the working days to first answer and to
// resolution.
type Times struct {
	Answer  Histogram
	Resolve Histogram
}

// Dashboard is every figure of one filter.
type Dashboard struct {
	Filter      Filter
	RefreshedAt time.Time
	// Intake counts the tickets received per day of the period and, in Previous,
	// per day of the period before, both from their first day.
	Intake         []int
	PreviousIntake []int
	Total          Counts
	PreviousTotal  Counts
	ByService      []Group
	ByTeam         []Group
	ByChannel      []Group
	TimesAll       Times
	TimesByService map[int64]*Times
	TimesByTeam    map[int64]*Times
	Backlog        []Backlog
	Workload       []Workload
}

// Dashboard reads every figure of f. Its queries run side by side, each on a
// connection of its own.
func (s *Store) Dashboard(ctx context.Context, f Filter) (*Dashboard, error) {
	d := &Dashboard{
		Filter: f, TimesByService: map[int64]*Times{}, TimesByTeam: map[int64]*Times{},
	}

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { d.RefreshedAt, err = s.RefreshedAt(ctx); return err })
	g.Go(func() error { return s.intake(ctx, d) })
	g.Go(func() error { return s.groups(ctx, d) })
	g.Go(func() error { return s.times(ctx, d) })
	g.Go(func() (err error) { d.Backlog, err = s.backlog(ctx, f); return err })
	g.Go(func() (err error) { d.Workload, err = s.workload(ctx, f); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}

	return d, nil
}

const intakeSQL = `
SELECT day, sum(intake)
FROM stats_daily
WHERE day >= @prev_from AND day < @to` + filterSQL + `
GROUP BY day`

func (s *Store) intake(ctx context.Context, d *Dashboard) error {
	f := d.Filter
	args := pgx.NamedArgs(f.args(s.loc))
	args["prev_from"] = f.Previous().From.Format(time.DateOnly)
	rows, err := s.pool.Query(ctx, intakeSQL, args)
	if err != nil {
		return fmt.Errorf("stats intake: %w", err)
	}
	defer rows.Close()

	days := f.Days()
	d.Intake, d.PreviousIntake = make([]int, days), make([]int, days)
	from := civil(f.From)
	for rows.Next() {
		var day time.Time
		var n int
		if err := rows.Scan(&day, &n); err != nil {
			return fmt.Errorf("stats intake: %w", err)
		}

		i := int(day.Sub(from).Hours() / 24)
		switch {
		case i >= 0 && i < days:
			d.Intake[i] = n
		case i < 0 && i+days >= 0:
			d.PreviousIntake[i+days] = n
		}
	}

	if err := rows.Err(); err != nil {
		return fmt.Errorf("stats intake: %w", err)
	}

	return nil
}

// civil returns the calendar day of t as midnight UTC, as dates come from the
// database.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

const groupsSQL = `
SELECT service_id, team_id, channel, day >= @from,
	sum(intake), sum(reopened), sum(merged), sum(answered), sum(answer_due), sum(answer_met),
	sum(resolved), sum(resolve_due), sum(resolve_met), sum(feedback), sum(feedback_sum)
FROM stats_daily
WHERE day >= @prev_from AND day < @to` + filterSQL + `
GROUP BY 1, 2, 3, 4`

func (s *Store) groups(ctx context.Context, d *Dashboard) error {
	args := pgx.NamedArgs(d.Filter.args(s.loc))
	args["prev_from"] = d.Filter.Previous().From.Format(time.DateOnly)
	rows, err := s.pool.Query(ctx, groupsSQL, args)
	if err != nil {
		return fmt.Errorf("stats groups: %w", err)
	}
	defer rows.Close()

	services, teams, channels := grouper{}, grouper{}, grouper{}
	for rows.Next() {
		var service, team int64
		var channel string
		var current bool
		var c Counts
		err := rows.Scan(&service, &team, &channel, &current, &c.Intake, &c.Reopened, &c.Merged,
			&c.Answered, &c.AnswerDue, &c.AnswerMet, &c.Resolved, &c.ResolveDue, &c.ResolveMet,
			&c.Feedback, &c.FeedbackSum)
		if err != nil {
			return fmt.Errorf("stats groups: %w", err)
		}

		total := &d.PreviousTotal
		if current {
			total = &d.Total
		}
		total.add(c)
		services.add(Group{ID: service}, current, c)
		teams.add(Group{ID: team}, current, c)
		channels.add(Group{Channel: channel}, current, c)
	}

	if err := rows.Err(); err != nil {
		return fmt.Errorf("stats groups: %w", err)
	}

	d.ByService, d.ByTeam = services.list(), teams.list()
	d.ByChannel = channels.list()

	return nil
}

// grouper sums counts by group, in the order groups first appear.
type grouper struct {
	order []Group
	index map[Group]int
}

func (g *grouper) add(key Group, current bool, c Counts) {
	if g.index == nil {
		g.index = map[Group]int{}
	}

	i, ok := g.index[key]
	if !ok {
		i = len(g.order)
		g.index[key] = i
		g.order = append(g.order, key)
	}

	if current {
		g.order[i].Current.add(c)
	} else {
		g.order[i].Previous.add(c)
	}
}

func (g *grouper) list() []Group {
	return g.order
}

// timesSQL reads the histograms from the monthly sums for the whole months of
// the period and from the days for the rest.
const timesSQL = `
SELECT service_id, team_id, measure, buckets, tickets
FROM (
	SELECT service_id, team_id, channel, measure, buckets, tickets
	FROM stats_times_month
	WHERE month >= @month_from AND month < @month_to
	UNION ALL
	SELECT service_id, team_id, channel, measure, buckets, tickets
	FROM stats_times
	WHERE day >= @from AND day < @to
	  AND NOT (day >= @month_from AND day < @month_to)
) AS x
WHERE true` + filterSQL

func (s *Store) times(ctx context.Context, d *Dashboard) error {
	args := pgx.NamedArgs(d.Filter.args(s.loc))
	mFrom, mTo := wholeMonths(civil(d.Filter.From), civil(d.Filter.To))
	args["month_from"], args["month_to"] = mFrom.Format(time.DateOnly), mTo.Format(time.DateOnly)
	rows, err := s.pool.Query(ctx, timesSQL, args)
	if err != nil {
		return fmt.Errorf("stats times: %w", err)
	}
	defer rows.Close()

	var buckets []int16
	var counts []int32
	for rows.Next() {
		var service, team int64
		var measure string
		if err := rows.Scan(&service, &team, &measure, &buckets, &counts); err != nil {
			return fmt.Errorf("stats times: %w", err)
		}

		for _, t := range []*Times{&d.TimesAll, timesOf(d.TimesByService, service),
			timesOf(d.TimesByTeam, team)} {
			h := &t.Answer
			if measure == "resolve" {
				h = &t.Resolve
			}
			h.addSparse(buckets, counts)
		}
	}

	if err := rows.Err(); err != nil {
		return fmt.Errorf("stats times: %w", err)
	}

	return nil
}

func timesOf(m map[int64]*Times, id int64) *Times {
	t, ok := m[id]
	if !ok {
		t = &Times{}
		m[id] = t
	}

	return t
}

// wholeMonths returns the first and the end of the calendar months that lie
// wholly within from and to; an empty range at from when there is none.
func wholeMonths(from, to time.Time) (time.Time, time.Time) {
	first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	if first.Before(from) {
		first = first.AddDate(0, 1, 0)
	}

	end := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !end.After(first) {
		return from, from
	}

	return first, end
}

// ServiceFigures reads only the counts and times by service of f, for the
// public figures.
func (s *Store) ServiceFigures(ctx context.Context, f Filter) (*Dashboard, error) {
	d := &Dashboard{
		Filter: f, TimesByService: map[int64]*Times{}, TimesByTeam: map[int64]*Times{},
	}

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { d.RefreshedAt, err = s.RefreshedAt(ctx); return err })
	g.Go(func() error { return s.groups(ctx, d) })
	g.Go(func() error { return s.times(ctx, d) })
	if err := g.Wait(); err != nil {
		return nil, err
	}

	return d, nil
}
