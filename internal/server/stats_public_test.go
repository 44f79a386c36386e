package server

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/db/dbtest"
)

// newFiguresService builds the service with the public figures switched on,
// six pothole reports resolved after two working days each, and the rollups
// refreshed.
func newFiguresService(t *testing.T) (*Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	base, _ := url.Parse("https://anliegen.example.org")
	loc, _ := time.LoadLocation("Europe/Berlin")
	svc, err := Build(context.Background(), pool, Config{
		BaseURL: base, Location: loc, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Limits: testLimits(), Stats: StatsConfig{PublicFigures: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Catalog.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}

	for range 6 {
		submitWithEmail(t, svc, "maria@example.org")
	}
	// A Tuesday at least a week ago whose week has no holiday up to Thursday.
	now := time.Now().In(loc)
	cal := calendar.New(loc, calendar.Saxony)
	tuesday := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, loc)
	for tuesday.Weekday() != time.Tuesday || !tuesday.Before(now.AddDate(0, 0, -7)) ||
		!cal.WorkingDay(tuesday) || !cal.WorkingDay(tuesday.AddDate(0, 0, 1)) ||
		!cal.WorkingDay(tuesday.AddDate(0, 0, 2)) {
		tuesday = tuesday.AddDate(0, 0, -1)
	}
	thursday := tuesday.AddDate(0, 0, 2)
	_, err = pool.Exec(context.Background(), `UPDATE tickets SET status = 'resolved',
		created_at = $1, resolved_at = $2, due_at = $3, updated_at = now()`,
		tuesday, thursday, thursday.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	refreshStats(t, svc)

	return svc, pool
}

func TestPublicFiguresAreOffByDefault(t *testing.T) {
	svc, _ := newService(t)
	wantStatus(t, newBrowser(t, svc.Portal.Fiber()).get("/figures"), 404)
}

func TestPublicFiguresInEveryLanguage(t *testing.T) {
	svc, _ := newFiguresService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())

	de := citizen.get("/figures")
	wantStatus(t, de, 200)
	wantText(t, de, "Zahlen zu unseren Leistungen", "Schlagloch", "6 Anliegen",
		"2,0 Arbeitstage", "100 %", "weniger als 5 Anliegen")
	wantNoText(t, de, "maria@example.org")

	for lang, want := range map[string]string{
		"en": "2.0 working days", "de-x-ls": "2,0 Arbeits-Tage", "uk": "2,0 робочих днів",
		"ru": "2,0 рабочих дней", "ar": "2.0 يوم عمل", "tr": "2,0 iş günü",
		"vi": "2,0 ngày làm việc",
	} {
		wantText(t, citizen.get("/figures?lang="+lang), want)
	}
}
