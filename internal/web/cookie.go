package web

import "github.com/gofiber/fiber/v2"

// CookieName returns the name of a cookie: behind TLS it carries the __Host-
// prefix, which makes browsers keep it to this host, path / and HTTPS only.
func (s *Server) CookieName(base string) string {
	if s.secure {
		return "__Host-" + base
	}

	return base
}

// Cookie reads the cookie named base.
func (s *Server) Cookie(c *fiber.Ctx, base string) string {
	return c.Cookies(s.CookieName(base))
}

// SetCookie sets an HttpOnly cookie for path / that lives maxAge seconds, or as
// long as the browser session when maxAge is 0.
func (s *Server) SetCookie(c *fiber.Ctx, base, value string, maxAge int, sameSite string) {
	c.Cookie(&fiber.Cookie{
		Name: s.CookieName(base), Value: value, Path: "/", MaxAge: maxAge,
		Secure: s.secure, HTTPOnly: true, SameSite: sameSite,
	})
}

// ClearCookie removes the cookie named base, with the attributes it was set with
// so that browsers accept the removal of a __Host- cookie.
func (s *Server) ClearCookie(c *fiber.Ctx, base string) {
	c.Cookie(&fiber.Cookie{
		Name: s.CookieName(base), Value: "", Path: "/", MaxAge: -1, Secure: s.secure,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
	})
}
