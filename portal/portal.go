// Package portal is the public site: the service list, the request forms, the
// confirmation and the tracking pages.
package portal

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/stats"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// Limits are the rate limits of the anonymous actions, per client address.
type Limits struct {
	Lookups     int
	Submissions int
	// API is what one address may ask of the Open311 API, APIKey how many
	// requests one API key may submit, per window.
	API    int
	APIKey int
	Window time.Duration
}

// Deps is what the portal needs.
type Deps struct {
	Web     *web.Server
	Pool    *pgxpool.Pool
	Catalog *catalog.Store
	Tickets *ticket.Store
	BaseURL *url.URL
	Limits  Limits
	Files   attachment.Policy
	// SignVideo is the address of the city's sign-language video, on this site.
	SignVideo string
	// Figures shows the public figures under /figures; nil leaves the page out.
	Figures *stats.Store
}

// Portal holds the portal's handlers.
type Portal struct {
	web       *web.Server
	pool      *pgxpool.Pool
	catalog   *catalog.Store
	tickets   *ticket.Store
	baseURL   *url.URL
	limits    Limits
	files     attachment.Policy
	accept    string
	signVideo string
	// publicFigures is nil unless the public figures are switched on.
	publicFigures *publicFigures
	// trackTexts are the status panel's texts by language, looked up once.
	trackTexts map[string]*trackTexts
}

// New builds the portal and registers its routes on the server's app.
func New(d Deps) *Portal {
	p := &Portal{
		web: d.Web, pool: d.Pool, catalog: d.Catalog, tickets: d.Tickets,
		baseURL: d.BaseURL, limits: d.Limits, files: d.Files,
		accept: strings.Join(d.Files.Types, ","), signVideo: d.SignVideo,
		trackTexts: newTrackTexts(d.Web.Bundle()),
	}
	if d.Figures != nil {
		p.publicFigures = &publicFigures{store: d.Figures}
	}
	p.routes(d.Web.Fiber())

	return p
}

func (p *Portal) limit(name string, max int, skip func(*fiber.Ctx) bool) fiber.Handler {
	return web.NewRateLimit(p.pool, name, max, p.limits.Window, skip).Handler()
}

// trackingURL is the short link that QR codes and letters carry.
func (p *Portal) trackingURL(code string) string {
	return p.baseURL.String() + "/t/" + code
}
