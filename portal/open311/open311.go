// Package open311 serves the Open311 GeoReport v2 API under the portal at
// /open311/v2/: apps, FixMyStreet installations and data tools list the
// services, read their forms, submit requests and follow them, in XML and JSON.
// A request submitted here is a ticket like any other; what the API tells about
// a ticket is what its tracking page shows, and nothing more.
package open311

import (
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// Prefix is where the API lives on the portal.
const Prefix = "/open311/v2"

// Limits are the API's rate limits per window: every request per client
// address, and submissions per API key. A zero limit takes its default.
type Limits struct {
	PerAddress int
	PerKey     int
	Window     time.Duration
}

// Defaults of the limits: a data tool may read 1,000 pages, an app may submit
// 300 requests per window.
const (
	DefaultPerAddress = 1000
	DefaultPerKey     = 300
)

func (l Limits) withDefaults() Limits {
	if l.PerAddress <= 0 {
		l.PerAddress = DefaultPerAddress
	}
	if l.PerKey <= 0 {
		l.PerKey = DefaultPerKey
	}
	if l.Window <= 0 {
		l.Window = 10 * time.Minute
	}

	return l
}

// Deps is what the API needs.
type Deps struct {
	Web     *web.Server
	Pool    *pgxpool.Pool
	Catalog *catalog.Store
	Tickets *ticket.Store
	Keys    *apikey.Store
	Files   attachment.Policy
	BaseURL *url.URL
	Limits  Limits
}

// API holds the handlers of the Open311 API.
type API struct {
	web          *web.Server
	pool         *pgxpool.Pool
	catalog      *catalog.Store
	tickets      *ticket.Store
	keys         *apikey.Store
	files        attachment.Policy
	baseURL      *url.URL
	jurisdiction string
	perKey       *web.RateLimit
	location     *time.Location
}

// Mount registers the API's routes on app.
func Mount(app *fiber.App, d Deps) *API {
	lim := d.Limits.withDefaults()
	a := &API{
		web: d.Web, pool: d.Pool, catalog: d.Catalog, tickets: d.Tickets, keys: d.Keys,
		files: d.Files, baseURL: d.BaseURL, jurisdiction: d.BaseURL.Hostname(),
		perKey:   web.NewRateLimit(d.Pool, "open311-key", lim.PerKey, lim.Window, nil),
		location: d.Web.Location(),
	}
	perAddress := web.NewRateLimit(d.Pool, "open311", lim.PerAddress, lim.Window, nil)

	app.Use(cleanPath)
	api := app.Group(Prefix, a.answerErrors, perAddress.Handler(), a.checkJurisdiction)
	api.Get("/services/:file", a.serviceDefinition)
	api.Get("/requests/:file", a.request)
	api.Get("/tokens/:file", a.token)
	api.Get("/:file", a.top)
	api.Post("/:file", a.postTop)
	api.All("/*", notFound)

	return a
}

// cleanPath lets an API path with repeated slashes reach its route, as clients
// that join a base URL ending in a slash with a path starting with one send it.
func cleanPath(c *fiber.Ctx) error {
	p := c.Path()
	if strings.Contains(p, "//") && strings.Contains(p, "open311") {
		c.Path(path.Clean(p))
	}

	return c.Next()
}

// top serves the methods right under the base: discovery, the service list and
// the request list.
func (a *API) top(c *fiber.Ctx) error {
	name, format, err := splitFormat(c.Params("file"))
	if err != nil {
		return err
	}

	switch name {
	case "discovery":
		return a.discovery(c, format)
	case "services":
		return a.services(c, format)
	case "requests":
		return a.requests(c, format)
	}

	return notFound(c)
}

func (a *API) postTop(c *fiber.Ctx) error {
	name, format, err := splitFormat(c.Params("file"))
	if err != nil {
		return err
	}

	if name != "requests" {
		return notFound(c)
	}

	return a.createRequest(c, format)
}

// splitFormat splits "services.json" into its name and format.
func splitFormat(file string) (string, string, error) {
	name, format, ok := strings.Cut(file, ".")
	format = strings.ToLower(format)
	if !ok || (format != formatXML && format != formatJSON) {
		return "", "", refuse(fiber.StatusNotFound,
			"unknown format; end the path in .xml or .json")
	}

	return name, format, nil
}

func notFound(*fiber.Ctx) error {
	return refuse(fiber.StatusNotFound, "no such method; see discovery.xml")
}

// checkJurisdiction accepts a missing jurisdiction_id, since the installation
// serves one city, and answers 404 to one that is not this city's.
func (a *API) checkJurisdiction(c *fiber.Ctx) error {
	id := readParams(c).get("jurisdiction_id")
	if id != "" && !strings.EqualFold(id, a.jurisdiction) {
		return refuse(fiber.StatusNotFound,
			"jurisdiction_id "+quote(id)+" is not served here; leave it out or send "+
				a.jurisdiction)
	}

	return c.Next()
}

// formatOf returns the format the request asked for, XML when it named none,
// so that even an error about the path is answered in a format.
func formatOf(c *fiber.Ctx) string {
	if strings.HasSuffix(strings.ToLower(strings.TrimRight(c.Path(), "/")), ".json") {
		return formatJSON
	}

	return formatXML
}

// send writes doc with status in the request's format.
func (a *API) send(c *fiber.Ctx, status int, doc document) error {
	c.Status(status)
	if formatOf(c) == formatJSON {
		c.Set(fiber.HeaderContentType, contentJSON)
		return c.Send(encodeJSON(doc))
	}

	c.Set(fiber.HeaderContentType, contentXML)

	return c.Send(encodeXML(doc))
}

// ok answers doc with 200, the only success status several clients accept,
// for a POST as well.
func (a *API) ok(c *fiber.Ctx, doc document) error {
	return a.send(c, fiber.StatusOK, doc)
}

// localizer is the language of service names and texts: locale, then
// Accept-Language, then German.
func (a *API) localizer(c *fiber.Ctx) *i18n.Localizer {
	b := a.web.Bundle()
	locale := strings.ReplaceAll(readParams(c).get("locale"), "_", "-")
	accept := c.Get(fiber.HeaderAcceptLanguage)
	if locale != "" {
		accept = locale + "," + accept
	}

	return b.Localizer(b.Choose(locale, "", accept).Tag)
}

// endpoint is the API's base URL, ending in a slash as clients expect.
func (a *API) endpoint() string {
	return strings.TrimRight(a.baseURL.String(), "/") + Prefix + "/"
}
