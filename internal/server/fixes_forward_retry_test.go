package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/mail/mailtest"
)

// TestRetryForwardingAfterItsJobIsGone forwards a ticket while the mail server
// is down, lets the job queue forget the failed job, and presses the outbox's
// retry button: the other authority receives the forwarding with the covering
// note staff wrote, not a notice meant for a citizen.
func TestRetryForwardingAfterItsJobIsGone(t *testing.T) {
	addr := mailtest.FreeAddr(t)
	svc, pool := newMailService(t, "smtp+plain://"+addr)
	ctx := context.Background()
	c := submitWithEmail(t, svc, "")
	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, clerk)
	d := desk{t: t, b: clerk, pool: pool}

	res := d.act(c.ID, "forward", url.Values{"fwd-body": {"Landesamt für Straßenbau"},
		"fwd-email": {"post@lasuv.example.org"}, "fwd-note": {"Bitte übernehmen Sie."}})
	wantStatus(t, res, 303)

	if err := svc.Jobs.Start(ctx); err != nil {
		t.Fatalf("start job queue: %v", err)
	}
	id := waitFirstFailure(t, pool, c.ID)
	stopJobs(t, svc)

	if _, err := pool.Exec(ctx, `DELETE FROM river_job
		WHERE id = (SELECT job_id FROM outgoing_mail WHERE id = $1)`, id); err != nil {
		t.Fatal(err)
	}

	page := clerk.get("/outbox")
	wantText(t, page, `action="/outbox/`+id+`/retry"`)
	smtp := mailtest.StartOn(t, addr)
	res = clerk.post("/outbox/"+id+"/retry", url.Values{}, csrf(t, page.body))
	wantStatus(t, res, 303)
	wantText(t, clerk.get(res.location), "Die E-Mail wird erneut gesendet.")

	runJobs(t, svc, pool)
	got := smtp.Wait(t, 1, 10*time.Second)
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "post@lasuv.example.org" {
		t.Fatalf("the server received %+v, want one mail to the authority", got)
	}
	m, err := got[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Subject, "Weiterleitung") || !strings.Contains(m.Text,
		"Bitte übernehmen Sie.") || !strings.Contains(m.Text, c.CaseNumber) {
		t.Errorf("retried forwarding reads %q:\n%s", m.Subject, m.Text)
	}

	wantText(t, clerk.get("/outbox?status=sent"), "Versandt", "post@lasuv.example.org")
	failed := scalarOf[int](t, pool, `SELECT count(*) FROM outgoing_mail
		WHERE ticket_id = $1 AND kind <> 'forward'`, c.ID)
	if failed != 0 {
		t.Errorf("%d mails of another kind were enqueued for the forwarding", failed)
	}
}
