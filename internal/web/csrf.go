package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const (
	csrfCookie    = "csrf"
	csrfField     = "_csrf"
	csrfHeader    = "X-CSRF-Token"
	csrfCookieLen = 32
)

// newCrossOriginProtection returns Go's check of the browser's Sec-Fetch-Site
// and Origin headers, trusting the given origins (scheme://host[:port]) besides
// the request's own host.
func newCrossOriginProtection(trusted []string) (*http.CrossOriginProtection, error) {
	p := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := p.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("trusted origin %q: %w", o, err)
		}
	}

	return p, nil
}

// crossOrigin refuses a state-changing request that a browser sent from
// another site, as its Sec-Fetch-Site or Origin header tells. A request with
// neither header comes from a program rather than a browser (an API client,
// a script) or from a browser too old to send them, and passes to the token
// check; so does every GET, HEAD and OPTIONS.
func (s *Server) crossOrigin(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}

	if err := s.origins.Check(originRequest(c)); err != nil {
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	}

	return c.Next()
}

// originRequest carries what the cross-origin check reads of a request: its
// method, its address and host as the client sent them, and the two headers.
func originRequest(c *fiber.Ctx) *http.Request {
	r := &http.Request{
		Method: c.Method(),
		URL:    &url.URL{Path: c.Path()},
		Host:   string(c.Request().Host()),
		Header: http.Header{},
	}
	if v := c.Get("Sec-Fetch-Site"); v != "" {
		r.Header.Set("Sec-Fetch-Site", v)
	}
	if v := c.Get(fiber.HeaderOrigin); v != "" {
		r.Header.Set(fiber.HeaderOrigin, v)
	}

	return r
}

// csrf protects every state-changing request with a signed double-submit token
// as a second layer behind the cross-origin check: the browser holds a random
// value in an HttpOnly cookie, and each form carries its HMAC under the server
// key. A forged request from another site has neither the cookie's value nor
// the key, and nothing is stored per visitor, so any instance can check any
// token. A page without a form makes no token at all (see Page.CSRFToken).
func (s *Server) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}

	// An API client proves itself with its key rather than a cookie, so no
	// cross-site form can act for it; the cross-origin check still applies.
	clean := path.Clean(c.Path())
	for _, prefix := range s.noCSRF {
		if strings.HasPrefix(clean, prefix) {
			return c.Next()
		}
	}

	seed := s.csrfSeed(c)
	got := c.FormValue(csrfField)
	if got == "" {
		got = c.Get(csrfHeader)
	}

	if seed == "" || !hmac.Equal([]byte(got), []byte(s.csrfSign(seed))) {
		return fiber.NewError(fiber.StatusForbidden, "missing or wrong csrf token")
	}

	return c.Next()
}

// csrfSeed returns the seed of the browser's cookie, or "" when it has none
// that this server could have made.
func (s *Server) csrfSeed(c *fiber.Ctx) string {
	seed := s.Cookie(c, csrfCookie)
	if raw, err := base64.RawURLEncoding.DecodeString(seed); err != nil ||
		len(raw) != csrfCookieLen {
		return ""
	}

	return seed
}

func (s *Server) csrfSign(seed string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("csrf\x00" + seed))

	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken is the token of one request, made when a page first asks for it.
type csrfToken struct {
	server *Server
	ctx    *fiber.Ctx
	value  string
}

// get returns the token for the browser's seed, giving the browser a new seed
// first if it has none.
func (t *csrfToken) get() (string, error) {
	if t.value != "" {
		return t.value, nil
	}

	seed := t.server.csrfSeed(t.ctx)
	if seed == "" {
		b := make([]byte, csrfCookieLen)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("csrf seed: %w", err)
		}
		seed = base64.RawURLEncoding.EncodeToString(b)
		t.server.SetCookie(t.ctx, csrfCookie, seed, 0, fiber.CookieSameSiteLaxMode)
	}
	t.value = t.server.csrfSign(seed)

	return t.value, nil
}
