package web

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/i18n"
)

const (
	localRequestID = "request_id"
	localLocalizer = "localizer"
	langCookie     = "lang"
)

// RequestID returns the ID of the current request, shown on error pages and
// written on every log line of the request.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// Localizer returns the translator of the language chosen for this request.
func Localizer(c *fiber.Ctx) *i18n.Localizer {
	l, _ := c.Locals(localLocalizer).(*i18n.Localizer)
	return l
}

// requestIDs numbers the requests of one process behind a random prefix, so
// that IDs of several instances do not collide and none costs a random read.
type requestIDs struct {
	prefix [8]byte
	n      atomic.Uint32
}

func newRequestIDs() (*requestIDs, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("request id prefix: %w", err)
	}

	ids := &requestIDs{}
	hex.Encode(ids.prefix[:], b[:])

	return ids, nil
}

// next returns sixteen hexadecimal digits: the prefix and the request's number.
func (r *requestIDs) next() string {
	var b [16]byte
	copy(b[:8], r.prefix[:])
	binary.BigEndian.PutUint32(b[12:], r.n.Add(1))
	hex.Encode(b[8:], b[12:])

	return string(b[:])
}

func (s *Server) requestID(c *fiber.Ctx) error {
	id := s.ids.next()
	c.Locals(localRequestID, id)
	c.Set("X-Request-ID", id)

	return c.Next()
}

// LogAttrs returns the attributes every log line of a request carries.
func LogAttrs(c *fiber.Ctx) []any {
	return []any{"request_id", RequestID(c), "route", c.Route().Path}
}

func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// The error handler writes the response; run it now so the status is known.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}

	status := c.Response().StatusCode()
	elapsed := time.Since(start)
	route := c.Route().Path
	if s.metrics != nil {
		s.metrics.observe(s.app, route, c.Method(), status, elapsed)
	}

	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	} else if status >= 400 {
		level = slog.LevelWarn
	}

	if !s.logger.Enabled(c.UserContext(), level) {
		return nil
	}

	// Only the route pattern is logged, never the path: paths carry tracking codes.
	s.logger.Log(c.UserContext(), level, "request",
		"request_id", RequestID(c), "app", s.app, "method", c.Method(), "route", route,
		"status", status, "duration_ms", elapsed.Milliseconds())

	return nil
}

func (s *Server) recover(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("panic", "request_id", RequestID(c), "panic", fmt.Sprint(r),
				"stack", string(debug.Stack()))
			err = fiber.ErrInternalServerError
		}
	}()

	return c.Next()
}

func (s *Server) timeout(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), RequestTimeout)
	defer cancel()

	c.SetUserContext(ctx)

	return c.Next()
}

// language chooses the language of the request: ?lang= (remembered in a cookie),
// then the cookie, then Accept-Language, then German.
func (s *Server) language(c *fiber.Ctx) error {
	explicit := c.Query("lang")
	l := s.bundle.Choose(explicit, s.Cookie(c, langCookie), c.Get(fiber.HeaderAcceptLanguage))
	if explicit != "" && l.Tag == explicit {
		s.SetCookie(c, langCookie, l.Tag, 365*24*3600, fiber.CookieSameSiteLaxMode)
	}

	c.Locals(localLocalizer, s.localizer(l.Tag))
	c.Set(fiber.HeaderContentLanguage, l.Tag)
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)

	return c.Next()
}

// localizer returns the translator of a shipped language, made at start-up.
func (s *Server) localizer(tag string) *i18n.Localizer {
	if l, ok := s.localizers[tag]; ok {
		return l
	}

	return s.bundle.Localizer(tag)
}

func securityHeaders(secure bool) fiber.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; " +
		"img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; " +
		"frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
	hsts := strconv.Itoa(365 * 24 * 3600)

	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentSecurityPolicy, csp)
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		c.Set(fiber.HeaderXFrameOptions, "DENY")
		c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
		c.Set("Cross-Origin-Opener-Policy", "same-origin")
		c.Set("Cross-Origin-Resource-Policy", "same-origin")
		c.Set(fiber.HeaderPermissionsPolicy, "camera=(), microphone=(), geolocation=()")
		if secure {
			c.Set(fiber.HeaderStrictTransportSecurity, "max-age="+hsts)
		}

		return c.Next()
	}
}
