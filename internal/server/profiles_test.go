package server

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/db/dbtest"
)

func TestProfilesOnlyOnTheBackofficeAndOnlyWhenAskedFor(t *testing.T) {
	pool := dbtest.New(t)
	base, _ := url.Parse("https://anliegen.example.org")
	for _, on := range []bool{true, false} {
		svc, err := Build(context.Background(), pool, Config{
			BaseURL: base, Location: time.UTC, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
			Limits: testLimits(), Profiles: on,
		})
		if err != nil {
			t.Fatal(err)
		}

		want := 404
		if on {
			want = 200
		}
		r := newBrowser(t, svc.Backoffice.Fiber()).get("/debug/pprof/cmdline")
		if r.status != want {
			t.Errorf("profiles %v: back office answered %d, want %d", on, r.status, want)
		}
		if r := newBrowser(t, svc.Portal.Fiber()).get("/debug/pprof/cmdline"); r.status != 404 {
			t.Errorf("profiles %v: portal answered %d, want 404", on, r.status)
		}
	}
}
