package ticket

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db/dbtest"
)

// TestOutcomeNoticesFollowTheTransaction runs forward, reject and merge inside
// a transaction: committed, the citizen's notice is in river_job; rolled back,
// neither the notice nor the change is.
func TestOutcomeNoticesFollowTheTransaction(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	cat := catalog.NewStore(pool)
	if _, err := cat.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	svc, err := cat.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Berlin")
	s := NewStore(pool, jobs, []byte("0123456789abcdef0123456789abcdef"), loc)

	target, err := s.Create(ctx, New{ServiceID: svc.ID, TeamID: svc.TeamID, Channel: ChannelWeb,
		Language: "de", Body: "Loch"})
	if err != nil {
		t.Fatal(err)
	}

	actions := map[string]func(tx pgx.Tx, a Action) error{
		MessageForwarded: func(tx pgx.Tx, a Action) error {
			return s.forward(ctx, tx, Forwarding{Action: a, Body: "Landesamt",
				Email: "post@land.example.org"}, Received, "maria@example.org")
		},
		MessageRejected: func(tx pgx.Tx, a Action) error {
			return s.reject(ctx, tx, Rejection{Action: a, Reason: "privat",
				Pointer: "Hausverwaltung"}, Received, "maria@example.org")
		},
		MessageMerged: func(tx pgx.Tx, a Action) error {
			return s.merge(ctx, tx, a, target.ID, Received, "maria@example.org")
		},
	}

	for message, act := range actions {
		t.Run(message, func(t *testing.T) {
			for _, commit := range []bool{false, true} {
				c, err := s.Create(ctx, New{ServiceID: svc.ID, TeamID: svc.TeamID,
					Channel: ChannelWeb, Language: "de", Body: "Loch"})
				if err != nil {
					t.Fatal(err)
				}

				tx, err := pool.Begin(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := act(tx, Action{TicketID: c.ID, Version: 1}); err != nil {
					t.Fatal(err)
				}
				if commit {
					err = tx.Commit(ctx)
				} else {
					err = tx.Rollback(ctx)
				}
				if err != nil {
					t.Fatal(err)
				}

				var notices int
				var status string
				err = pool.QueryRow(ctx, `SELECT
					(SELECT count(*) FROM river_job WHERE args->>'message' = $2
						AND (args->>'ticket_id')::bigint = $1 AND (args->>'event_id')::bigint > 0),
					(SELECT status FROM tickets WHERE id = $1)`, c.ID, message).
					Scan(&notices, &status)
				if err != nil {
					t.Fatal(err)
				}

				want := 0
				if commit {
					want = 1
				}
				if notices != want || (status == "received") == commit {
					t.Errorf("commit %v: %d notices, status %s; want %d and the change "+
						"only when committed", commit, notices, status, want)
				}
			}
		})
	}
}
