package ticket_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/ticket"
)

// dueDates reads a ticket's due date and first answer's due date.
func dueDates(t *testing.T, pool *pgxpool.Pool, id int64) (*time.Time, *time.Time) {
	t.Helper()
	var due, first *time.Time
	err := pool.QueryRow(context.Background(),
		`SELECT due_at, first_answer_due_at FROM tickets WHERE id = $1`, id).Scan(&due, &first)
	if err != nil {
		t.Fatal(err)
	}

	return due, first
}

func version(t *testing.T, pool *pgxpool.Pool, id int64) int32 {
	t.Helper()
	return scalar[int32](t, pool, `SELECT version FROM tickets WHERE id = $1`, id)
}

func wantDue(t *testing.T, what string, got *time.Time, want *time.Time) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s = %s, want none", what, got)
	case want != nil && (got == nil || !got.Equal(*want)):
		t.Errorf("%s = %v, want %s", what, got, want)
	}
}

// TestChangeServiceRecountsTheDueDates moves tickets from the pothole service
// (10 working days, first answer in 2) to the dumping service (5 and 1): an
// untouched ticket is due 5 and 1 working days after its creation; one that
// waited a week for the citizen keeps the waited days on top; one already
// answered keeps its first answer's due date; a service without a target
// leaves the ticket without a due date.
func TestChangeServiceRecountsTheDueDates(t *testing.T) {
	store, pool, pothole := newStore(t)
	ctx := context.Background()
	cat := catalog.NewStore(pool)
	dumping, err := cat.ServiceByCode(ctx, "illegale-ablagerung")
	if err != nil {
		t.Fatal(err)
	}

	_, err = pool.Exec(ctx, `UPDATE services SET first_answer_days = CASE id
		WHEN $1 THEN 2 WHEN $2 THEN 1 END WHERE id IN ($1, $2)`, pothole.ID, dumping.ID)
	if err != nil {
		t.Fatal(err)
	}

	loc, _ := time.LoadLocation("Europe/Berlin")
	cal := calendar.New(loc, calendar.Saxony)
	due := func(from time.Time, n int) *time.Time { d := cal.Due(from, n); return &d }

	t.Run("untouched", func(t *testing.T) {
		c, err := store.Create(ctx, newTicket(pothole, "maria@example.org"))
		if err != nil {
			t.Fatal(err)
		}

		a := ticket.Action{TicketID: c.ID, Version: version(t, pool, c.ID)}
		if err := store.ChangeService(ctx, a, dumping.ID, 0); err != nil {
			t.Fatalf("change service: %v", err)
		}

		gotDue, gotFirst := dueDates(t, pool, c.ID)
		wantDue(t, "due", gotDue, due(c.CreatedAt, 5))
		wantDue(t, "first answer due", gotFirst, due(c.CreatedAt, 1))
	})

	t.Run("waited a week", func(t *testing.T) {
		c, err := store.Create(ctx, newTicket(pothole, "maria@example.org"))
		if err != nil {
			t.Fatal(err)
		}

		a := ticket.Action{TicketID: c.ID, Version: 1}
		if err := store.Answer(ctx, a, "Wo genau?", true); err != nil {
			t.Fatalf("ask: %v", err)
		}
		since := scalar[time.Time](t, pool, `UPDATE tickets
			SET waiting_since = waiting_since - interval '7 days',
				first_answer_at = NULL
			WHERE id = $1 RETURNING waiting_since`, c.ID)
		before := time.Now()
		if _, err := store.Reply(ctx, c.ID, "Vor Nummer 12.", nil); err != nil {
			t.Fatalf("reply: %v", err)
		}
		waited := int(math.Round(cal.WorkingDays(since, before)))
		if w := int(math.Round(cal.WorkingDays(since, time.Now()))); w != waited {
			t.Skipf("the reply fell on a rounding edge: %d or %d working days", waited, w)
		}

		a = ticket.Action{TicketID: c.ID, Version: version(t, pool, c.ID)}
		if err := store.ChangeService(ctx, a, dumping.ID, 0); err != nil {
			t.Fatalf("change service: %v", err)
		}

		gotDue, gotFirst := dueDates(t, pool, c.ID)
		wantDue(t, "due", gotDue, due(*due(c.CreatedAt, 5), waited))
		wantDue(t, "first answer due", gotFirst, due(*due(c.CreatedAt, 1), waited))
	})

	t.Run("answered", func(t *testing.T) {
		c, err := store.Create(ctx, newTicket(pothole, "maria@example.org"))
		if err != nil {
			t.Fatal(err)
		}

		a := ticket.Action{TicketID: c.ID, Version: 1}
		if err := store.Answer(ctx, a, "Wir kümmern uns.", false); err != nil {
			t.Fatalf("answer: %v", err)
		}
		_, firstBefore := dueDates(t, pool, c.ID)

		a = ticket.Action{TicketID: c.ID, Version: version(t, pool, c.ID)}
		if err := store.ChangeService(ctx, a, dumping.ID, 0); err != nil {
			t.Fatalf("change service: %v", err)
		}

		gotDue, gotFirst := dueDates(t, pool, c.ID)
		wantDue(t, "due", gotDue, due(c.CreatedAt, 5))
		wantDue(t, "first answer due", gotFirst, firstBefore)
	})

	t.Run("no target", func(t *testing.T) {
		c, err := store.Create(ctx, newTicket(dumping, "maria@example.org"))
		if err != nil {
			t.Fatal(err)
		}

		_, err = pool.Exec(ctx, `UPDATE services SET sla_days = NULL, first_answer_days = NULL
			WHERE id = $1`, pothole.ID)
		if err != nil {
			t.Fatal(err)
		}

		a := ticket.Action{TicketID: c.ID, Version: version(t, pool, c.ID)}
		if err := store.ChangeService(ctx, a, pothole.ID, 0); err != nil {
			t.Fatalf("change service: %v", err)
		}

		gotDue, gotFirst := dueDates(t, pool, c.ID)
		wantDue(t, "due", gotDue, nil)
		wantDue(t, "first answer due", gotFirst, nil)
	})
}
