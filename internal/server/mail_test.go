package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/mail/mailtest"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

// TestKeptMailShownInOutbox runs the service as the embedded default does,
// without a mail server: the acknowledgement is kept, and the outbox shows it
// with its text and a working access link.
func TestKeptMailShownInOutbox(t *testing.T) {
	svc, pool := newService(t)
	c := submitWithEmail(t, svc, "maria@example.org")
	runJobs(t, svc, pool)

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	if r := clerk.get("/outbox"); r.status != 303 || r.location != "/login" {
		t.Fatalf("outbox without sign-in: %d to %q, want 303 to /login", r.status, r.location)
	}

	signInDirectly(t, svc, pool, clerk)
	page := clerk.get("/outbox")
	wantStatus(t, page, 200)
	secret := svc.Tickets.AccessSecret(c.Code, 1)
	wantText(t, page, "<h1 class=\"kern-heading-large\">Postausgang</h1>", `href="/outbox"`,
		"<caption", `<th scope="col" class="kern-table__header">Empfangsadresse</th>`,
		"maria@example.org", "["+c.CaseNumber+"] Ihr Anliegen ist eingegangen",
		"Eingangsbestätigung", "Aufbewahrt", "Es ist kein Mailserver eingerichtet",
		"Text anzeigen", c.Code.String(), "https://anliegen.example.org/a/"+secret,
		`href="/tickets/`+strconv.FormatInt(c.ID, 10)+`"`)
	wantNoText(t, page, "/retry", "access_secret_placeholder")

	failed := clerk.get("/outbox?status=failed")
	wantStatus(t, failed, 200)
	wantText(t, failed, "Keine E-Mails gefunden.", `<option value="failed" selected>`)
}

// TestOutboxRetryButton sends through a mail server that is down: the mail
// waits with its error and a retry button, which after the server is up sends
// it at once.
func TestOutboxRetryButton(t *testing.T) {
	addr := mailtest.FreeAddr(t)
	svc, pool := newMailService(t, "smtp+plain://"+addr)
	c := submitWithEmail(t, svc, "maria@example.org")
	if err := svc.Jobs.Start(context.Background()); err != nil {
		t.Fatalf("start job queue: %v", err)
	}

	id := waitFirstFailure(t, pool, c.ID)
	stopJobs(t, svc)

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, clerk)
	page := clerk.get("/outbox")
	wantText(t, page, "Wartet", "connection refused", `action="/outbox/`+id+`/retry"`,
		`aria-label="E-Mail zu Vorgang `+c.CaseNumber+` erneut senden"`)

	smtp := mailtest.StartOn(t, addr)
	res := clerk.post("/outbox/"+id+"/retry", url.Values{}, csrf(t, page.body))
	wantStatus(t, res, 303)
	wantText(t, clerk.get(res.location), "Die E-Mail wird erneut gesendet.")

	runJobs(t, svc, pool)
	smtp.Wait(t, 1, 10*time.Second)
	wantText(t, clerk.get("/outbox?status=sent"), "Versandt", "maria@example.org")
	wantStatus(t, clerk.post("/outbox/"+id+"/retry", url.Values{}, csrf(t, page.body)), 303)
	if n := len(smtp.Mails()); n != 1 {
		t.Errorf("the server received %d mails, want 1", n)
	}
}

// signInDirectly starts a session for the test's staff member and gives its
// cookie to the browser: these tests are about the outbox, not the sign-in.
func signInDirectly(t *testing.T, svc *Service, pool *pgxpool.Pool, clerk *browser) {
	t.Helper()
	ctx := context.Background()
	var staffID int64
	err := pool.QueryRow(ctx, `SELECT id FROM staff WHERE email = $1`, testAdminEmail).
		Scan(&staffID)
	if err != nil {
		t.Fatalf("staff member: %v", err)
	}

	session, err := svc.Staff.StartSession(ctx, staffID)
	if err != nil {
		t.Fatalf("start session: %v", err)
	}

	clerk.cookies[svc.Backoffice.CookieName("staff_session")] = session
}

// newMailService builds the service sending through smtpURL, with the demo
// catalogue and the test's staff member.
func newMailService(t *testing.T, smtpURL string) (*Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	svc := buildMailService(t, pool, smtpURL)
	ctx := context.Background()

	if _, err := svc.Catalog.LoadDemo(ctx); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	_, err := svc.Staff.Create(ctx, staff.NewMember{
		Email: testAdminEmail, Name: "Clara Clerk", Role: staff.RoleAdmin,
		Password: testAdminPassword,
	})
	if err != nil {
		t.Fatalf("create staff: %v", err)
	}

	return svc, pool
}

func buildMailService(t testing.TB, pool *pgxpool.Pool, smtpURL string) *Service {
	t.Helper()
	base, _ := url.Parse("https://anliegen.example.org")
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("time zone: %v", err)
	}

	svc, err := Build(context.Background(), pool, Config{
		BaseURL: base, Location: loc, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Limits: testLimits(), SMTPURL: smtpURL, MailFrom: "Stadt <anliegen@example.org>",
	})
	if err != nil {
		t.Fatalf("build service: %v", err)
	}

	return svc
}

func submitWithEmail(t *testing.T, svc *Service, email string) ticket.Created {
	t.Helper()
	ctx := context.Background()
	s, err := svc.Catalog.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatalf("demo service: %v", err)
	}

	c, err := svc.Tickets.Create(ctx, ticket.New{
		ServiceID: s.ID, TeamID: s.TeamID, Channel: ticket.ChannelWeb, Language: "de",
		Subject: "Schlagloch", Body: "Ein tiefes Loch.", ContactEmail: email,
	})
	if err != nil {
		t.Fatalf("create ticket: %v", err)
	}

	return c
}

// runJobs starts the service's workers, waits until no job is left and stops
// them.
func runJobs(t testing.TB, svc *Service, pool *pgxpool.Pool) {
	t.Helper()
	if err := svc.Jobs.Start(context.Background()); err != nil {
		t.Fatalf("start job queue: %v", err)
	}

	waitNoPendingJobs(t, pool, time.Minute)
	stopJobs(t, svc)
}

func stopJobs(t testing.TB, svc *Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if err := svc.Jobs.Stop(ctx); err != nil {
		t.Fatalf("stop job queue: %v", err)
	}
}

func waitNoPendingJobs(t testing.TB, pool *pgxpool.Pool, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var n int
		err := pool.QueryRow(context.Background(), `
SELECT count(*)
FROM river_job
WHERE state IN ('available', 'running', 'scheduled', 'pending')`).Scan(&n)
		if err != nil {
			t.Fatalf("count pending jobs: %v", err)
		}
		if n == 0 {
			return
		}

		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still pending after %s", n, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitFirstFailure waits until the ticket's mail has failed once and returns
// the mail's ID.
func waitFirstFailure(t *testing.T, pool *pgxpool.Pool, ticketID int64) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var id string
		err := pool.QueryRow(context.Background(), `
SELECT id::text
FROM outgoing_mail
WHERE ticket_id = $1
  AND attempts > 0`, ticketID).Scan(&id)
		if err == nil {
			return id
		}

		if time.Now().After(deadline) {
			t.Fatalf("no failed attempt within 15 s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// BenchmarkNotify10000 enqueues 10,000 acknowledgements, in German, Arabic and
// English, and measures how fast the service's own job client delivers them to
// a local SMTP server.
func BenchmarkNotify10000(b *testing.B) {
	const n = 10000
	for range b.N {
		b.StopTimer()
		smtp := mailtest.Start(b)
		pool := dbtest.New(b)
		svc := buildMailService(b, pool, smtp.URL())
		insertNotices(b, svc, pool, n)
		b.StartTimer()

		start := time.Now()
		if err := svc.Jobs.Start(context.Background()); err != nil {
			b.Fatalf("start job queue: %v", err)
		}

		smtp.Wait(b, n, 5*time.Minute)
		elapsed := time.Since(start)
		b.StopTimer()
		stopJobs(b, svc)

		b.ReportMetric(n/elapsed.Seconds(), "mails/s")
		b.Logf("%d mails delivered in %s: %.0f mails/s", n, elapsed.Round(time.Millisecond),
			n/elapsed.Seconds())
	}
}

// insertNotices stores n tickets with an e-mail address in one COPY and
// enqueues their acknowledgements in one batch, as n submissions would.
func insertNotices(b *testing.B, svc *Service, pool *pgxpool.Pool, n int) {
	b.Helper()
	ctx := context.Background()
	if _, err := svc.Catalog.LoadDemo(ctx); err != nil {
		b.Fatalf("load demo catalogue: %v", err)
	}

	s, err := svc.Catalog.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		b.Fatalf("demo service: %v", err)
	}

	_, err = pool.CopyFrom(ctx, pgx.Identifier{"tickets"},
		[]string{"case_number", "tracking_code", "access_hash", "service_id", "team_id",
			"channel", "language", "contact_email"},
		pgx.CopyFromSlice(n, func(i int) ([]any, error) {
			return benchTicket(i, s)
		}))
	if err != nil {
		b.Fatalf("copy tickets: %v", err)
	}

	params, err := noticeParams(ctx, pool)
	if err != nil {
		b.Fatalf("read tickets: %v", err)
	}

	if _, err := svc.Jobs.InsertMany(ctx, params); err != nil {
		b.Fatalf("enqueue notices: %v", err)
	}
}

func benchTicket(i int, s catalog.Service) ([]any, error) {
	code, err := tracking.NewCode()
	if err != nil {
		return nil, err
	}

	hash := make([]byte, 32)
	if _, err := rand.Read(hash); err != nil {
		return nil, err
	}

	lang := []string{"de", "ar", "en"}[i%3]

	return []any{fmt.Sprintf("2026-%06d", 900000+i), code.Canonical(), hash, s.ID, s.TeamID,
		ticket.ChannelWeb, lang, fmt.Sprintf("buerger%d@example.org", i)}, nil
}

func noticeParams(ctx context.Context, pool *pgxpool.Pool) ([]river.InsertManyParams, error) {
	rows, err := pool.Query(ctx, `SELECT id FROM tickets ORDER BY id`)
	if err != nil {
		return nil, err
	}

	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}

	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: ticket.NotifyArgs{
			TicketID: id, Message: ticket.MessageAcknowledgement,
		}}
	}

	return params, nil
}
