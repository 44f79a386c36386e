package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestCrossOriginCheck(t *testing.T) {
	origins, err := newCrossOriginProtection([]string{"https://buerger.stadt.de"})
	if err != nil {
		t.Fatal(err)
	}

	s := &Server{origins: origins}
	app := fiber.New()
	app.All("/*", s.crossOrigin, func(c *fiber.Ctx) error { return c.SendString("done") })

	cases := []struct {
		name, method, path string
		header             map[string]string
		want               int
	}{
		{"API client without browser headers", "POST", "/open311/v2/requests.json", nil, 200},
		{"API client from a browser on another site", "POST", "/open311/v2/requests.json",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"form from another site", "POST", "/track",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
			403},
		{"form from the trusted other name", "POST", "/track",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://buerger.stadt.de"},
			200},
		{"form from this host, old browser", "POST", "/track",
			map[string]string{"Origin": "http://portal.stadt.de"}, 200},
		{"form from another host, old browser", "POST", "/track",
			map[string]string{"Origin": "http://other.stadt.de"}, 403},
		{"link from another site", "GET", "/t/K7QF",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
		{"delete from another site", "DELETE", "/request",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "http://portal.stadt.de"+tc.path, nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}

			res, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()

			if res.StatusCode != tc.want {
				t.Errorf("%s %s answered %d, want %d", tc.method, tc.path, res.StatusCode, tc.want)
			}
		})
	}
}

func TestTrustedOriginsMustBeOrigins(t *testing.T) {
	if _, err := newCrossOriginProtection([]string{"https://stadt.de/portal"}); err == nil {
		t.Error("an origin with a path was accepted")
	}
}

// The check reads the Host the client sent, never a forwarded one.
func TestCrossOriginIgnoresForwardedHost(t *testing.T) {
	origins, err := newCrossOriginProtection(nil)
	if err != nil {
		t.Fatal(err)
	}

	s := &Server{origins: origins}
	app := fiber.New()
	app.Post("/track", s.crossOrigin, func(c *fiber.Ctx) error { return c.SendString("done") })

	req := httptest.NewRequest(http.MethodPost, "http://portal.stadt.de/track", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("X-Forwarded-Host", "evil.example")

	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	if res.StatusCode != http.StatusForbidden {
		t.Errorf("answered %d with a forwarded host matching the origin, want 403", res.StatusCode)
	}
}
