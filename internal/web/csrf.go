package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const (
	csrfCookie    = "csrf"
	csrfField     = "_csrf"
	csrfHeader    = "X-CSRF-Token"
	localCSRF     = "csrf_token"
	csrfCookieLen = 32
)

// csrf protects every state-changing request with a signed double-submit token:
// the browser holds a random value in an HttpOnly cookie, and each form carries
// its HMAC under the server key. A forged request from another site has neither
// the cookie's value nor the key, and nothing is stored per visitor, so any
// instance can check any token.
func (s *Server) csrf(c *fiber.Ctx) error {
	clean := path.Clean(c.Path())
	for _, prefix := range s.noCSRF {
		if strings.HasPrefix(clean, prefix) {
			return c.Next()
		}
	}

	seed := s.Cookie(c, csrfCookie)
	if raw, err := base64.RawURLEncoding.DecodeString(seed); err != nil ||
		len(raw) != csrfCookieLen {
		seed = ""
	}

	if seed == "" {
		b := make([]byte, csrfCookieLen)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("csrf seed: %w", err)
		}
		seed = base64.RawURLEncoding.EncodeToString(b)
		s.SetCookie(c, csrfCookie, seed, 0, fiber.CookieSameSiteLaxMode)
	}

	want := s.csrfSign(seed)
	c.Locals(localCSRF, want)

	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}

	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return fiber.NewError(fiber.StatusForbidden, "cross-site request")
	}

	got := c.FormValue(csrfField)
	if got == "" {
		got = c.Get(csrfHeader)
	}

	if !hmac.Equal([]byte(got), []byte(want)) {
		return fiber.NewError(fiber.StatusForbidden, "missing or wrong csrf token")
	}

	return c.Next()
}

func (s *Server) csrfSign(seed string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("csrf\x00" + seed))

	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func csrfToken(c *fiber.Ctx) string {
	t, _ := c.Locals(localCSRF).(string)
	return t
}
