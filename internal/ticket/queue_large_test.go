package ticket_test

import (
	"context"
	"testing"

	"github.com/anliegen/anliegen/internal/ticket"
)

// TestSearchFollowsTheConversation checks that the words a ticket's messages
// add, and lose when a message goes, are what a search finds.
func TestSearchFollowsTheConversation(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	n := newTicket(svc, "")
	n.Subject, n.Body = "Laterne defekt", "Seit Montag kein Licht."
	if _, err := store.Create(ctx, n); err != nil {
		t.Fatal(err)
	}

	found := func(query string) int {
		t.Helper()
		page, err := store.Queue(ctx, ticket.Filter{Query: query})
		if err != nil {
			t.Fatal(err)
		}
		return page.Total
	}

	if got := found("Montag"); got != 1 {
		t.Fatalf("the first message's word found %d tickets, want 1", got)
	}

	_, err := pool.Exec(ctx, `INSERT INTO messages (ticket_id, kind, body)
		VALUES (1, 'note', 'Elektriker bestellt'), (1, 'to_citizen', 'Der Elektriker kommt.')`)
	if err != nil {
		t.Fatal(err)
	}
	if got := found("Elektriker"); got != 1 {
		t.Errorf("a later message's word found %d tickets, want 1", got)
	}

	if _, err := pool.Exec(ctx, `DELETE FROM messages WHERE body LIKE '%Elektriker%'`); err != nil {
		t.Fatal(err)
	}
	if got, kept := found("Elektriker"), found("Montag"); got != 0 || kept != 1 {
		t.Errorf("after deleting the messages: %d found by their word, want 0; %d by the "+
			"first message's, want 1", got, kept)
	}
}

// TestQueueCountStopsAtTheCap checks that a queue of more tickets than
// CountCap says so instead of counting them all, and still pages through them.
func TestQueueCountStopsAtTheCap(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	if _, err := store.Create(ctx, newTicket(svc, "")); err != nil {
		t.Fatal(err)
	}

	_, err := pool.Exec(ctx, `
INSERT INTO tickets (case_number, tracking_code, access_hash, service_id, team_id, status,
	channel, language, subject)
SELECT '2020-' || lpad(g::text, 6, '0'), lpad(g::text, 17, '0'), decode(md5(g::text), 'hex'),
	service_id, team_id, status, channel, language, subject
FROM tickets, generate_series(1, $1) g
WHERE id = 1`, ticket.CountCap)
	if err != nil {
		t.Fatal(err)
	}

	page, err := store.Queue(ctx, ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if !page.More || page.Total != ticket.CountCap || len(page.Tickets) != 50 || page.Next == "" {
		t.Errorf("queue of %d: total %d, more %v, %d rows, next %q; want the cap, more, 50 "+
			"rows and a next page", ticket.CountCap+1, page.Total, page.More, len(page.Tickets),
			page.Next)
	}

	page, err = store.Queue(ctx, ticket.Filter{Channel: "phone"})
	if err != nil {
		t.Fatal(err)
	}
	if page.More || page.Total != 0 {
		t.Errorf("empty queue: total %d, more %v; want 0 and no more", page.Total, page.More)
	}
}
