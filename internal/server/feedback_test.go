package server

import (
	"context"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/portal"
)

// resolvedWithMail submits a ticket in lang, resolves it, runs the jobs and
// returns the path of the resolved mail's link for score.
func resolvedWithMail(
	t *testing.T,
	svc *Service,
	pool *pgxpool.Pool,
	lang string,
	score int,
) (ticket.Created, string) {
	t.Helper()
	ctx := context.Background()
	s, err := svc.Catalog.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatalf("demo service: %v", err)
	}

	c, err := svc.Tickets.Create(ctx, ticket.New{
		ServiceID: s.ID, TeamID: s.TeamID, Channel: ticket.ChannelWeb, Language: lang,
		Subject: "Schlagloch", Body: "Ein tiefes Loch.", ContactEmail: "maria@example.org",
	})
	if err != nil {
		t.Fatalf("create ticket: %v", err)
	}

	err = svc.Tickets.ChangeStatus(ctx, ticket.StatusChangeRequest{
		TicketID: c.ID, Version: 1, To: ticket.Resolved,
	})
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}

	runJobs(t, svc, pool)

	var text string
	err = pool.QueryRow(ctx, `SELECT text_body FROM outgoing_mail
		WHERE ticket_id = $1 AND kind = 'resolved'`, c.ID).Scan(&text)
	if err != nil {
		t.Fatalf("resolved mail: %v", err)
	}

	link := regexp.MustCompile(`https://anliegen\.example\.org(/feedback/\S+score=` +
		string(rune('0'+score)) + `)`).FindStringSubmatch(text)
	if link == nil {
		t.Fatalf("resolved mail has no link for score %d:\n%s", score, text)
	}

	return c, link[1]
}

// TestSatisfactionFromTheResolvedMail follows the mail's link for score 4:
// the page shows it chosen and stores nothing, as a mail scanner may open it;
// a missing score is refused with a message; the answer is stored with an
// event, and a second one replaces it.
func TestSatisfactionFromTheResolvedMail(t *testing.T) {
	svc, pool := newMailService(t, "")
	c, path := resolvedWithMail(t, svc, pool, "de", 4)
	ctx := context.Background()
	b := newBrowser(t, svc.Portal.Fiber())

	page := b.get(path)
	wantStatus(t, page, 200)
	wantText(t, page, "Wie zufrieden sind Sie?", c.CaseNumber,
		`id="score-4" name="score" value="4" checked`, "4 – zufrieden", "Bewertung senden")
	b.get(path)
	count := func() (rows, events int) {
		_ = pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM feedback),
			(SELECT count(*) FROM events WHERE kind = 'feedback')`).Scan(&rows, &events)
		return rows, events
	}
	if rows, events := count(); rows != 0 || events != 0 {
		t.Fatalf("opening the link stored %d answers and %d events, want none", rows, events)
	}

	action := strings.SplitN(path, "?", 2)[0]
	missing := b.post(action, url.Values{"comment": {"Schnell!"}}, csrf(t, page.body))
	wantStatus(t, missing, 422)
	wantText(t, missing, "Bitte wählen Sie eine Bewertung von 1 bis 5.", `href="#score-1"`,
		"Schnell!", `aria-describedby="score-error"`)

	done := b.post(action, url.Values{"score": {"4"}, "comment": {"Schnell!"}},
		csrf(t, page.body))
	wantStatus(t, done, 303)
	wantText(t, b.get(done.location), "Vielen Dank!", "Ihre Bewertung ist gespeichert.")

	again := b.get(action)
	wantText(t, again, "Sie haben schon geantwortet.", `value="4" checked`, "Schnell!")
	wantStatus(t, b.post(action, url.Values{"score": {"5"}}, csrf(t, again.body)), 303)

	var score int
	var comment string
	err := pool.QueryRow(ctx, `SELECT score, comment FROM feedback WHERE ticket_id = $1`,
		c.ID).Scan(&score, &comment)
	if err != nil || score != 5 || comment != "" {
		t.Errorf("feedback %d %q (%v), want the second answer 5 without comment", score,
			comment, err)
	}
	if rows, events := count(); rows != 1 || events != 2 {
		t.Errorf("%d answers and %d events, want 1 and 2", rows, events)
	}
}

// TestSatisfactionRefusesForgedTokens answers 404 to a token not made by the
// server, and 403 to an answer without the form's CSRF token.
func TestSatisfactionRefusesForgedTokens(t *testing.T) {
	svc, pool := newMailService(t, "")
	c, path := resolvedWithMail(t, svc, pool, "ar", 2)
	b := newBrowser(t, svc.Portal.Fiber())

	page := b.get(path)
	wantStatus(t, page, 200)
	wantText(t, page, `dir="rtl"`, "ما مدى رضاكم؟", `value="2" checked`)

	forged := strings.Replace(path, "/feedback/"+itoa(c.ID)+".", "/feedback/"+itoa(c.ID+1)+".",
		1)
	wantStatus(t, b.get(forged), 404)
	wantStatus(t, b.get("/feedback/nothing"), 404)

	action := strings.SplitN(path, "?", 2)[0]
	if r := b.post(action, url.Values{"score": {"2"}}, ""); r.status != 403 {
		t.Errorf("answer without CSRF token: status %d, want 403", r.status)
	}
}

// TestSatisfactionIsRateLimited lets a client open only a few pages of
// tokens, so that nobody can try tokens at speed.
func TestSatisfactionIsRateLimited(t *testing.T) {
	pool := dbtest.New(t)
	svc := buildServiceWith(t, pool, io.Discard,
		portal.Limits{Lookups: 3, Submissions: 3, Window: time.Minute})
	b := newBrowser(t, svc.Portal.Fiber())

	var last int
	for i := 0; i < 5; i++ {
		last = b.get("/feedback/1.AAAAAAAAAAAAAAAAAAAAAA").status
	}

	if last != 429 {
		t.Errorf("fifth guess: status %d, want 429", last)
	}
}
