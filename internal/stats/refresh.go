package stats

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// refreshMargin reaches back before the last refresh, so that a change whose
// transaction began before it but committed after it is still counted.
const refreshMargin = 5 * time.Minute

// refreshLock is the advisory lock that keeps two instances from rebuilding
// the same rows at once.
const refreshLock = 7_011_0001

// Refreshed says what a refresh did.
type Refreshed struct {
	Days int
	Full bool
	At   time.Time
}

const refreshedAtSQL = `
SELECT refreshed_at
FROM stats_state`

// RefreshedAt returns when the rollups were last brought up to date, or the
// zero time when never.
func (s *Store) RefreshedAt(ctx context.Context) (time.Time, error) {
	var at time.Time
	err := s.pool.QueryRow(ctx, refreshedAtSQL).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("stats refreshed at: %w", err)
	}

	return at, nil
}

// Refresh brings the rollups up to date: it counts again the days on which the
// tickets were received that changed, got feedback or passed a target since
// the last refresh, or every day when full is set or nothing was counted yet.
func (s *Store) Refresh(ctx context.Context, full bool) (Refreshed, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Refreshed{}, fmt.Errorf("refresh stats: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()

	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, refreshLock); err != nil {
		return Refreshed{}, fmt.Errorf("refresh stats: lock: %w", err)
	}

	r := Refreshed{At: s.now(), Full: full}
	var last time.Time
	err = tx.QueryRow(ctx, refreshedAtSQL).Scan(&last)
	if errors.Is(err, pgx.ErrNoRows) {
		r.Full = true
	} else if err != nil {
		return Refreshed{}, fmt.Errorf("refresh stats: %w", err)
	}

	if err := s.fillCalendar(ctx, tx); err != nil {
		return Refreshed{}, err
	}

	days, err := s.changedDays(ctx, tx, r.Full, last.Add(-refreshMargin), r.At)
	if err != nil {
		return Refreshed{}, err
	}
	r.Days = len(days)

	if err := s.recount(ctx, tx, days, r.At); err != nil {
		return Refreshed{}, err
	}

	if _, err := tx.Exec(ctx, markRefreshedSQL, r.At); err != nil {
		return Refreshed{}, fmt.Errorf("refresh stats: mark: %w", err)
	}

	if err := tx.Commit(ctx); err != nil {
		return Refreshed{}, fmt.Errorf("refresh stats: %w", err)
	}

	return r, nil
}

const markRefreshedSQL = `
INSERT INTO stats_state (id, refreshed_at)
VALUES (true, $1)
ON CONFLICT (id) DO UPDATE SET refreshed_at = excluded.refreshed_at`

const allDaysSQL = `
SELECT coalesce(array_agg(d::date ORDER BY d), '{}')
FROM generate_series(
	(SELECT (min(created_at) AT TIME ZONE @tz)::date FROM tickets),
	(@now::timestamptz AT TIME ZONE @tz)::date,
	interval '1 day') AS d`

// changedDaysSQL finds the days whose counts may have changed: tickets that
// changed, open tickets that passed a target (which changes no row of theirs)
// and tickets that got feedback, plus today, whose open tickets age.
const changedDaysSQL = `
WITH changed AS (
	SELECT created_at FROM tickets WHERE updated_at >= @since
	UNION ALL
	SELECT created_at FROM tickets
	WHERE due_at >= @since AND due_at < @now
	  AND status IN ('received', 'in_review', 'in_progress', 'waiting_for_citizen', 'forwarded')
	UNION ALL
	SELECT created_at FROM tickets
	WHERE first_answer_due_at >= @since AND first_answer_due_at < @now
	  AND first_answer_at IS NULL
	UNION ALL
	SELECT t.created_at FROM feedback f JOIN tickets t ON t.id = f.ticket_id
	WHERE f.created_at >= @since
	UNION ALL
	SELECT @now::timestamptz
)
SELECT coalesce(array_agg(day ORDER BY day), '{}')
FROM (SELECT DISTINCT (created_at AT TIME ZONE @tz)::date AS day FROM changed) AS d`

func (s *Store) changedDays(
	ctx context.Context,
	tx pgx.Tx,
	full bool,
	since, now time.Time,
) ([]time.Time, error) {
	query := changedDaysSQL
	if full {
		query = allDaysSQL
	}

	var days []time.Time
	args := pgx.NamedArgs{"since": since, "now": now, "tz": s.loc.String()}
	if err := tx.QueryRow(ctx, query, args).Scan(&days); err != nil {
		return nil, fmt.Errorf("refresh stats: changed days: %w", err)
	}

	return days, nil
}

// openList is the SQL list of the open statuses.
var openList = "('" + strings.Join(OpenStatuses, "', '") + "')"

// workingDaysAt places the column col of tickets t on the working-day axis
// through the calendar joined as alias; see stats_working_days.
func workingDaysAt(alias, col string) string {
	return alias + ".before + CASE WHEN " + alias + ".working THEN extract(epoch FROM t." + col +
		" - (" + alias + ".day::timestamp AT TIME ZONE @tz)) / 86400 ELSE 0 END"
}

func calendarJoin(alias, col string) string {
	return "LEFT JOIN stats_calendar " + alias + " ON " + alias + ".day = (t." + col +
		" AT TIME ZONE @tz)::date\n"
}

// factsSQL gathers one row per ticket received on the given days with what the
// rollups count. The clock of the resolution stops while the ticket waits for
// the citizen, as the service level's does.
var factsSQL = `
INSERT INTO stats_facts
SELECT (t.created_at AT TIME ZONE @tz)::date AS day, t.service_id, t.team_id, t.channel,
	EXISTS (
		SELECT 1 FROM events e
		WHERE e.ticket_id = t.id AND e.kind = 'status'
		  AND e.old_value IN ('resolved', 'closed') AND e.new_value IN ` + openList + `
	) AS reopened,
	(t.status = 'merged' OR t.merged_into_id IS NOT NULL) AS merged,
	(` + workingDaysAt("ca", "first_answer_at") + `) - (` + workingDaysAt("cc", "created_at") + `)
		AS answer_days,
	(` + workingDaysAt("cr", "resolved_at") + `) - (` + workingDaysAt("cc", "created_at") + `)
		- coalesce(w.days, 0) AS resolve_days,
	t.first_answer_due_at IS NOT NULL
		AND (t.first_answer_at IS NOT NULL OR t.first_answer_due_at < @now) AS answer_due,
	coalesce(t.first_answer_at <= t.first_answer_due_at, false) AS answer_met,
	t.due_at IS NOT NULL AND (t.resolved_at IS NOT NULL
		OR (t.status IN ` + openList + ` AND t.due_at < @now)) AS resolve_due,
	coalesce(t.resolved_at <= t.due_at, false) AS resolve_met,
	f.score
FROM tickets t
` + calendarJoin("cc", "created_at") + calendarJoin("ca", "first_answer_at") +
	calendarJoin("cr", "resolved_at") + `LEFT JOIN feedback f ON f.ticket_id = t.id
LEFT JOIN LATERAL (
	SELECT sum(stats_working_days(least(coalesce(nx.at, @now), t.resolved_at), @tz)
		- stats_working_days(e.created_at, @tz)) AS days
	FROM events e
	CROSS JOIN LATERAL (
		SELECT min(n.created_at) AS at
		FROM events n
		WHERE n.ticket_id = e.ticket_id AND n.kind = 'status' AND n.created_at > e.created_at
	) AS nx
	WHERE e.ticket_id = t.id AND e.kind = 'status' AND e.new_value = 'waiting_for_citizen'
	  AND e.created_at < t.resolved_at
) AS w ON t.resolved_at IS NOT NULL
WHERE t.created_at >= (@first::date::timestamp AT TIME ZONE @tz)
  AND t.created_at < ((@last::date + 1)::timestamp AT TIME ZONE @tz)`

const createFactsSQL = `
CREATE TEMP TABLE stats_facts (
	day          date,
	service_id   bigint,
	team_id      bigint,
	channel      text,
	reopened     boolean,
	merged       boolean,
	answer_days  double precision,
	resolve_days double precision,
	answer_due   boolean,
	answer_met   boolean,
	resolve_due  boolean,
	resolve_met  boolean,
	score        integer
) ON COMMIT DROP`

const insertDailySQL = `
INSERT INTO stats_daily (day, service_id, team_id, channel, intake, reopened, merged,
	answered, answer_due, answer_met, resolved, resolve_due, resolve_met, feedback, feedback_sum)
SELECT day, service_id, team_id, channel, count(*),
	count(*) FILTER (WHERE reopened),
	count(*) FILTER (WHERE merged),
	count(answer_days),
	count(*) FILTER (WHERE answer_due),
	count(*) FILTER (WHERE answer_due AND answer_met),
	count(resolve_days),
	count(*) FILTER (WHERE resolve_due),
	count(*) FILTER (WHERE resolve_due AND resolve_met),
	count(score),
	coalesce(sum(score), 0)
FROM stats_facts
GROUP BY day, service_id, team_id, channel`

const insertTimesSQL = `
INSERT INTO stats_times (day, service_id, team_id, channel, measure, buckets, tickets)
SELECT day, service_id, team_id, channel, measure, array_agg(bucket ORDER BY bucket),
	array_agg(n ORDER BY bucket)
FROM (
	SELECT f.day, f.service_id, f.team_id, f.channel, m.measure, stats_bucket(m.days) AS bucket,
		count(*)::integer AS n
	FROM stats_facts f
	CROSS JOIN LATERAL (VALUES ('answer', f.answer_days), ('resolve', f.resolve_days))
		AS m(measure, days)
	WHERE m.days IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5, 6
) AS x
GROUP BY 1, 2, 3, 4, 5`

const insertMonthsSQL = `
INSERT INTO stats_times_month (month, service_id, team_id, channel, measure, buckets, tickets)
SELECT month, service_id, team_id, channel, measure, array_agg(bucket ORDER BY bucket),
	array_agg(n ORDER BY bucket)
FROM (
	SELECT date_trunc('month', t.day)::date AS month, t.service_id, t.team_id, t.channel,
		t.measure, u.bucket, sum(u.n)::integer AS n
	FROM stats_times t
	CROSS JOIN LATERAL unnest(t.buckets, t.tickets) AS u(bucket, n)
	WHERE date_trunc('month', t.day)::date = ANY(@months)
	GROUP BY 1, 2, 3, 4, 5, 6
) AS x
GROUP BY 1, 2, 3, 4, 5`

// recount replaces the rollups of days, and the monthly sums of their months,
// with fresh counts from the tickets.
func (s *Store) recount(ctx context.Context, tx pgx.Tx, days []time.Time, now time.Time) error {
	months := monthsOf(days)
	args := pgx.NamedArgs{"days": days, "months": months, "now": now, "tz": s.loc.String()}
	// The plan is the same for a day or for years; compiling it costs seconds.
	steps := []step{
		{"plan", `SET LOCAL jit = off`, nil},
		{"clear days", `DELETE FROM stats_daily WHERE day = ANY(@days)`, args},
		{"clear times", `DELETE FROM stats_times WHERE day = ANY(@days)`, args},
		{"clear months", `DELETE FROM stats_times_month WHERE month = ANY(@months)`, args},
		{"make facts", createFactsSQL, nil},
	}
	for _, r := range runsOf(days) {
		steps = append(steps, step{"gather tickets", factsSQL, pgx.NamedArgs{
			"first": r[0], "last": r[1], "now": now, "tz": s.loc.String(),
		}})
	}
	steps = append(steps,
		step{"count days", insertDailySQL, nil},
		step{"count times", insertTimesSQL, nil},
		step{"sum months", insertMonthsSQL, args},
		step{"drop facts", `DROP TABLE stats_facts`, nil},
	)

	for _, st := range steps {
		var params []any
		if st.args != nil {
			params = []any{st.args}
		}
		if _, err := tx.Exec(ctx, st.sql, params...); err != nil {
			return fmt.Errorf("refresh stats: %s: %w", st.name, err)
		}
	}

	return nil
}

type step struct {
	name string
	sql  string
	args pgx.NamedArgs
}

// runsOf groups sorted days into runs of consecutive days, each as its first
// and last day, so that each run reads its tickets by one range of the index.
func runsOf(days []time.Time) [][2]time.Time {
	var runs [][2]time.Time
	for _, d := range days {
		n := len(runs)
		if n > 0 && d.Sub(runs[n-1][1]) <= 24*time.Hour {
			runs[n-1][1] = d
			continue
		}
		runs = append(runs, [2]time.Time{d, d})
	}

	return runs
}

// monthsOf returns the first days of the months of days, each once.
func monthsOf(days []time.Time) []time.Time {
	seen := map[time.Time]bool{}
	var out []time.Time
	for _, d := range days {
		m := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}

	return out
}
