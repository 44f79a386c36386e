package server

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/mail/mailtest"
	"github.com/anliegen/anliegen/internal/stats"
)

// TestMonthlyReportArrives mails the report of the current month to two
// recipients, one in German and one in English, through a real SMTP server.
func TestMonthlyReportArrives(t *testing.T) {
	smtp := mailtest.Start(t)
	pool := dbtest.New(t)
	base, _ := url.Parse("https://anliegen.example.org")
	office, _ := url.Parse("https://intern.example.org")
	loc, _ := time.LoadLocation("Europe/Berlin")
	svc, err := Build(context.Background(), pool, Config{
		BaseURL: base, Location: loc, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Limits: testLimits(), SMTPURL: smtp.URL(), MailFrom: "Stadt <anliegen@example.org>",
		Stats: StatsConfig{BackofficeURL: office, ReportTo: []stats.Recipient{
			{Address: "amt@stadt.example.org", Language: "de"},
			{Address: "it@stadt.example.org", Language: "en"},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Catalog.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	submitWithEmail(t, svc, "maria@example.org")

	month := time.Now().In(loc).Format("2006-01")
	if _, err := svc.Jobs.Insert(context.Background(), stats.ReportArgs{Month: month},
		&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
		t.Fatal(err)
	}
	runJobs(t, svc, pool)

	byRecipient := map[string]mailtest.Parsed{}
	for _, m := range smtp.Wait(t, 3, 30*time.Second) {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		byRecipient[m.To[0]] = p
	}

	// The scheduled job handed out one job per recipient, so that a retry
	// after one recipient's failure mails nobody else twice.
	var perRecipient int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job
		WHERE kind = 'stats_report' AND state = 'completed' AND args->>'to' <> ''`,
	).Scan(&perRecipient); err != nil || perRecipient != 2 {
		t.Errorf("completed report jobs with a recipient = %d (%v), want 2", perRecipient, err)
	}

	label := time.Now().In(loc).Format("01/2006")
	de, en := byRecipient["amt@stadt.example.org"], byRecipient["it@stadt.example.org"]
	if de.Subject != "Statistik der Anliegen "+label {
		t.Errorf("German subject %q", de.Subject)
	}
	if en.Subject != "Case statistics "+label {
		t.Errorf("English subject %q", en.Subject)
	}
	for _, want := range []string{"Eingegangen: 1 (im Monat davor: 0)",
		"Schlagloch oder Straßenschaden: Eingegangen 1",
		"https://intern.example.org/stats?from=" + month + "-01"} {
		if !strings.Contains(de.Text, want) {
			t.Errorf("German report lacks %q:\n%s", want, de.Text)
		}
	}
	if !strings.Contains(en.Text, "Received: 1 (in the month before: 0)") ||
		!strings.Contains(en.HTML, "<th scope=\"row\" align=\"left\">Received</th>") {
		t.Errorf("English report:\n%s\n%s", en.Text, en.HTML)
	}
	if strings.Contains(de.Text+en.Text, "maria@example.org") {
		t.Error("the report names a citizen")
	}
}
