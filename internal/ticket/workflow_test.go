package ticket_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
)

// desk is a ticket store with one clerk, who acts on the version last read.
type desk struct {
	t     *testing.T
	store *ticket.Store
	pool  *pgxpool.Pool
	clerk int64
}

func newDesk(t *testing.T, store *ticket.Store, pool *pgxpool.Pool) desk {
	t.Helper()
	var clerk int64
	err := pool.QueryRow(context.Background(), `INSERT INTO staff (email, name, role, password_hash)
		VALUES ('c@stadt.example.org', 'Clara Clerk', 'agent', 'x') RETURNING id`).Scan(&clerk)
	if err != nil {
		t.Fatal(err)
	}

	return desk{t: t, store: store, pool: pool, clerk: clerk}
}

func (d desk) act(id int64) ticket.Action {
	d.t.Helper()
	v := scalar[int32](d.t, d.pool, "SELECT version FROM tickets WHERE id = $1", id)
	return ticket.Action{TicketID: id, Version: v, ActorID: d.clerk}
}

func (d desk) events(id int64, kind string) []ticket.Event {
	d.t.Helper()
	full, err := d.store.Get(context.Background(), id)
	if err != nil {
		d.t.Fatal(err)
	}

	var out []ticket.Event
	for _, e := range full.Events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}

	return out
}

func TestChangeTeamReleasesAnOutsider(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	d := newDesk(t, store, pool)
	c := created(t, store, svc, "")

	if err := store.Assign(ctx, d.act(c.ID), d.clerk); err != nil {
		t.Fatal(err)
	}
	other := scalar[int64](t, pool, "SELECT id FROM teams WHERE slug = 'stadtreinigung'")
	if err := store.ChangeTeam(ctx, d.act(c.ID), other); err != nil {
		t.Fatalf("change team: %v", err)
	}

	full, err := store.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.TeamID != other || full.AssigneeID != nil {
		t.Errorf("team %d, assignee %v; want team %d and nobody", full.TeamID, full.AssigneeID, other)
	}
	if e := d.events(c.ID, "team"); len(e) != 1 || e[0].OldValue != "Tiefbauamt" ||
		e[0].NewValue != "Stadtreinigung" {
		t.Errorf("team events %+v, want Tiefbauamt → Stadtreinigung", e)
	}
	if e := d.events(c.ID, "assignment"); len(e) != 2 || e[1].OldValue != "Clara Clerk" {
		t.Errorf("assignment events %+v, want the take-over and the release", e)
	}

	if err := store.ChangeTeam(ctx, d.act(c.ID), other); !errors.Is(err, ticket.ErrNoChange) {
		t.Errorf("same team again: %v, want ErrNoChange", err)
	}
	if err := store.ChangeTeam(ctx, d.act(c.ID), 999999); !errors.Is(err, ticket.ErrUnknownTarget) {
		t.Errorf("unknown team: %v, want ErrUnknownTarget", err)
	}
	stale := ticket.Action{TicketID: c.ID, Version: 1, ActorID: d.clerk}
	if err := store.ChangeTeam(ctx, stale, svc.TeamID); !errors.Is(err, db.ErrConflict) {
		t.Errorf("stale version: %v, want conflict", err)
	}
}

func TestChangeServiceTeamFollows(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	d := newDesk(t, store, pool)
	_, err := pool.Exec(ctx, `INSERT INTO team_members (team_id, staff_id)
		SELECT id, $1 FROM teams WHERE slug IN ('tiefbau', 'stadtreinigung')`, d.clerk)
	if err != nil {
		t.Fatal(err)
	}
	c := created(t, store, svc, "")
	if err := store.Assign(ctx, d.act(c.ID), d.clerk); err != nil {
		t.Fatal(err)
	}

	dumping := scalar[int64](t, pool, "SELECT id FROM services WHERE code = 'illegale-ablagerung'")
	if err := store.ChangeService(ctx, d.act(c.ID), dumping, 0); err != nil {
		t.Fatalf("change service: %v", err)
	}
	full, err := store.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	cleaning := scalar[int64](t, pool, "SELECT id FROM teams WHERE slug = 'stadtreinigung'")
	if full.ServiceID != dumping || full.TeamID != cleaning || full.AssigneeID == nil {
		t.Errorf("service %d team %d assignee %v; want %d, %d and the clerk, a member of both",
			full.ServiceID, full.TeamID, full.AssigneeID, dumping, cleaning)
	}
	if len(d.events(c.ID, "service")) != 1 || len(d.events(c.ID, "team")) != 1 {
		t.Errorf("events %+v, want one service and one team change", full.Events)
	}

	// A team chosen by hand wins over the service's team.
	light := scalar[int64](t, pool, "SELECT id FROM services WHERE code = 'strassenbeleuchtung'")
	if err := store.ChangeService(ctx, d.act(c.ID), light, cleaning); err != nil {
		t.Fatal(err)
	}
	if team, _ := store.TeamOf(ctx, c.ID); team != cleaning {
		t.Errorf("team %d after the service change with a chosen team, want %d", team, cleaning)
	}
	if len(d.events(c.ID, "team")) != 1 {
		t.Error("a service change that keeps the team recorded a team change")
	}
}

func TestForwardEnqueuesMailAndNotice(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	d := newDesk(t, store, pool)
	c := created(t, store, svc, "maria@example.org")

	bad := ticket.Forwarding{Action: d.act(c.ID), Body: "Landesamt", Email: "kein-mail"}
	if err := store.Forward(ctx, bad); !errors.Is(err, ticket.ErrInvalid) {
		t.Errorf("forward to no address: %v, want ErrInvalid", err)
	}

	f := ticket.Forwarding{
		Action: d.act(c.ID), Body: " Landesamt für Straßenbau ", Email: "post@lasuv.example.org",
		Note: "Bitte übernehmen Sie.", Files: true,
	}
	if err := store.Forward(ctx, f); err != nil {
		t.Fatalf("forward: %v", err)
	}

	e := d.events(c.ID, "forward")
	if len(e) != 1 || e[0].NewValue != "Landesamt für Straßenbau" {
		t.Fatalf("forward events %+v, want one naming the body", e)
	}
	wantJobs(t, pool, c.ID, "forwarded", 1)
	n := scalar[int](t, pool, `SELECT count(*) FROM river_job WHERE kind = 'forward_ticket'
		AND args->>'email' = 'post@lasuv.example.org' AND (args->>'files')::boolean`)
	if n != 1 {
		t.Errorf("%d forward mails queued, want 1", n)
	}

	view, err := store.PublicByCode(ctx, c.Code)
	if err != nil {
		t.Fatal(err)
	}
	if view.Status != ticket.Forwarded || view.Outcome.Kind != "forward" ||
		view.Outcome.Value != "Landesamt für Straßenbau" {
		t.Errorf("public view %s %+v, want forwarded to the Landesamt", view.Status, view.Outcome)
	}

	// Forwarded is no end: a second forwarding is not among the transitions.
	f.Action = d.act(c.ID)
	if err := store.Forward(ctx, f); !errors.Is(err, ticket.ErrTransition) {
		t.Errorf("forward twice: %v, want ErrTransition", err)
	}
}

// wantJobs fails unless n notices of message are queued for ticket id, each
// naming the event of its kind.
func wantJobs(t *testing.T, pool *pgxpool.Pool, id int64, message string, n int) {
	t.Helper()
	got := scalar[int](t, pool, `SELECT count(*) FROM river_job j
		JOIN events e ON e.id = (j.args->>'event_id')::bigint
		WHERE j.kind = 'notify_citizen' AND (j.args->>'ticket_id')::bigint = $1
		  AND j.args->>'message' = $2
		  AND e.kind = CASE $2 WHEN 'forwarded' THEN 'forward' WHEN 'rejected' THEN 'reject'
			ELSE 'merge' END`, id, message)
	if got != n {
		t.Errorf("%d %s notices for ticket %d naming their event, want %d", got, message, id, n)
	}
}

func TestRejectWithReasonAndPointer(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	d := newDesk(t, store, pool)
	c := created(t, store, svc, "maria@example.org")

	empty := ticket.Rejection{Action: d.act(c.ID), Reason: "Privatgrund", Pointer: " "}
	if err := store.Reject(ctx, empty); !errors.Is(err, ticket.ErrInvalid) {
		t.Errorf("reject without pointer: %v, want ErrInvalid", err)
	}

	r := ticket.Rejection{
		Action: d.act(c.ID), Reason: "Die Straße ist Privatgrund.",
		Pointer: "Die Hausverwaltung Muster GmbH",
	}
	if err := store.Reject(ctx, r); err != nil {
		t.Fatalf("reject: %v", err)
	}

	e := d.events(c.ID, "reject")
	if len(e) != 1 || e[0].PublicNote != r.Reason || e[0].NewValue != r.Pointer {
		t.Fatalf("reject events %+v, want the reason and the pointer", e)
	}
	wantJobs(t, pool, c.ID, "rejected", 1)

	view, err := store.PublicByCode(ctx, c.Code)
	if err != nil {
		t.Fatal(err)
	}
	if view.Status != ticket.Rejected || view.Outcome.Note != r.Reason ||
		view.Outcome.Value != r.Pointer {
		t.Errorf("public view %s %+v, want the rejection", view.Status, view.Outcome)
	}
	if err := store.Reject(ctx, ticket.Rejection{Action: d.act(c.ID), Reason: "x",
		Pointer: "y"}); !errors.Is(err, ticket.ErrFinished) {
		t.Errorf("reject a rejected ticket: %v, want ErrFinished", err)
	}

	a := d.act(c.ID)
	if err := store.ChangeStatus(ctx, ticket.StatusChangeRequest{TicketID: c.ID,
		Version: a.Version, To: ticket.InReview, ActorID: d.clerk}); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if view, _ := store.PublicByCode(ctx, c.Code); view.Outcome.Kind != "" {
		t.Errorf("a reopened ticket still shows its rejection: %+v", view.Outcome)
	}
}

func TestMergeKeepsTheCitizenTracking(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	d := newDesk(t, store, pool)
	target := created(t, store, svc, "erster@example.org")
	dup := created(t, store, svc, "zweite@example.org")
	older := created(t, store, svc, "")

	if err := store.Merge(ctx, d.act(older.ID), dup.ID); err != nil {
		t.Fatalf("merge older into dup: %v", err)
	}
	if err := store.Merge(ctx, d.act(dup.ID), dup.ID); !errors.Is(err, ticket.ErrUnknownTarget) {
		t.Errorf("merge into itself: %v, want ErrUnknownTarget", err)
	}
	if err := store.Merge(ctx, d.act(dup.ID), target.ID); err != nil {
		t.Fatalf("merge: %v", err)
	}

	e := d.events(dup.ID, "merge")
	if len(e) != 1 || e[0].NewValue != target.CaseNumber {
		t.Fatalf("merge events %+v, want the target's case number", e)
	}
	wantJobs(t, pool, dup.ID, "merged", 1)
	wantJobs(t, pool, older.ID, "merged", 0)

	for _, id := range []int64{dup.ID, older.ID} {
		into := scalar[int64](t, pool, "SELECT merged_into_id FROM tickets WHERE id = $1", id)
		if into != target.ID {
			t.Errorf("ticket %d merged into %d, want %d", id, into, target.ID)
		}
	}

	tgt := ticket.Action{TicketID: target.ID, Version: 1, ActorID: d.clerk}
	if err := store.ChangeStatus(ctx, ticket.StatusChangeRequest{TicketID: tgt.TicketID,
		Version: tgt.Version, To: ticket.InProgress, PublicNote: "Trupp ist bestellt."}); err != nil {
		t.Fatalf("work the target: %v", err)
	}

	view, err := store.PublicByCode(ctx, dup.Code)
	if err != nil {
		t.Fatal(err)
	}
	last := view.History[len(view.History)-1]
	if view.Status != ticket.InProgress || view.MergedInto != target.CaseNumber ||
		last.Status != ticket.InProgress || last.PublicNote != "Trupp ist bestellt." {
		t.Errorf("duplicate's view: status %s, merged into %q, last %+v; want the target's",
			view.Status, view.MergedInto, last)
	}
	for _, h := range view.History {
		if h.Status == ticket.Received && h.At.Equal(targetCreated(t, pool, target.ID)) {
			t.Error("the duplicate's history shows the target's own receipt")
		}
	}

	if err := store.Merge(ctx, d.act(target.ID), dup.ID); !errors.Is(err, ticket.ErrUnknownTarget) {
		t.Errorf("merge into a merged ticket: %v, want ErrUnknownTarget", err)
	}

	rel, err := store.Related(ctx, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rel) != 2 || rel[0].Relation != ticket.RelationDuplicate ||
		rel[1].Relation != ticket.RelationDuplicate {
		t.Errorf("related to the target: %+v, want both duplicates", rel)
	}
	rel, _ = store.Related(ctx, dup.ID)
	if len(rel) == 0 || rel[len(rel)-1].ID != target.ID ||
		rel[len(rel)-1].Relation != ticket.RelationMergedInto {
		t.Errorf("related to the duplicate: %+v, want the target it was merged into", rel)
	}
	if err := store.Unlink(ctx, d.act(target.ID), dup.ID); !errors.Is(err, ticket.ErrUnknownTarget) {
		t.Errorf("unlink a merge: %v, want ErrUnknownTarget", err)
	}
}

func TestLinkBothWays(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	d := newDesk(t, store, pool)
	a := created(t, store, svc, "")
	b := created(t, store, svc, "")

	if err := store.Link(ctx, d.act(b.ID), a.ID); err != nil {
		t.Fatalf("link: %v", err)
	}
	if err := store.Link(ctx, d.act(a.ID), b.ID); !errors.Is(err, ticket.ErrNoChange) {
		t.Errorf("link twice: %v, want ErrNoChange", err)
	}
	for _, pair := range [][2]int64{{a.ID, b.ID}, {b.ID, a.ID}} {
		rel, err := store.Related(ctx, pair[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(rel) != 1 || rel[0].ID != pair[1] || rel[0].Relation != ticket.RelationLinked {
			t.Errorf("related to %d: %+v, want %d linked", pair[0], rel, pair[1])
		}
	}
	if e := d.events(a.ID, "link"); len(e) != 1 || e[0].NewValue != b.CaseNumber {
		t.Errorf("link events of a: %+v", e)
	}

	if err := store.Unlink(ctx, d.act(a.ID), b.ID); err != nil {
		t.Fatalf("unlink: %v", err)
	}
	if rel, _ := store.Related(ctx, b.ID); len(rel) != 0 {
		t.Errorf("related after unlinking: %+v", rel)
	}
	if e := d.events(b.ID, "link"); len(e) != 2 || e[1].OldValue != a.CaseNumber {
		t.Errorf("link events of b: %+v, want linked and unlinked", e)
	}
}

func TestIntakeRecordsChannelAndStaff(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()
	d := newDesk(t, store, pool)

	n := newTicket(svc, "")
	n.Channel = ticket.ChannelWeb
	if _, err := store.Intake(ctx, n, d.clerk); !errors.Is(err, ticket.ErrInvalid) {
		t.Errorf("intake by web: %v, want ErrInvalid", err)
	}

	n.Channel = ticket.ChannelPhone
	c, err := store.Intake(ctx, n, d.clerk)
	if err != nil {
		t.Fatal(err)
	}
	e := d.events(c.ID, "intake")
	if len(e) != 1 || e[0].NewValue != "phone" || e[0].ActorName == nil ||
		*e[0].ActorName != "Clara Clerk" {
		t.Errorf("intake events %+v, want one by the clerk by phone", e)
	}
	if acks := scalar[int](t, pool, `SELECT count(*) FROM river_job
		WHERE args->>'message' = 'acknowledgement'`); acks != 0 {
		t.Errorf("%d acknowledgements without an address, want 0", acks)
	}

	n.Channel, n.ContactEmail = ticket.ChannelCounter, "maria@example.org"
	c, err = store.Intake(ctx, n, d.clerk)
	if err != nil {
		t.Fatal(err)
	}
	if acks := scalar[int](t, pool, `SELECT count(*) FROM river_job
		WHERE args->>'message' = 'acknowledgement' AND (args->>'ticket_id')::bigint = $1`,
		c.ID); acks != 1 {
		t.Errorf("%d acknowledgements with an address, want 1", acks)
	}
}

func targetCreated(t *testing.T, pool *pgxpool.Pool, id int64) time.Time {
	t.Helper()
	return scalar[time.Time](t, pool, "SELECT created_at FROM tickets WHERE id = $1", id)
}
