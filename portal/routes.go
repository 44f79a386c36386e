package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/tracking"
	"github.com/anliegen/anliegen/internal/web"
	"github.com/anliegen/anliegen/portal/open311"
)

func (p *Portal) routes(app *fiber.App) {
	lookups := p.limit("lookup", p.limits.Lookups, skipMalformedCode)
	submissions := p.limit("submit", p.limits.Submissions, nil)
	answers := p.limit("feedback", p.limits.Lookups, nil)

	// Operations
	app.Get("/healthz", web.Health(p.pool))

	// Services and requests
	app.Get("/", p.start)
	app.Get("/services/:code", p.requestForm)
	app.Post("/services/:code", submissions, p.requestSubmit)
	app.Get("/confirmation/:code", p.confirmation)

	// Information
	app.Get("/privacy", p.privacy)
	app.Get("/accessibility", p.textPage("accessibility"))
	app.Get("/accessibility/feedback", p.feedbackForm)
	app.Post("/accessibility/feedback", submissions, p.feedbackSubmit)
	app.Get("/easy-language", p.easyLanguage)
	app.Get("/sign-language", p.signLanguage)
	if p.publicFigures != nil {
		app.Get("/figures", p.figures)
	}

	// Tracking
	app.Get("/track", p.trackForm)
	app.Post("/track", lookups, p.trackSubmit)
	app.Get("/t/:code", lookups, p.track)
	app.Get("/link", p.linkForm)
	app.Post("/link", lookups, p.linkRequest)

	// The satisfaction question of the resolved mail
	app.Get("/feedback/:token", answers, p.satisfactionForm)
	app.Post("/feedback/:token", answers, submissions, p.satisfactionSubmit)

	// The full ticket behind the access link
	app.Get("/a/:secret", lookups, p.openAccessLink)
	app.Get("/request", p.requireAccess, p.requestView)
	app.Post("/request/reply", p.requireAccess, p.requestReply)
	app.Get("/request/files/:id<int>", p.requireAccess, p.requestFile)
	app.Get("/request/withdraw", p.requireAccess, p.withdrawForm)
	app.Post("/request/withdraw", p.requireAccess, p.withdraw)
	app.Post("/request/close", p.closeAccess)

	// The Open311 GeoReport v2 API
	open311.Mount(app, open311.Deps{
		Web: p.web, Pool: p.pool, Catalog: p.catalog, Tickets: p.tickets,
		Keys: apikey.NewStore(p.pool), Files: p.files, BaseURL: p.baseURL,
		Limits: open311.Limits{PerAddress: p.limits.API, PerKey: p.limits.APIKey,
			Window: p.limits.Window},
	})
}

// skipMalformedCode lets a code with a typo through the rate limit: the check
// character rejects it before any lookup, so it costs nothing and guesses nothing.
func skipMalformedCode(c *fiber.Ctx) bool {
	if secret := c.Params("secret"); secret != "" {
		return !tracking.ValidSecretFormat(secret)
	}

	code := c.Params("code")
	if code == "" {
		code = c.FormValue("code")
	}

	_, err := tracking.ParseCode(code)

	return err != nil
}
