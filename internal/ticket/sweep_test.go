package ticket_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// TestSweepsSideBySideRemindOnce asks more questions than one batch of the
// sweep holds and runs two sweeps at once: each ticket is reminded exactly
// once, with one event and one mail job.
func TestSweepsSideBySideRemindOnce(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	const n = 130
	for i := 0; i < n; i++ {
		c, err := store.Create(ctx, newTicket(svc, "maria@example.org"))
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Answer(ctx, ticket.Action{TicketID: c.ID, Version: 1}, "?",
			true); err != nil {
			t.Fatal(err)
		}
	}

	later := time.Now().Add(8 * 24 * time.Hour)
	results := make([]ticket.SweepResult, 2)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := store.Sweep(ctx, later)
			if err != nil {
				t.Errorf("sweep %d: %v", i, err)
			}
			results[i] = r
		}()
	}
	wg.Wait()

	if got := results[0].Reminded + results[1].Reminded; got != n {
		t.Errorf("the sweeps reminded %d and %d tickets, want %d together",
			results[0].Reminded, results[1].Reminded, n)
	}

	events := scalar[int](t, pool, `SELECT count(*) FROM events WHERE kind = 'reminder'`)
	jobs := scalar[int](t, pool, `SELECT count(*) FROM river_job
		WHERE kind = 'notify_citizen' AND args->>'message' = 'reminder'`)
	if events != n || jobs != n {
		t.Errorf("%d reminder events and %d mail jobs, want %d each", events, jobs, n)
	}
}

// BenchmarkSweepReminders reminds 10,000 tickets whose questions have waited
// eight days, in one sweep: the reminder events, marks and mail jobs.
func BenchmarkSweepReminders(b *testing.B) {
	const n = 10000
	for range b.N {
		b.StopTimer()
		store, pool, svc := newStore(b)
		ctx := context.Background()
		_, err := pool.Exec(ctx, `
INSERT INTO tickets (case_number, tracking_code, access_hash, service_id, team_id, channel,
	language, status, contact_email, waiting_since)
SELECT '2026-' || lpad(i::text, 6, '0'), lpad(i::text, 17, '0'), int8send(i), $1, $2, 'web',
	'de',
	'waiting_for_citizen', 'buerger' || i || '@example.org', now() - interval '8 days'
FROM generate_series(1, $3) i`, svc.ID, svc.TeamID, n)
		if err != nil {
			b.Fatalf("insert waiting tickets: %v", err)
		}
		b.StartTimer()

		start := time.Now()
		r, err := store.Sweep(ctx, time.Now())
		elapsed := time.Since(start)
		if err != nil || r.Reminded != n {
			b.Fatalf("sweep reminded %d (%v), want %d", r.Reminded, err, n)
		}

		b.ReportMetric(n/elapsed.Seconds(), "reminders/s")
	}
}
