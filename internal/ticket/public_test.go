package ticket_test

import (
	"context"
	"testing"
	"time"
)

func TestPublicViewShowsRenamesWithinASecond(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	c, err := store.Create(ctx, newTicket(svc, ""))
	if err != nil {
		t.Fatal(err)
	}

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
