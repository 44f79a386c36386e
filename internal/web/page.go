// Package web is the Fiber setup shared by the portal and the back office:
// templates, the page base, errors, security headers, CSRF protection, language
// choice, rate-limit storage, health and metrics.
package web

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/i18n"
)

// LanguageLink is one entry of the language switch. Its fields are its own,
// not those of an embedded i18n.Language, since templates find them faster.
type LanguageLink struct {
	Tag     string
	Name    string
	URL     string
	Current bool
}

// dateFormats are one language's layouts of dates, looked up once at start-up.
type dateFormats struct {
	date     string
	dateTime string
}

// Page is the base every page's data embeds: the reader's language and its
// translations, the language switch, the CSRF token and the request ID.
type Page struct {
	*i18n.Localizer
	RequestID string
	Path      string
	UserName  string // the signed-in staff member, empty on the portal
	Admin     bool   // the signed-in staff member administers the installation
	location  *time.Location
	formats   *dateFormats
	csrf      *csrfToken
	switches  *languageSwitches
}

// LanguageSwitch returns the links to the page in every language, rendered by
// the template lang_switch_links.
func (p Page) LanguageSwitch() (template.HTML, error) {
	if p.switches == nil {
		return "", nil
	}

	return p.switches.html(p.Localizer, p.Path)
}

// CSRFToken returns the token every form of the page carries. It is made when
// a page first asks for it, so that a page without a form costs no token and
// sets no cookie.
func (p Page) CSRFToken() (string, error) {
	if p.csrf == nil {
		return "", nil
	}

	return p.csrf.get()
}

// Date formats t as a date in the city's time zone and the reader's language.
func (p Page) Date(t time.Time) string {
	if p.formats == nil {
		return t.In(p.location).Format(p.T("format_date"))
	}

	return t.In(p.location).Format(p.formats.date)
}

// DateTime formats t as date and time in the city's time zone and the reader's
// language.
func (p Page) DateTime(t time.Time) string {
	if p.formats == nil {
		return t.In(p.location).Format(p.T("format_date_time"))
	}

	return t.In(p.location).Format(p.formats.dateTime)
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
	path := c.Path()
	p := Page{
		Localizer: loc,
		csrf:      &csrfToken{server: s, ctx: c},
		RequestID: RequestID(c),
		Path:      path,
		location:  s.location,
		formats:   s.formats[loc.Tag],
		switches:  s.switches,
	}

	return p
}
