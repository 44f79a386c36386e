package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/server"
	"github.com/anliegen/anliegen/portal"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestLoadSubmitsThenTracks drives a real portal on a loopback port: first the
// submit scenario, whose accepted requests must all be in the database, then
// the track scenario on the tickets it made.
func TestLoadSubmitsThenTracks(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a real server for several seconds")
	}

	base, pool := startPortal(t)
	ctx := context.Background()

	var out strings.Builder
	opts := loadOptions{Scenario: "submit", Connections: 4, Duration: 2 * time.Second}
	res, err := runLoad(ctx, base, pool, opts, &out)
	if err != nil {
		t.Fatalf("submit scenario: %v", err)
	}
	t.Logf("submit scenario:\n%s", out.String())

	if res.Successes == 0 || res.errorCount() != 0 {
		t.Errorf("submit: %d successes and errors %v, want some and none",
			res.Successes, res.Errors)
	}
	if added := res.TicketsAfter - res.TicketsBefore; added != int64(res.Accepted) {
		t.Errorf("submit: %d new tickets for %d answers 303, want as many", added, res.Accepted)
	}
	if !strings.Contains(out.String(), "every accepted one committed") {
		t.Errorf("submit report lacks the commit verdict:\n%s", out.String())
	}

	out.Reset()
	// The portal runs in this process, so its CPU time and memory are ours.
	opts.Scenario, opts.ServerPID = "track", os.Getpid()
	res, err = runLoad(ctx, base, pool, opts, &out)
	if err != nil {
		t.Fatalf("track scenario: %v", err)
	}
	t.Logf("track scenario:\n%s", out.String())

	if res.Successes == 0 || res.errorCount() != 0 {
		t.Errorf("track: %d successes and errors %v, want some and none",
			res.Successes, res.Errors)
	}
	for _, s := range []string{"requests/s", "p99", "client CPU    0.", "server CPU    0.",
		"server memory "} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("track report lacks %q:\n%s", s, out.String())
		}
	}
}

func TestLoadFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no scenario", nil, "--scenario"},
		{"unknown scenario", []string{"--scenario", "browse"}, "--scenario"},
		{"no connections", []string{"--scenario", "track", "--connections", "0"}, "--connections"},
		{"no duration", []string{"--scenario", "track", "--duration", "0s"}, "--duration"},
		{"bad url", []string{"--scenario", "submit", "--url", "127.0.0.1:8080"}, "--url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, _, _ := testEnv(nil, "")
			_, err := parseLoadFlags(tc.args, e)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseLoadFlags(%q): %v, want an error naming %s", tc.args, err, tc.want)
			}
		})
	}

	e, _, _ := testEnv(nil, "")
	f, err := parseLoadFlags([]string{"--scenario", "track", "--connections", "8",
		"--data-dir", "/tmp/x", "--duration", "3s"}, e)
	if err != nil {
		t.Fatalf("good flags: %v", err)
	}
	if f.opts.Connections != 8 || f.opts.Duration != 3*time.Second ||
		strings.Join(f.common, " ") != "--data-dir /tmp/x" {
		t.Errorf("good flags parsed as %+v", f)
	}
}

// startPortal serves the portal with the demo catalogue and limits no load run
// reaches on a loopback port, and returns its base URL and database.
func startPortal(t *testing.T) (string, *pgxpool.Pool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}

	base := "http://" + ln.Addr().String()
	baseURL, _ := url.Parse(base)
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("time zone: %v", err)
	}

	pool := dbtest.New(t)
	svc, err := server.Build(context.Background(), pool, server.Config{
		BaseURL: baseURL, Location: loc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: portal.Limits{Lookups: 1e6, Submissions: 1e6, Window: time.Minute},
	})
	if err != nil {
		t.Fatalf("build service: %v", err)
	}

	if _, err := svc.Catalog.LoadDemo(context.Background()); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	app := svc.Portal.Fiber()
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })

	return base, pool
}
