package ticket_test

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// newStore returns a ticket store on a fresh database with the demo catalogue,
// and the pothole service; for tests and benchmarks alike.
func newStore(t testing.TB) (*ticket.Store, *pgxpool.Pool, catalog.Service) {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	cat := catalog.NewStore(pool)
	if _, err := cat.LoadDemo(ctx); err != nil {
		t.Fatalf("load demo: %v", err)
	}

	svc, err := cat.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatalf("service: %v", err)
	}

	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatalf("river: %v", err)
	}

	loc, _ := time.LoadLocation("Europe/Berlin")
	key := []byte("0123456789abcdef0123456789abcdef")

	return ticket.NewStore(pool, jobs, key, loc), pool, svc
}

func newTicket(svc catalog.Service, email string) ticket.New {
	return ticket.New{
		ServiceID: svc.ID, TeamID: svc.TeamID, Channel: ticket.ChannelWeb, Language: "de",
		Subject: "Schlagloch", Body: "Loch", ContactEmail: email, SLADays: 10,
	}
}

var caseNumber = regexp.MustCompile(`^(\d{4})-(\d{6,})$`)

// TestCaseNumbersUnderConcurrentSubmissions submits from many goroutines at once:
// every case number is unique, of the form YYYY-NNNNNN in this year, and none
// waited for another's transaction to end.
// created stores a new ticket of svc, with email as the contact's address.
func created(t *testing.T, store *ticket.Store, svc catalog.Service, email string) ticket.Created {
	t.Helper()
	c, err := store.Create(context.Background(), newTicket(svc, email))
	if err != nil {
		t.Fatal(err)
	}

	return c
}

func TestCaseNumbersUnderConcurrentSubmissions(t *testing.T) {
	store, _, svc := newStore(t)
	const workers, each = 16, 25

	var mu sync.Mutex
	var numbers []string
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				c, err := store.Create(context.Background(), newTicket(svc, ""))
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				numbers = append(numbers, c.CaseNumber)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent create: %v", err)
	}

	year := time.Now().In(time.FixedZone("", 0)).Format("2006")
	seen := map[string]bool{}
	for _, n := range numbers {
		m := caseNumber.FindStringSubmatch(n)
		if m == nil || (m[1] != year && m[1] != nextYear(year)) {
			t.Errorf("case number %q is not YYYY-NNNNNN of this year", n)
		}
		if seen[n] {
			t.Errorf("case number %s given twice", n)
		}
		seen[n] = true
	}

	if len(seen) != workers*each {
		t.Errorf("%d distinct case numbers, want %d", len(seen), workers*each)
	}
}

func nextYear(y string) string {
	t, _ := time.Parse("2006", y)
	return t.AddDate(1, 0, 0).Format("2006")
}

// TestCaseNumbersIncrease checks that one submission after another gets a
// larger number.
func TestCaseNumbersIncrease(t *testing.T) {
	store, _, svc := newStore(t)
	var got []string
	for i := 0; i < 5; i++ {
		c, err := store.Create(context.Background(), newTicket(svc, ""))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.CaseNumber)
	}

	if !sort.StringsAreSorted(got) {
		t.Errorf("case numbers %v do not increase", got)
	}
}

func TestCreateStoresTicketMessageEventAndJob(t *testing.T) {
	store, pool, svc := newStore(t)
	ctx := context.Background()

	c := created(t, store, svc, "maria@example.org")

	if !tracking.ValidSecretFormat(c.AccessSecret) {
		t.Errorf("access secret %q has the wrong format", c.AccessSecret)
	}

	var status string
	var messages, events, jobs int
	var hash []byte
	err := pool.QueryRow(ctx, `
SELECT status, access_hash,
	(SELECT count(*) FROM messages WHERE ticket_id = t.id AND kind = 'from_citizen'),
	(SELECT count(*) FROM events WHERE ticket_id = t.id AND new_value = 'received'),
	(SELECT count(*) FROM river_job WHERE kind = 'notify_citizen'
		AND args->>'message' = 'acknowledgement')
FROM tickets t WHERE id = $1`, c.ID).Scan(&status, &hash, &messages, &events, &jobs)
	if err != nil {
		t.Fatal(err)
	}

	if status != "received" || messages != 1 || events != 1 || jobs != 1 {
		t.Errorf("got status %s, %d messages, %d events, %d jobs; want received, 1, 1, 1",
			status, messages, events, jobs)
	}

	if string(hash) == c.AccessSecret || string(hash) != string(store.AccessHash(c.AccessSecret)) {
		t.Error("the stored access hash is not the keyed hash of the secret")
	}
}

func TestAnonymousSubmissionQueuesNoMail(t *testing.T) {
	store, pool, svc := newStore(t)
	if _, err := store.Create(context.Background(), newTicket(svc, "")); err != nil {
		t.Fatal(err)
	}

	var jobs int
	if err := pool.QueryRow(context.Background(),
		`SELECT count(*) FROM river_job`).Scan(&jobs); err != nil {
		t.Fatal(err)
	}

	if jobs != 0 {
		t.Errorf("%d jobs queued for a ticket without an e-mail address, want 0", jobs)
	}
}

func TestChangeStatus(t *testing.T) {
	store, _, svc := newStore(t)
	ctx := context.Background()
	c := created(t, store, svc, "maria@example.org")

	cases := []struct {
		name    string
		version int32
		to      ticket.Status
		want    error
	}{
		{"allowed", 1, ticket.InProgress, nil},
		{"stale version", 1, ticket.Resolved, db.ErrConflict},
		{"not allowed", 2, ticket.Received, ticket.ErrTransition},
		{"unknown status", 2, ticket.Status("lost"), ticket.ErrTransition},
		{"next allowed", 2, ticket.Resolved, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := store.ChangeStatus(ctx, ticket.StatusChangeRequest{
				TicketID: c.ID, Version: tc.version, To: tc.to,
			})
			if !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
				t.Fatalf("ChangeStatus to %s at version %d: %v, want %v",
					tc.to, tc.version, err, tc.want)
			}
		})
	}

	view, err := store.PublicByCode(ctx, c.Code)
	if err != nil {
		t.Fatal(err)
	}

	var history []ticket.Status
	for _, h := range view.History {
		history = append(history, h.Status)
	}
	want := []ticket.Status{ticket.Received, ticket.InProgress, ticket.Resolved}
	if view.Status != ticket.Resolved || len(history) != 3 || history[1] != want[1] ||
		history[2] != want[2] {
		t.Errorf("public view: status %s, history %v; want resolved, %v",
			view.Status, history, want)
	}

	err = store.ChangeStatus(ctx, ticket.StatusChangeRequest{TicketID: 999999, Version: 1,
		To: ticket.InProgress})
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown ticket: %v, want not found", err)
	}
}

func TestPublicByUnknownCode(t *testing.T) {
	store, _, _ := newStore(t)
	code, err := tracking.NewCode()
	if err != nil {
		t.Fatal(err)
	}

	if _, err := store.PublicByCode(context.Background(), code); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown code: %v, want not found", err)
	}
}

func TestStatusTransitions(t *testing.T) {
	for _, s := range ticket.Statuses {
		if !s.Valid() {
			t.Errorf("%s is listed but not valid", s)
		}
		for _, n := range s.Next() {
			if n == s {
				t.Errorf("%s may move to itself", s)
			}
			if n == ticket.Withdrawn || n == ticket.Merged {
				t.Errorf("staff may move %s to %s, which has its own action", s, n)
			}
		}
	}

	terminal := map[ticket.Status]bool{ticket.Closed: true, ticket.Rejected: true,
		ticket.Withdrawn: true, ticket.Merged: true}
	for _, s := range ticket.Statuses {
		if s.Terminal() != terminal[s] {
			t.Errorf("%s.Terminal() = %v", s, s.Terminal())
		}
	}
}

// TestDueDateCountsWorkingDays checks that a ticket's due date is its service
// level in working days of the Saxon calendar, not in calendar days.
func TestDueDateCountsWorkingDays(t *testing.T) {
	store, pool, svc := newStore(t)
	c, err := store.Create(context.Background(), newTicket(svc, ""))
	if err != nil {
		t.Fatal(err)
	}

	var due time.Time
	if err := pool.QueryRow(context.Background(), "SELECT due_at FROM tickets WHERE id = $1",
		c.ID).Scan(&due); err != nil {
		t.Fatal(err)
	}

	loc, _ := time.LoadLocation("Europe/Berlin")
	cal := calendar.New(loc, calendar.Saxony)
	want := cal.Due(c.CreatedAt, 10)
	if d := due.Sub(want); d < -time.Second || d > time.Second {
		t.Errorf("due %s, want %s (10 working days after %s)", due, want, c.CreatedAt)
	}
	if !cal.WorkingDay(due) {
		t.Errorf("due date %s is no working day", due)
	}
}
