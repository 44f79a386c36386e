package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
)

// BenchmarkStatsDashboard renders the dashboard through the back office's
// Fiber app on the database named by ANLIEGEN_STATS_BENCH_DATABASE_URL, such
// as a copy of one that anliegen demo filled, whose rollups are refreshed. It
// cycles through periods of up to two years, with and without filters, and
// reports the 95th percentile of the response times.
func BenchmarkStatsDashboard(b *testing.B) {
	dsn := os.Getenv("ANLIEGEN_STATS_BENCH_DATABASE_URL")
	if dsn == "" {
		b.Skip("ANLIEGEN_STATS_BENCH_DATABASE_URL is not set")
	}

	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)

	base, _ := url.Parse("https://anliegen.example.org")
	loc, _ := time.LoadLocation("Europe/Berlin")
	svc, err := Build(ctx, pool, Config{BaseURL: base, Location: loc,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Limits: testLimits()})
	if err != nil {
		b.Fatal(err)
	}

	cookie := benchSession(b, svc, pool)
	today := time.Now().In(loc)
	day := func(years, days int) string {
		return today.AddDate(-years, 0, -days).Format(time.DateOnly)
	}
	paths := []string{
		"/stats?from=" + day(2, -1) + "&to=" + day(0, 0),
		"/stats?from=" + day(1, 0) + "&to=" + day(0, 0),
		"/stats",
		"/stats?from=" + day(2, -1) + "&to=" + day(0, 0) + "&channel=web",
		"/stats?from=" + day(2, -1) + "&to=" + day(0, 0) + "&service=1&by=week",
		"/stats?from=" + day(0, 90) + "&to=" + day(0, 0) + "&team=2",
	}

	var times []time.Duration
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest("GET", paths[i%len(paths)], nil)
		req.Header.Set("Cookie", svc.Backoffice.CookieName("staff_session")+"="+cookie)
		start := time.Now()
		res, err := svc.Backoffice.Fiber().Test(req, -1)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		times = append(times, time.Since(start))
		if res.StatusCode != 200 {
			b.Fatalf("%s: status %d", paths[i%len(paths)], res.StatusCode)
		}
	}

	slices.Sort(times)
	p95 := times[min(len(times)-1, len(times)*95/100)]
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
}

// benchSession signs in a statistics account, created on the first run.
func benchSession(b *testing.B, svc *Service, pool *pgxpool.Pool) string {
	b.Helper()
	ctx := context.Background()
	m, err := svc.Staff.Create(ctx, staff.NewMember{Email: "bench-stats@stadt.example.org",
		Name: "Benchmark", Role: staff.RoleStatistics, Password: agentPassword})
	if errors.Is(err, db.ErrConflict) {
		err = pool.QueryRow(ctx, `SELECT id FROM staff WHERE email = $1`,
			"bench-stats@stadt.example.org").Scan(&m.ID)
	}
	if err != nil {
		b.Fatal(err)
	}

	session, err := svc.Staff.StartSession(ctx, m.ID)
	if err != nil {
		b.Fatal(err)
	}

	return session
}
