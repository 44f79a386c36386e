package server

import (
	"context"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// TestSweepRunsWhenTheQueueStarts starts the service's job queue with a
// question that has waited eight days: the periodic sweep runs at start,
// reminds the citizen and the reminder lands in the outbox.
func TestSweepRunsWhenTheQueueStarts(t *testing.T) {
	svc, pool := newMailService(t, "")
	ctx := context.Background()
	c := submitWithEmail(t, svc, "maria@example.org")
	if err := svc.Tickets.Answer(ctx, ticket.Action{TicketID: c.ID, Version: 1}, "Wo?",
		true); err != nil {
		t.Fatalf("ask: %v", err)
	}

	if _, err := pool.Exec(ctx, `UPDATE tickets SET waiting_since = now() - interval '8 days'
		WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}

	if err := svc.Jobs.Start(ctx); err != nil {
		t.Fatalf("start job queue: %v", err)
	}
	t.Cleanup(func() { stopJobs(t, svc) })

	deadline := time.Now().Add(30 * time.Second)
	for {
		var status string
		err := pool.QueryRow(ctx, `SELECT status FROM outgoing_mail
			WHERE ticket_id = $1 AND kind = 'reminder'`, c.ID).Scan(&status)
		if err == nil && status == "kept" {
			return
		}

		if time.Now().After(deadline) {
			t.Fatalf("no reminder kept in the outbox 30 s after the start (%v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
