package stats_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/stats"
)

// benchStore opens the database named by ANLIEGEN_STATS_BENCH_DATABASE_URL,
// such as a copy of one filled by anliegen demo, or skips.
func benchStore(b *testing.B) *stats.Store {
	b.Helper()
	url := os.Getenv("ANLIEGEN_STATS_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("ANLIEGEN_STATS_BENCH_DATABASE_URL is not set")
	}

	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)

	return stats.NewStore(pool, berlin)
}

// BenchmarkRefreshFull counts every ticket again, as the nightly job does.
func BenchmarkRefreshFull(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		r, err := s.Refresh(context.Background(), true)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(r.Days), "days")
	}
}

// BenchmarkRefreshIncremental counts the days changed since the last refresh,
// as the job does every few minutes.
func BenchmarkRefreshIncremental(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.Refresh(context.Background(), false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDashboardTwoYears reads every figure of the last two years.
func BenchmarkDashboardTwoYears(b *testing.B) {
	s := benchStore(b)
	to := s.Day(time.Now()).AddDate(0, 0, 1)
	f := stats.Filter{From: to.AddDate(-2, 0, 0), To: to}
	for b.Loop() {
		if _, err := s.Dashboard(context.Background(), f); err != nil {
			b.Fatal(err)
		}
	}
}
