package ticket_test

import (
	"context"
	"errors"
	"testing"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
)

func TestStaffActions(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "maria@example.org")

	var clerk int64
	err := pool.QueryRow(ctx, `INSERT INTO staff (email, name, role, password_hash)
		VALUES ('c@stadt.example.org', 'Clara Clerk', 'agent', 'x') RETURNING id`).Scan(&clerk)
	if err != nil {
		t.Fatal(err)
	}

	version := func() int32 {
		var v int32
		if err := pool.QueryRow(ctx, "SELECT version FROM tickets WHERE id = $1", c.ID).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	act := func() ticket.Action { return ticket.Action{TicketID: c.ID, Version: version(), ActorID: clerk} }

	if err := store.Assign(ctx, act(), clerk); err != nil {
		t.Fatalf("take over: %v", err)
	}
	stale := ticket.Action{TicketID: c.ID, Version: 1, ActorID: clerk}
	if err := store.Assign(ctx, stale, 0); !errors.Is(err, db.ErrConflict) {
		t.Errorf("release on a stale version: %v, want conflict", err)
	}
	if err := store.SetPriority(ctx, act(), "urgent"); err != nil {
		t.Fatalf("priority: %v", err)
	}
	if err := store.SetPriority(ctx, act(), "whenever"); !errors.Is(err, ticket.ErrTransition) {
		t.Errorf("unknown priority: %v", err)
	}
	if err := store.AddNote(ctx, act(), "Nur intern: Bauhof informiert."); err != nil {
		t.Fatalf("note: %v", err)
	}
	if err := store.AddNote(ctx, act(), "   "); !errors.Is(err, ticket.ErrEmptyMessage) {
		t.Errorf("empty note: %v", err)
	}
	if err := store.Answer(ctx, act(), "Wie groß ist das Loch?", true); err != nil {
		t.Fatalf("question: %v", err)
	}

	full, err := store.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.Status != ticket.WaitingForCitizen || full.Priority != "urgent" ||
		full.Assignee == nil || *full.Assignee != "Clara Clerk" {
		t.Errorf("ticket: status %s, priority %s, assignee %v", full.Status, full.Priority,
			full.Assignee)
	}

	view, err := store.ForCitizen(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range view.Messages {
		if m.Kind == "note" || m.Body == "Nur intern: Bauhof informiert." {
			t.Error("the citizen sees an internal note")
		}
	}
	if last := view.Messages[len(view.Messages)-1]; last.Body != "Wie groß ist das Loch?" {
		t.Errorf("the citizen's last message is %q, want the question", last.Body)
	}

	var jobs, answered int
	err = pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM river_job WHERE args->>'message' = 'question'),
		(SELECT count(*) FROM tickets WHERE id = $1 AND first_answer_at IS NOT NULL)`,
		c.ID).Scan(&jobs, &answered)
	if err != nil {
		t.Fatal(err)
	}
	if jobs != 1 || answered != 1 {
		t.Errorf("%d question mails queued, first answer recorded %d; want 1 and 1", jobs, answered)
	}

	if _, err := store.Reply(ctx, c.ID, "Etwa 30 cm.", nil); err != nil {
		t.Fatal(err)
	}
	if err := store.Withdraw(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := store.Answer(ctx, act(), "Noch etwas?", false); !errors.Is(err, ticket.ErrFinished) {
		t.Errorf("answer on a withdrawn ticket: %v, want ErrFinished", err)
	}
}
