package stats_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/stats"
)

// rollupSnapshot reads the rollups as text, to compare two states of them.
func rollupSnapshot(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var daily, times, months string
	err := pool.QueryRow(context.Background(), `
		SELECT
			(SELECT coalesce(string_agg(d::text, ';' ORDER BY d::text), '') FROM stats_daily d),
			(SELECT coalesce(string_agg(x::text, ';' ORDER BY x::text), '') FROM stats_times x),
			(SELECT coalesce(string_agg(m::text, ';' ORDER BY m::text), '') FROM stats_times_month m)`).
		Scan(&daily, &times, &months)
	if err != nil {
		t.Fatal(err)
	}

	return daily + "\n" + times + "\n" + months
}

// TestRollupsMatchADirectCount changes tickets after a refresh, lets the
// periodic refresh catch up, and checks that the rollups then equal a full
// recount and a count straight from the tickets, with the working days counted
// by internal/calendar.
func TestRollupsMatchADirectCount(t *testing.T) {
	s, pool, _ := newStats(t)
	ctx := context.Background()
	now := at(30, 12, 0)

	_, err := pool.Exec(ctx, `UPDATE tickets SET status = 'resolved', resolved_at = $1,
		updated_at = $1 WHERE status = 'received'`, at(29, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	insertTicket(t, pool, 50, testTicket{service: "schlagloch", channel: "letter",
		status: "resolved", created: at(12, 8, 0), resolved: ptr(at(16, 14, 0))}, 0, 0)
	_, err = pool.Exec(ctx, `UPDATE tickets SET updated_at = $1 WHERE case_number = '2026-000051'`,
		now.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(ctx, `INSERT INTO feedback (ticket_id, score)
		SELECT id, 2 FROM tickets WHERE channel = 'phone'`)
	if err != nil {
		t.Fatal(err)
	}

	r, err := s.Refresh(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Full {
		t.Errorf("second refresh counted everything again, want only the changed days")
	}
	incremental := rollupSnapshot(t, pool)

	if _, err := s.Refresh(ctx, true); err != nil {
		t.Fatal(err)
	}
	if full := rollupSnapshot(t, pool); full != incremental {
		t.Errorf("rollups after the periodic refresh differ from a full recount:\n%s\nwant\n%s",
			incremental, full)
	}

	wantDirectIntake(t, pool)
	wantDirectDurations(t, pool)
}

// wantDirectIntake compares the intake of the rollups per day and service with
// a count of the tickets.
func wantDirectIntake(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	var rolled, direct string
	err := pool.QueryRow(context.Background(), `
		SELECT
			(SELECT string_agg(day || ' ' || service_id || ' ' || n, ';' ORDER BY day, service_id)
			 FROM (SELECT day, service_id, sum(intake) AS n FROM stats_daily GROUP BY 1, 2) r),
			(SELECT string_agg(day || ' ' || service_id || ' ' || n, ';' ORDER BY day, service_id)
			 FROM (SELECT (created_at AT TIME ZONE 'Europe/Berlin')::date AS day, service_id,
				count(*) AS n FROM tickets GROUP BY 1, 2) d)`).Scan(&rolled, &direct)
	if err != nil {
		t.Fatal(err)
	}

	if rolled != direct {
		t.Errorf("intake of the rollups %q, counted from the tickets %q", rolled, direct)
	}
}

// wantDirectDurations compares the resolution histogram with durations that
// internal/calendar counts for each resolved ticket, less its waiting time.
func wantDirectDurations(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT t.id, t.created_at, t.resolved_at FROM tickets t
		WHERE t.resolved_at IS NOT NULL ORDER BY t.id`)
	if err != nil {
		t.Fatal(err)
	}
	type resolved struct {
		id       int64
		from, to time.Time
	}
	var list []resolved
	for rows.Next() {
		var r resolved
		if err := rows.Scan(&r.id, &r.from, &r.to); err != nil {
			t.Fatal(err)
		}
		list = append(list, r)
	}

	cal := calendar.New(berlin, calendar.Saxony)
	var want stats.Histogram
	for _, r := range list {
		days := cal.WorkingDays(r.from, r.to) - waited(t, pool, cal, r.id, r.to)
		want[stats.BucketOf(days)]++
	}

	var got stats.Histogram
	rows, err = pool.Query(ctx, `SELECT u.bucket, sum(u.n) FROM stats_times t,
		unnest(t.buckets, t.tickets) AS u(bucket, n) WHERE t.measure = 'resolve' GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b, n int
		if err := rows.Scan(&b, &n); err != nil {
			t.Fatal(err)
		}
		got[b] = n
	}

	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("resolution histogram of the rollups\n%v\ncounted directly\n%v", got, want)
	}
}

// waited returns the working days ticket id waited for the citizen before it
// was resolved at end.
func waited(
	t *testing.T,
	pool *pgxpool.Pool,
	cal *calendar.Calendar,
	id int64,
	end time.Time,
) float64 {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT new_value, created_at FROM events
		WHERE ticket_id = $1 AND kind = 'status' ORDER BY created_at`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()

	var total float64
	var since *time.Time
	for rows.Next() {
		var status string
		var at time.Time
		if err := rows.Scan(&status, &at); err != nil {
			t.Fatal(err)
		}
		if since != nil {
			total += cal.WorkingDays(*since, minTime(at, end))
			since = nil
		}
		if status == "waiting_for_citizen" && at.Before(end) {
			since = &at
		}
	}

	return total
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}

	return b
}
