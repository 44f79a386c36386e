package mail_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/mail/mailtest"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/templates"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// host is the portal's host name, which ends every Message-ID.
const host = "anliegen.example.org"

// The citizen's own words and name, which no mail and no log may carry.
const (
	citizenName = "Maria Muster"
	citizenText = "Ein tiefes Loch vor der Bäckerei."
)

// quickRetry retries a failed job after 50 ms instead of River's backoff of
// seconds to weeks, so a test sees several attempts.
type quickRetry struct{}

func (quickRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(50 * time.Millisecond)
}

// syncBuffer collects the log while workers write to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a database with the demo catalogue, a ticket store whose jobs go to
// a River client with the mail worker, and the log of both.
type env struct {
	pool    *pgxpool.Pool
	tickets *ticket.Store
	jobs    *river.Client[pgx.Tx]
	outbox  *mail.Outbox
	service catalog.Service
	logs    *syncBuffer
}

// newEnv builds an env that sends through smtpURL, or keeps mails without
// one; configure may change the River client's settings.
func newEnv(t *testing.T, smtpURL string, configure ...func(*river.Config)) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{pool: dbtest.New(t), logs: &syncBuffer{}}
	e.outbox = mail.NewOutbox(e.pool)

	cat := catalog.NewStore(e.pool)
	if _, err := cat.LoadDemo(ctx); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	var err error
	if e.service, err = cat.ServiceByCode(ctx, "schlagloch"); err != nil {
		t.Fatalf("demo service: %v", err)
	}

	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("time zone: %v", err)
	}

	key := []byte("0123456789abcdef0123456789abcdef")
	cfg := &river.Config{
		Workers:       workers(t, e, smtpURL, ticket.NewStore(e.pool, nil, key, loc)),
		Queues:        map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}},
		FetchCooldown: 10 * time.Millisecond,
		// Retries are due 50 ms later, when no insert wakes the workers.
		FetchPollInterval: 50 * time.Millisecond,
		RetryPolicy:       quickRetry{},
		Logger:            slog.New(slog.NewJSONHandler(e.logs, nil)),
	}
	for _, c := range configure {
		c(cfg)
	}

	if e.jobs, err = river.NewClient(riverpgxv5.New(e.pool), cfg); err != nil {
		t.Fatalf("job queue client: %v", err)
	}
	e.tickets = ticket.NewStore(e.pool, e.jobs, key, loc)

	return e
}

func workers(t *testing.T, e *env, smtpURL string, links mail.AccessLinks) *river.Workers {
	t.Helper()
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatalf("load locales: %v", err)
	}

	renderer, err := mail.NewRenderer(templates.FS, bundle)
	if err != nil {
		t.Fatalf("parse mail templates: %v", err)
	}

	var sender *mail.Sender
	if smtpURL != "" {
		sender, err = mail.NewSender(smtpURL, "Stadt Musterstadt <anliegen@"+host+">")
		if err != nil {
			t.Fatalf("sender: %v", err)
		}
	}

	base, _ := url.Parse("https://" + host)
	backoffice, _ := url.Parse("https://intern." + host)
	loc, _ := time.LoadLocation("Europe/Berlin")
	deps := mail.WorkerDeps{
		Pool: e.pool, Outbox: e.outbox, Renderer: renderer, Sender: sender, Links: links,
		BaseURL: base, BackofficeURL: backoffice, Location: loc,
		Logger: slog.New(slog.NewJSONHandler(e.logs, nil)),
	}
	w := river.NewWorkers()
	river.AddWorker(w, mail.NewNotifyWorker(deps))
	river.AddWorker(w, mail.NewStaffNotifyWorker(deps))

	return w
}

// submit stores a pothole report in lang with email as the contact.
func (e *env) submit(t *testing.T, lang, email string) ticket.Created {
	t.Helper()
	c, err := e.tickets.Create(context.Background(), ticket.New{
		ServiceID: e.service.ID, TeamID: e.service.TeamID, SLADays: 3,
		Channel: ticket.ChannelWeb, Language: lang, Subject: "Schlagloch: Hauptstraße 12",
		Body: citizenText, ContactName: citizenName, ContactEmail: email,
	})
	if err != nil {
		t.Fatalf("create ticket: %v", err)
	}

	return c
}

// start runs the workers until the test ends.
func (e *env) start(t *testing.T) {
	t.Helper()
	if err := e.jobs.Start(context.Background()); err != nil {
		t.Fatalf("start job queue: %v", err)
	}

	t.Cleanup(func() { e.stop(t) })
}

func (e *env) stop(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if err := e.jobs.Stop(ctx); err != nil {
		t.Errorf("stop job queue: %v", err)
	}
}

// run starts the workers, waits until every job has ended and stops them.
func (e *env) run(t *testing.T) {
	t.Helper()
	if err := e.jobs.Start(context.Background()); err != nil {
		t.Fatalf("start job queue: %v", err)
	}

	e.waitJobs(t, 30*time.Second)
	e.stop(t)
}

const pendingJobsSQL = `
SELECT count(*)
FROM river_job
WHERE state NOT IN ('completed', 'cancelled', 'discarded')`

// waitJobs waits until no job is left to run.
func (e *env) waitJobs(t testing.TB, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var n int
		err := e.pool.QueryRow(context.Background(), pendingJobsSQL).Scan(&n)
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

const jobIDSQL = `
SELECT id
FROM river_job
WHERE kind = 'notify_citizen'
  AND (args->>'ticket_id')::bigint = $1
  AND args->>'message' = $2
ORDER BY id DESC
LIMIT 1`

// jobID returns the newest notice job of a ticket for message.
func (e *env) jobID(t *testing.T, ticketID int64, message string) int64 {
	t.Helper()
	var id int64
	err := e.pool.QueryRow(context.Background(), jobIDSQL, ticketID, message).Scan(&id)
	if err != nil {
		t.Fatalf("job of ticket %d for %s: %v", ticketID, message, err)
	}

	return id
}

// row is a mail as outgoing_mail holds it.
type row struct {
	ID        int64
	Status    string
	MessageID string
	Attempts  int
	LastError string
	Text      string
	Sent      bool
}

const rowsSQL = `
SELECT id, status, message_id, attempts, last_error, text_body, sent_at IS NOT NULL
FROM outgoing_mail
WHERE ticket_id = $1
  AND kind = $2
ORDER BY id`

// rows returns the outgoing mails of a ticket for message.
func (e *env) rows(t *testing.T, ticketID int64, message string) []row {
	t.Helper()
	rs, err := e.pool.Query(context.Background(), rowsSQL, ticketID, message)
	if err != nil {
		t.Fatalf("read outgoing mail: %v", err)
	}

	list, err := pgx.CollectRows(rs, func(r pgx.CollectableRow) (row, error) {
		var m row
		err := r.Scan(&m.ID, &m.Status, &m.MessageID, &m.Attempts, &m.LastError, &m.Text,
			&m.Sent)
		return m, err
	})
	if err != nil {
		t.Fatalf("read outgoing mail: %v", err)
	}

	return list
}

// oneRow returns the only outgoing mail of a ticket for message.
func (e *env) oneRow(t *testing.T, ticketID int64, message string) row {
	t.Helper()
	list := e.rows(t, ticketID, message)
	if len(list) != 1 {
		t.Fatalf("ticket %d has %d %s mails in outgoing_mail, want 1", ticketID, len(list),
			message)
	}

	return list[0]
}

// parsed reads the mail to rcpt among mails; exactly one is expected.
func parsed(t *testing.T, mails []mailtest.Received, rcpt string) mailtest.Parsed {
	t.Helper()
	var found []mailtest.Received
	for _, m := range mails {
		if len(m.To) == 1 && m.To[0] == rcpt {
			found = append(found, m)
		}
	}

	if len(found) != 1 {
		t.Fatalf("%d mails to %s, want 1", len(found), rcpt)
	}

	p, err := found[0].Parse()
	if err != nil {
		t.Fatalf("parse mail to %s: %v", rcpt, err)
	}

	return p
}

func wantContains(t *testing.T, what, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, s)
		}
	}
}

func wantLacks(t *testing.T, what, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(s, p) {
			t.Errorf("%s contains %q", what, p)
		}
	}
}
