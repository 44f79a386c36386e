package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/ticket"
)

// accessCookie opens the access link of a new request on svc and returns the
// session cookie that the exchange sets, as the browser receives it.
func accessCookie(t *testing.T, svc *Service) *http.Cookie {
	t.Helper()
	ctx := context.Background()
	pothole, err := svc.Catalog.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatal(err)
	}
	created, err := svc.Tickets.Create(ctx, ticket.New{
		ServiceID: pothole.ID, TeamID: pothole.TeamID, Channel: "web", Language: "de",
		Subject: "Schlagloch", Body: "Ein Loch vor dem Haus.",
	})
	if err != nil {
		t.Fatal(err)
	}

	r := newBrowser(t, svc.Portal.Fiber()).get("/a/" + created.AccessSecret)
	wantStatus(t, r, 303)
	cookies := (&http.Response{Header: r.header}).Cookies()
	for _, c := range cookies {
		if strings.TrimPrefix(c.Name, "__Host-") == "anliegen_access" {
			return c
		}
	}
	t.Fatalf("the access link set no session cookie: %q", r.header.Values("Set-Cookie"))

	return nil
}

// TestCitizenSessionCookie: behind TLS the session cookie of the access link is
// a __Host- cookie, Secure, HttpOnly, SameSite=Lax, for path / and no domain;
// over plain HTTP, as on a developer's machine, it keeps all but the prefix and
// Secure.
func TestCitizenSessionCookie(t *testing.T) {
	svc, _ := newService(t)
	c := accessCookie(t, svc)
	if !strings.HasPrefix(c.Name, "__Host-") || !c.Secure || !c.HttpOnly ||
		c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Errorf("behind TLS the cookie is %+v, want __Host-, Secure, HttpOnly, Lax, path /", c)
	}

	base, _ := url.Parse("http://localhost:8080")
	plain, err := Build(context.Background(), dbtest.New(t), Config{
		BaseURL: base, Location: time.UTC, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: testLimits(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Catalog.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	c = accessCookie(t, plain)
	if strings.HasPrefix(c.Name, "__Host-") || c.Secure || !c.HttpOnly ||
		c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("over plain HTTP the cookie is %+v, want HttpOnly, Lax, path /, no prefix", c)
	}
}
