package server

import (
	"context"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// TestTimelineNamesSystemEvents lets the sweep remind a citizen and tell the
// team leads of an overdue ticket, records a failed delivery and a citizen's
// score, and reads the timeline of both tickets as staff do: each event is
// named in words, none shows its raw kind and value.
func TestTimelineNamesSystemEvents(t *testing.T) {
	svc, pool := newMailService(t, "")
	ctx := context.Background()
	sweepAt := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

	asked := submitWithEmail(t, svc, "maria@example.org")
	err := svc.Tickets.Answer(ctx, ticket.Action{TicketID: asked.ID, Version: 1}, "Wo genau?", true)
	if err != nil {
		t.Fatalf("ask: %v", err)
	}

	late := submitWithEmail(t, svc, "jonas@example.org")
	_, err = pool.Exec(ctx, `UPDATE tickets SET waiting_since = $2 WHERE id = $1`,
		asked.ID, sweepAt.AddDate(0, 0, -8))
	if err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(ctx, `UPDATE tickets SET due_at = '2026-11-20 10:00+00' WHERE id = $1`,
		late.ID)
	if err != nil {
		t.Fatal(err)
	}

	r, err := svc.Tickets.Sweep(ctx, sweepAt)
	if err != nil || r.Reminded != 1 || r.Overdue != 1 {
		t.Fatalf("sweep = %+v, %v; want one reminder and one overdue ticket", r, err)
	}

	closeDays := scalarOf[int](t, pool, `SELECT s.close_after_days FROM services s
		JOIN tickets t ON t.service_id = s.id WHERE t.id = $1`, asked.ID)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	closes := sweepAt.AddDate(0, 0, closeDays).In(berlin).Format("02.01.2006")

	err = svc.Tickets.ChangeStatus(ctx, ticket.StatusChangeRequest{
		TicketID: late.ID, Version: 1, To: ticket.Resolved,
	})
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	if err := svc.Tickets.RecordFeedback(ctx, late.ID, 4, ""); err != nil {
		t.Fatalf("feedback: %v", err)
	}
	_, err = pool.Exec(ctx, `INSERT INTO events (ticket_id, kind, new_value)
		VALUES ($1, 'bounce', '')`, late.ID)
	if err != nil {
		t.Fatal(err)
	}

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, clerk)
	page := textOf(clerk.get("/tickets/" + itoa(asked.ID)))
	wantStatus(t, page, 200)
	wantText(t, page, "Erinnerung verschickt, Schließung am "+closes)
	wantNoText(t, page, "reminder: ")

	page = textOf(clerk.get("/tickets/" + itoa(late.ID)))
	wantText(t, page, "Frist überschritten (fällig am 20.11.2026), Teamleitung informiert",
		"Zustellung an die Kontaktadresse gescheitert", "Zufriedenheit: 4 von 5")
	wantNoText(t, page, "overdue: ", "bounce: ", "feedback: ")

	english := textOf(clerk.get("/tickets/" + itoa(late.ID) + "?lang=en"))
	wantText(t, english, "Deadline passed (due on 20 November 2026), team lead informed",
		"Delivery to the contact address failed", "Satisfaction: 4 out of 5")
}
