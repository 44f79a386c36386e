package ticket_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
)

// TestWaitingStopsTheClock creates a ticket of a service with a first-answer
// target, asks the citizen a question, lets a week pass and has the citizen
// answer: both due dates move on by the working days the ticket waited.
func TestWaitingStopsTheClock(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `UPDATE services SET first_answer_days = 2 WHERE id = $1`,
		svc.ID); err != nil {
		t.Fatal(err)
	}

	c := created(t, store, svc, "maria@example.org")

	loc, _ := time.LoadLocation("Europe/Berlin")
	cal := calendar.New(loc, calendar.Saxony)
	due := scalar[time.Time](t, pool, `SELECT due_at FROM tickets WHERE id = $1`, c.ID)
	firstDue := scalar[time.Time](t, pool,
		`SELECT first_answer_due_at FROM tickets WHERE id = $1`, c.ID)
	if want := cal.Due(c.CreatedAt, 2); !firstDue.Equal(want) {
		t.Errorf("first answer due %s, want %s (2 working days)", firstDue, want)
	}

	a := ticket.Action{TicketID: c.ID, Version: 1}
	if err := store.Answer(ctx, a, "Wo genau?", true); err != nil {
		t.Fatalf("ask: %v", err)
	}

	if !scalar[bool](t, pool, `SELECT waiting_since IS NOT NULL FROM tickets WHERE id = $1`,
		c.ID) {
		t.Fatal("a waiting ticket has no waiting_since")
	}

	since := scalar[time.Time](t, pool, `
UPDATE tickets
SET waiting_since = waiting_since - interval '7 days'
WHERE id = $1
RETURNING waiting_since`, c.ID)
	before := time.Now()
	if _, err := store.Reply(ctx, c.ID, "Vor Nummer 12.", nil); err != nil {
		t.Fatalf("reply: %v", err)
	}
	after := time.Now()

	gotDue := scalar[time.Time](t, pool, `SELECT due_at FROM tickets WHERE id = $1`, c.ID)
	gotFirst := scalar[time.Time](t, pool,
		`SELECT first_answer_due_at FROM tickets WHERE id = $1`, c.ID)
	waited := int(math.Round(cal.WorkingDays(since, before)))
	if w := int(math.Round(cal.WorkingDays(since, after))); w != waited {
		t.Skipf("the reply fell on a rounding edge: %d or %d working days", waited, w)
	}

	if waited < 4 {
		t.Fatalf("a week holds only %d working days", waited)
	}

	if want := cal.Due(due, waited); !gotDue.Equal(want) {
		t.Errorf("due %s after waiting %d working days, want %s", gotDue, waited, want)
	}
	if want := cal.Due(firstDue, waited); !gotFirst.Equal(want) {
		t.Errorf("first answer due %s, want %s", gotFirst, want)
	}

	if scalar[bool](t, pool, `SELECT waiting_since IS NOT NULL FROM tickets WHERE id = $1`,
		c.ID) {
		t.Error("the answered ticket still has waiting_since")
	}
}

// TestShortWaitMovesNothing asks and has the answer at once: no working day
// passed, so the due date stays.
func TestShortWaitMovesNothing(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "")

	due := scalar[time.Time](t, pool, `SELECT due_at FROM tickets WHERE id = $1`, c.ID)
	if err := store.Answer(ctx, ticket.Action{TicketID: c.ID, Version: 1}, "?", true); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Reply(ctx, c.ID, "!", nil); err != nil {
		t.Fatal(err)
	}

	if got := scalar[time.Time](t, pool, `SELECT due_at FROM tickets WHERE id = $1`,
		c.ID); !got.Equal(due) {
		t.Errorf("due %s after a wait of seconds, want it unchanged at %s", got, due)
	}
}

// TestDueSoon names open tickets due within a working day, and no others.
func TestDueSoon(t *testing.T) {
	store, _, _ := newStore(t)
	now := time.Now()
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	tests := []struct {
		name   string
		status ticket.Status
		due    *time.Time
		want   bool
	}{
		{"in two hours", ticket.InProgress, at(2 * time.Hour), true},
		{"in ten days", ticket.InProgress, at(10 * 24 * time.Hour), false},
		{"overdue", ticket.InProgress, at(-time.Hour), false},
		{"waiting", ticket.WaitingForCitizen, at(2 * time.Hour), false},
		{"resolved", ticket.Resolved, at(2 * time.Hour), false},
		{"no due date", ticket.Received, nil, false},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ticket.Summary{Status: tt.status, DueAt: tt.due}
			if got := store.DueSoon(s, now); got != tt.want {
				t.Errorf("DueSoon = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestFeedbackTokenAndAnswer checks that a token names its ticket and a
// changed one nothing, and that an answer is taken only for a resolved ticket,
// a second one replacing the first.
func TestFeedbackTokenAndAnswer(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "")

	token := store.FeedbackToken(c.ID)
	if id, err := store.FeedbackTicket(token); err != nil || id != c.ID {
		t.Errorf("FeedbackTicket(own token) = %d, %v; want %d", id, err, c.ID)
	}

	for _, bad := range []string{"", "1", token + "x", "2" + token, "1.AAAA"} {
		if _, err := store.FeedbackTicket(bad); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("FeedbackTicket(%q): %v, want not found", bad, err)
		}
	}

	if err := store.RecordFeedback(ctx, c.ID, 4, ""); !errors.Is(err, ticket.ErrNotResolved) {
		t.Errorf("feedback on an open ticket: %v, want ErrNotResolved", err)
	}

	err := store.ChangeStatus(ctx, ticket.StatusChangeRequest{
		TicketID: c.ID, Version: 1, To: ticket.Resolved,
	})
	if err != nil {
		t.Fatal(err)
	}

	if err := store.RecordFeedback(ctx, c.ID, 6, ""); !errors.Is(err, ticket.ErrEmptyMessage) {
		t.Errorf("score 6: %v, want refused", err)
	}
	if err := store.RecordFeedback(ctx, c.ID, 2, "Zu langsam."); err != nil {
		t.Fatal(err)
	}
	if err := store.RecordFeedback(ctx, c.ID, 4, "Doch gut."); err != nil {
		t.Fatal(err)
	}

	f, err := store.FeedbackOf(ctx, c.ID)
	if err != nil || f.Score != 4 || f.Comment != "Doch gut." {
		t.Errorf("feedback %+v (%v), want the second answer", f, err)
	}

	if n := scalar[int](t, pool, `SELECT count(*) FROM events WHERE ticket_id = $1
		AND kind = 'feedback'`, c.ID); n != 2 {
		t.Errorf("%d feedback events, want 2", n)
	}
}

// TestWaitingIsNeverOverdue lets the due date of a waiting ticket pass: its
// clock stands still, so neither the flag nor the overdue filter names it.
func TestWaitingIsNeverOverdue(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "")

	if err := store.Answer(ctx, ticket.Action{TicketID: c.ID, Version: 1}, "?", true); err != nil {
		t.Fatal(err)
	}

	_, err := pool.Exec(ctx, `UPDATE tickets SET due_at = now() - interval '1 day'`)
	if err != nil {
		t.Fatal(err)
	}

	page, err := store.Queue(ctx, ticket.Filter{Overdue: true, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 0 {
		t.Errorf("the overdue filter finds %d waiting tickets, want none", page.Total)
	}

	all, err := store.Queue(ctx, ticket.Filter{Limit: 10})
	if err != nil || len(all.Tickets) != 1 {
		t.Fatalf("queue: %d tickets (%v), want 1", len(all.Tickets), err)
	}
	if all.Tickets[0].Overdue(time.Now()) {
		t.Error("a waiting ticket past its due date is flagged overdue")
	}
}
