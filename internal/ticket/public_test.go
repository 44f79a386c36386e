package ticket_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/ticket"
)

func TestPublicViewShowsRenamesWithinASecond(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "")

	view, err := store.PublicByCode(ctx, c.Code)
	if err != nil {
		t.Fatal(err)
	}
	if view.ServiceName["de"] != svc.Name["de"] || view.TeamName["de"] == "" {
		t.Fatalf("names %v and %v, want service %v and a team", view.ServiceName, view.TeamName,
			svc.Name)
	}

	if _, err := pool.Exec(ctx, `UPDATE services SET name = name || '{"de": "Loch in der Straße"}',
		updated_at = now() WHERE id = $1`, svc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE teams SET name = name || '{"de": "Straßenteam"}'
		WHERE id = $1`, svc.TeamID); err != nil {
		t.Fatal(err)
	}

	time.Sleep(time.Second)
	view, err = store.PublicByCode(ctx, c.Code)
	if err != nil {
		t.Fatal(err)
	}
	if view.ServiceName["de"] != "Loch in der Straße" || view.TeamName["de"] != "Straßenteam" {
		t.Errorf("a second after the edit: names %q and %q, want the new ones",
			view.ServiceName["de"], view.TeamName["de"])
	}
}

// eventHistory is a ticket's public history read from its events directly:
// its own status changes, and those of the ticket it was merged into since the
// merge, in the order of their time.
func eventHistory(t *testing.T, pool *pgxpool.Pool, id int64) []ticket.StatusChange {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT e.new_value, e.created_at, e.public_note
		FROM tickets x JOIN events e ON e.ticket_id IN (x.id, x.merged_into_id)
		WHERE x.id = $1 AND e.kind = 'status'
		  AND (e.ticket_id = x.id OR e.created_at > x.closed_at)
		ORDER BY e.created_at, e.id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()

	var out []ticket.StatusChange
	for rows.Next() {
		var c ticket.StatusChange
		if err := rows.Scan(&c.Status, &c.At, &c.PublicNote); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	return out
}

func wantHistoryOfEvents(t *testing.T, store *ticket.Store, pool *pgxpool.Pool, c ticket.Created) {
	t.Helper()
	view, err := store.PublicByCode(context.Background(), c.Code)
	if err != nil {
		t.Fatal(err)
	}

	want := eventHistory(t, pool, c.ID)
	if len(view.History) != len(want) {
		t.Fatalf("ticket %s: history %+v, want the events' %+v", c.CaseNumber, view.History, want)
	}
	for i := range want {
		got := view.History[i]
		if got.Status != want[i].Status || !got.At.Equal(want[i].At) ||
			got.PublicNote != want[i].PublicNote {
			t.Errorf("ticket %s, change %d: %+v, want %+v", c.CaseNumber, i, got, want[i])
		}
	}
}

func TestPublicHistoryFollowsTheEvents(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	d := newDesk(t, store, pool)

	var tickets []ticket.Created
	for range 4 {
		c, err := store.Create(ctx, newTicket(svc, "maria@example.org"))
		if err != nil {
			t.Fatal(err)
		}
		tickets = append(tickets, c)
	}
	a, b, fwd, dup := tickets[0], tickets[1], tickets[2], tickets[3]

	change := func(c ticket.Created, to ticket.Status, note string) {
		t.Helper()
		err := store.ChangeStatus(ctx, ticket.StatusChangeRequest{TicketID: c.ID,
			Version: d.act(c.ID).Version, To: to, ActorID: d.clerk, PublicNote: note})
		if err != nil {
			t.Fatalf("%s to %s: %v", c.CaseNumber, to, err)
		}
	}
	change(a, ticket.InProgress, "Wir sehen uns das an.")
	change(a, ticket.WaitingForCitizen, "Wo genau?")
	change(b, ticket.InReview, "")
	if err := store.Forward(ctx, ticket.Forwarding{Action: d.act(fwd.ID),
		Body: "Landesamt für Straßenbau", Email: "post@lasuv.example.org"}); err != nil {
		t.Fatal(err)
	}
	if err := store.Merge(ctx, d.act(dup.ID), a.ID); err != nil {
		t.Fatal(err)
	}
	change(a, ticket.InProgress, "Danke, wir machen weiter.")

	// One statement with the changes of two tickets, and a change that is
	// written after others but happened before them.
	if _, err := pool.Exec(ctx, `INSERT INTO events (ticket_id, kind, new_value, public_note, created_at)
		VALUES ($1, 'status', 'in_progress', 'Eins', now() + interval '1 minute'),
		       ($2, 'status', 'in_progress', 'Zwei', now() + interval '1 minute'),
		       ($1, 'status', 'in_review', '', now() - interval '1 hour')`, b.ID, fwd.ID); err != nil {
		t.Fatal(err)
	}

	for _, c := range tickets {
		wantHistoryOfEvents(t, store, pool, c)
	}

	view, err := store.PublicByCode(ctx, dup.Code)
	if err != nil {
		t.Fatal(err)
	}
	if last := view.History[len(view.History)-1]; view.Status != ticket.InProgress ||
		last.PublicNote != "Danke, wir machen weiter." {
		t.Errorf("the merged ticket shows %s and last %+v, want the target's status and change",
			view.Status, last)
	}
	if view, err = store.PublicByCode(ctx, fwd.Code); err != nil {
		t.Fatal(err)
	}
	if view.Status != ticket.Forwarded || view.Outcome.Kind != "forward" ||
		view.Outcome.Value != "Landesamt für Straßenbau" {
		t.Errorf("forwarded ticket shows %s %+v, want the forwarding", view.Status, view.Outcome)
	}
}

func TestPublicHistoryKeepsChangesWrittenAtOnce(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "")

	const writers = 24
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			_, err := pool.Exec(ctx, `INSERT INTO events (ticket_id, kind, new_value, public_note)
				VALUES ($1, 'status', 'in_progress', $2)`, c.ID, fmt.Sprintf("Schritt %d", i))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	wantHistoryOfEvents(t, store, pool, c)
	if n := len(eventHistory(t, pool, c.ID)); n != writers+1 {
		t.Errorf("%d status events, want %d", n, writers+1)
	}
}
