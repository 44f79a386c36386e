// Package web is the Fiber setup shared by the portal and the back office:
// templates, the page base, errors, security headers, CSRF protection, language
// choice, rate-limit storage, health and metrics.
package web

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/i18n"
)

// LanguageLink is one entry of the language switch.
type LanguageLink struct {
	i18n.Language
	URL     string
	Current bool
}

// Page is the base every page's data embeds: the reader's language and its
// translations, the language switch, the CSRF token and the request ID.
type Page struct {
	*i18n.Localizer
	Languages []LanguageLink
	CSRFToken string
	RequestID string
	Path      string
	UserName  string // the signed-in staff member, empty on the portal
	Admin     bool   // the signed-in staff member administers the installation
	location  *time.Location
}

// Date formats t as a date in the city's time zone and the reader's language.
func (p Page) Date(t time.Time) string {
	return t.In(p.location).Format(p.T("format_date"))
}

// DateTime formats t as date and time in the city's time zone and the reader's
// language.
func (p Page) DateTime(t time.Time) string {
	return t.In(p.location).Format(p.T("format_date_time"))
}

// language is the tag the page is rendered in, which picks its translated
// templates.
func (p Page) language() string {
	if p.Localizer == nil {
		return ""
	}

	return p.Tag
}

// ISO formats t for a <time datetime> attribute.
func (p Page) ISO(t time.Time) string {
	return t.In(p.location).Format(time.RFC3339)
}

// NewPage builds the page base for the current request.
func (s *Server) NewPage(c *fiber.Ctx) Page {
	loc := Localizer(c)
	p := Page{
		Localizer: loc,
		CSRFToken: csrfToken(c),
		RequestID: RequestID(c),
		Path:      c.Path(),
		location:  s.location,
	}

	for _, l := range s.bundle.Languages() {
		q := url.Values{"lang": {l.Tag}}
		p.Languages = append(p.Languages, LanguageLink{
			Language: l,
			URL:      c.Path() + "?" + q.Encode(),
			Current:  l.Tag == loc.Tag,
		})
	}

	return p
}
