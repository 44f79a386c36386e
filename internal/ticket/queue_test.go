package ticket_test

import (
	"context"
	"testing"

	"github.com/anliegen/anliegen/internal/ticket"
)

func TestQueuePagesFiltersAndCounts(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	for i := 0; i < 25; i++ {
		n := newTicket(svc, "")
		if i%5 == 0 {
			n.Channel = ticket.ChannelPhone
		}
		if _, err := store.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	// Three tickets are overdue, one of them already resolved.
	_, err := pool.Exec(ctx, `
UPDATE tickets SET due_at = now() - interval '1 day' WHERE id IN (1, 2, 3);
UPDATE tickets SET status = 'resolved' WHERE id = 3`)
	if err != nil {
		t.Fatal(err)
	}

	for _, sort := range ticket.SortNames {
		t.Run("pages "+sort, func(t *testing.T) {
			seen := map[int64]bool{}
			f := ticket.Filter{Sort: sort, Limit: 10}
			for pages := 0; pages < 5; pages++ {
				page, err := store.Queue(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != 25 {
					t.Fatalf("total %d, want 25", page.Total)
				}
				for _, s := range page.Tickets {
					if seen[s.ID] {
						t.Fatalf("ticket %d on two pages", s.ID)
					}
					seen[s.ID] = true
				}
				if page.Next == "" {
					break
				}
				f.After = page.Next
			}
			if len(seen) != 25 {
				t.Errorf("%d tickets over all pages, want 25", len(seen))
			}
		})
	}

	cases := []struct {
		name string
		f    ticket.Filter
		want int
	}{
		{"phone", ticket.Filter{Channel: ticket.ChannelPhone}, 5},
		{"overdue", ticket.Filter{Overdue: true}, 2},
		{"unassigned and open", ticket.Filter{Unassigned: true, OpenOnly: true}, 25},
		{"resolved", ticket.Filter{Status: ticket.Resolved}, 1},
		{"other team", ticket.Filter{TeamIDs: []int64{999}}, 0},
		{"own team", ticket.Filter{TeamIDs: []int64{svc.TeamID}}, 25},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, err := store.Queue(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != c.want || len(page.Tickets) != c.want {
				t.Errorf("%d tickets (total %d), want %d", len(page.Tickets), page.Total, c.want)
			}
		})
	}

	if _, err := store.Queue(ctx, ticket.Filter{After: "bm90IGEgY3Vyc29y"}); err != nil {
		t.Errorf("a forged cursor is an error instead of being ignored: %v", err)
	}
}

func TestQueueSearch(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	texts := []struct{ subject, body, name, email string }{
		{"Schlagloch: Hauptstraße 12", "Ein tiefes Loch vor der Bäckerei.", "Maria Muster",
			"maria@example.org"},
		{"Schlagloch: Marktplatz", "Die Straßenlaternen flackern seit Tagen.", "Jürgen Beispiel",
			"juergen@example.com"},
		{"Laterne defekt", "Kein Licht.", "", ""},
	}
	var codes []string
	for _, x := range texts {
		n := newTicket(svc, x.email)
		n.Subject, n.Body, n.ContactName = x.subject, x.body, x.name
		c, err := store.Create(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c.Code.String())
	}
	var caseNumber string
	if err := pool.QueryRow(ctx, "SELECT case_number FROM tickets WHERE id = 2").Scan(
		&caseNumber); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		query string
		want  int
	}{
		{"Bäckerei", 1},     // a word of the conversation
		{"Laternen", 1},     // stemmed to Laterne; the compound Straßenlaternen is no match
		{"schlagloch", 2},   // case does not matter
		{"Muster", 1},       // the contact's name
		{"example.com", 1},  // part of an e-mail address
		{caseNumber, 1},     // a case number
		{caseNumber[:7], 3}, // the start of case numbers of this year
		{codes[2], 1},       // a tracking code as printed
		{"50%_off", 0},      // LIKE wildcards are plain characters
		{"Fahrrad", 0},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			page, err := store.Queue(ctx, ticket.Filter{Query: c.query})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != c.want {
				t.Errorf("search %q found %d, want %d", c.query, page.Total, c.want)
			}
		})
	}
}
