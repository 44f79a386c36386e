package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/tracking"
	"github.com/anliegen/anliegen/internal/web"
)

func (p *Portal) routes(app *fiber.App) {
	lookups := p.limit("lookup", p.limits.Lookups, skipMalformedCode)
	submissions := p.limit("submit", p.limits.Submissions, nil)

	// Operations
	app.Get("/healthz", web.Health(p.pool))

	// Services and requests
	app.Get("/", p.start)
	app.Get("/services/:code", p.requestForm)
	app.Post("/services/:code", submissions, p.requestSubmit)
	app.Get("/confirmation/:code", p.confirmation)

	// Tracking
	app.Get("/track", p.trackForm)
	app.Post("/track", lookups, p.trackSubmit)
	app.Get("/t/:code", lookups, p.track)
}

// skipMalformedCode lets a code with a typo through the rate limit: the check
// character rejects it before any lookup, so it costs nothing and guesses nothing.
func skipMalformedCode(c *fiber.Ctx) bool {
	code := c.Params("code")
	if code == "" {
		code = c.FormValue("code")
	}

	_, err := tracking.ParseCode(code)

	return err != nil
}
