package server

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// TestQueueAndTicketShowTheClock gives one ticket a due date in two hours and
// another one past: the queue names them due soon and overdue in words, and
// the ticket page shows both due dates and, while waiting, since when the
// clock stands still.
func TestQueueAndTicketShowTheClock(t *testing.T) {
	svc, pool := newMailService(t, "")
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `UPDATE services SET first_answer_days = 2`); err != nil {
		t.Fatal(err)
	}

	soon := submitWithEmail(t, svc, "")
	late := submitWithEmail(t, svc, "")
	for id, due := range map[int64]time.Time{
		soon.ID: time.Now().Add(2 * time.Hour), late.ID: time.Now().Add(-time.Hour),
	} {
		if _, err := pool.Exec(ctx, `UPDATE tickets SET due_at = $2 WHERE id = $1`, id,
			due); err != nil {
			t.Fatal(err)
		}
	}

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, clerk)
	queue := clerk.get("/tickets")
	wantStatus(t, queue, 200)
	wantText(t, queue, `queue-table__flag queue-table__flag--soon">bald fällig</span>`,
		`queue-table__flag">überfällig</span>`)

	var firstDue time.Time
	if err := pool.QueryRow(ctx, `SELECT first_answer_due_at FROM tickets WHERE id = $1`,
		soon.ID).Scan(&firstDue); err != nil {
		t.Fatal(err)
	}

	berlin, _ := time.LoadLocation("Europe/Berlin")
	page := clerk.get("/tickets/" + strconv.FormatInt(soon.ID, 10))
	wantStatus(t, page, 200)
	wantText(t, page, "Erste Antwort fällig", firstDue.In(berlin).Format("02.01.2006"))
	wantNoText(t, page, "Frist ruht seit")

	if err := svc.Tickets.Answer(ctx, ticket.Action{TicketID: soon.ID, Version: 1}, "Wo?",
		true); err != nil {
		t.Fatalf("ask: %v", err)
	}

	wantText(t, clerk.get("/tickets/"+strconv.FormatInt(soon.ID, 10)), "Frist ruht seit")
}
