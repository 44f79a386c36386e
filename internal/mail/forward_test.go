package mail_test

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/mail/mailtest"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/templates"
)

// TestForwardingReachesTheBody forwards a ticket with its files and reads the
// mail the other authority's server got: the covering note, the request's
// content, the attachment, and no contact unless asked for.
func TestForwardingReachesTheBody(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, "")
	ctx := context.Background()
	sender, err := mail.NewSender(smtp.URL(), "Stadt Musterstadt <anliegen@"+host+">")
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}

	loc, _ := time.LoadLocation("Europe/Berlin")
	key := []byte("0123456789abcdef0123456789abcdef")
	fw, err := mail.NewForwardWorker(mail.ForwardDeps{
		Pool: e.pool, Outbox: e.outbox, Sender: sender,
		Tickets: ticket.NewStore(e.pool, nil, key, loc), Catalog: catalog.NewStore(e.pool),
		Bundle: bundle, Templates: templates.FS, Host: host, Location: loc,
		Logger: slog.New(slog.NewJSONHandler(e.logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	w := river.NewWorkers()
	river.AddWorker(w, fw)
	jobs, err := river.NewClient(riverpgxv5.New(e.pool), &river.Config{
		Workers: w, Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		FetchCooldown: 10 * time.Millisecond, RetryPolicy: quickRetry{},
	})
	if err != nil {
		t.Fatal(err)
	}
	store := ticket.NewStore(e.pool, jobs, key, loc)

	data := []byte("%PDF-1.4 Lageplan")
	c, err := store.Create(ctx, ticket.New{
		ServiceID: e.service.ID, TeamID: e.service.TeamID, Channel: ticket.ChannelWeb,
		Language: "de", Subject: "Schlagloch: Hauptstraße 12", Body: citizenText,
		Fields:      map[string]string{"description": citizenText, "danger": "yes"},
		ContactName: citizenName,
		Files: []attachment.File{{Name: "lageplan.pdf", ContentType: "application/pdf",
			Data: data, SHA256: sha256.Sum256(data)}},
	})
	if err != nil {
		t.Fatal(err)
	}

	err = store.Forward(ctx, ticket.Forwarding{
		Action: ticket.Action{TicketID: c.ID, Version: 1},
		Body:   "Landesamt für Straßenbau", Email: "post@lasuv.example.org",
		Note: "Die Straße ist eine Staatsstraße. Bitte übernehmen Sie.", Files: true,
	})
	if err != nil {
		t.Fatal(err)
	}

	if err := jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = jobs.Stop(stop)
	})

	m := parsed(t, smtp.Wait(t, 1, 10*time.Second), "post@lasuv.example.org")
	if want := "[" + c.CaseNumber + "] Weiterleitung"; !strings.HasPrefix(m.Subject, want) {
		t.Errorf("subject %q, want it to start with %q", m.Subject, want)
	}
	wantContains(t, "text part", m.Text, "Landesamt für Straßenbau",
		"Die Straße ist eine Staatsstraße.", c.CaseNumber, "Schlagloch: Hauptstraße 12",
		citizenText, "lageplan.pdf", "ohne Kontaktdaten")
	wantContains(t, "HTML part", m.HTML, "Die Straße ist eine Staatsstraße.", citizenText)
	wantLacks(t, "text part", m.Text, citizenName)

	raw := string(smtp.Mails()[0].Data)
	wantContains(t, "mail", raw, `filename="lageplan.pdf"`, "Message-ID: <forward-")

	e.waitJobs(t, 10*time.Second)
	r := e.oneRow(t, c.ID, mail.KindForward)
	if r.Status != mail.StatusSent || !strings.HasPrefix(r.MessageID, "forward-") {
		t.Errorf("outbox row %+v, want a sent forwarding", r)
	}
	wantLacks(t, "log", e.logs.String(), "post@lasuv.example.org", "Staatsstraße", citizenName)
}
