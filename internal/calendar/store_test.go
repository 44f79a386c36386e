package calendar_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestStoreAppliesAndWatches stores a day off and a worked holiday: Apply puts
// them into force, and Watch picks up a day stored afterwards, as one stored
// through another instance.
func TestStoreAppliesAndWatches(t *testing.T) {
	pool := dbtest.New(t)
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	store := calendar.NewStore(pool)
	cal := calendar.New(loc, calendar.Saxony)
	at := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(12 * time.Hour)
	}

	ctx := context.Background()
	for _, d := range []calendar.Day{
		{Date: at("2026-12-24"), Kind: calendar.KindExtra, Name: "Heiligabend"},
		{Date: at("2026-10-31"), Kind: calendar.KindRemoved},
	} {
		if err := store.Set(ctx, d, 0); err != nil {
			t.Fatalf("set %v: %v", d, err)
		}
	}
	if err := store.Apply(ctx, cal); err != nil {
		t.Fatal(err)
	}
	if !cal.Holiday(at("2026-12-24")) || cal.Holiday(at("2026-10-31")) {
		t.Fatal("Apply did not put the stored days into force")
	}

	watching, stop := context.WithCancel(ctx)
	defer stop()
	go store.Watch(watching, cal, 10*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))

	err = store.Set(ctx, calendar.Day{Date: at("2026-12-31"), Kind: calendar.KindExtra,
		Name: "Silvester"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200 && !cal.Holiday(at("2026-12-31")); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if !cal.Holiday(at("2026-12-31")) {
		t.Error("Watch did not pick up a day stored after it started")
	}

	if err := store.Delete(ctx, at("2026-12-24"), 0); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM change_log WHERE action LIKE 'holiday.%'`).
		Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("the change log has %d holiday changes, want 4", n)
	}
}
