package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/portal"
)

// TestForwardedForOnlyFromTrustedProxies checks whose address the rate limit
// counts: behind a trusted proxy the client's from X-Forwarded-For, without one
// the connection's, whatever the header says.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []string
		want    int // status of the first lookup from the second client
	}{
		{"behind a trusted proxy", []string{"0.0.0.0/0"}, 404},
		{"no trusted proxy", nil, 429},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, _ := url.Parse("https://anliegen.example.org")
			svc, err := Build(context.Background(), dbtest.New(t), Config{
				BaseURL: base, Location: time.UTC,
				Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
				Limits:         portal.Limits{Lookups: 2, Submissions: 2, Window: time.Minute},
				TrustedProxies: tc.proxies,
			})
			if err != nil {
				t.Fatal(err)
			}

			lookup := func(client string) int {
				req := httptest.NewRequest(http.MethodGet, "/t/K7QF-M20X-9PQ1-4HTR-P", nil)
				req.Header.Set("X-Forwarded-For", client)
				res, err := svc.Portal.Fiber().Test(req, -1)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}

			lookup("192.0.2.1")
			lookup("192.0.2.1")
			if got := lookup("198.51.100.9"); got != tc.want {
				t.Errorf("first lookup of another client: %d, want %d", got, tc.want)
			}
		})
	}
}
