package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/server"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/portal"
)

// TestLoadOpen311Scenarios drives the API's list and single-request scenarios
// against a real portal on a loopback port, on tickets of a public and a
// non-public service: every request must succeed, so no non-public ticket was
// picked.
func TestLoadOpen311Scenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a real server for several seconds")
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	baseURL, _ := url.Parse(base)

	ctx := context.Background()
	pool := dbtest.New(t)
	svc, err := server.Build(ctx, pool, server.Config{
		BaseURL: baseURL, Location: time.UTC,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: portal.Limits{Lookups: 1e6, Submissions: 1e6, API: 1e6, Window: time.Minute},
	})
	if err != nil {
		t.Fatalf("build service: %v", err)
	}
	if _, err := svc.Catalog.LoadDemo(ctx); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}
	for _, code := range []string{"schlagloch", "schlagloch", "it-stoerung"} {
		s, err := svc.Catalog.ServiceByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.Tickets.Create(ctx, ticket.New{ServiceID: s.ID, TeamID: s.TeamID,
			Channel: ticket.ChannelWeb, Language: "de", Subject: code})
		if err != nil {
			t.Fatal(err)
		}
	}

	app := svc.Portal.Fiber()
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })

	for _, scenario := range []string{"open311-list", "open311-request"} {
		var out strings.Builder
		opts := loadOptions{Scenario: scenario, Connections: 4, Duration: time.Second}
		res, err := runLoad(ctx, base, pool, opts, &out)
		if err != nil {
			t.Fatalf("%s: %v", scenario, err)
		}
		t.Logf("%s:\n%s", scenario, out.String())

		if res.Successes == 0 || res.errorCount() != 0 {
			t.Errorf("%s: %d successes and errors %v, want some and none", scenario,
				res.Successes, res.Errors)
		}
		if !strings.Contains(out.String(), "latency p95") {
			t.Errorf("%s report lacks the 95th percentile:\n%s", scenario, out.String())
		}
	}

	e, _, _ := testEnv(nil, "")
	if _, err := parseLoadFlags([]string{"--scenario", "open311-list"}, e); err != nil {
		t.Errorf("--scenario open311-list refused: %v", err)
	}
}
