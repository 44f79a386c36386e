package backoffice

import (
	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/web"
)

func (b *Backoffice) routes(app *fiber.App) {
	// Operations
	app.Get("/healthz", web.Health(b.pool))
	app.Get("/metrics", b.metrics.Handler())

	// Sign-in
	app.Get("/login", b.loginForm)
	app.Post("/login", b.signInLimiter(), b.login)
	app.Post("/logout", b.logout)

	// Tickets; the sign-in check is attached per route so that unknown paths
	// answer 404 instead of a redirect.
	signedIn := b.requireStaff
	app.Get("/", signedIn, func(c *fiber.Ctx) error {
		return c.Redirect("/tickets", fiber.StatusSeeOther)
	})
	app.Get("/tickets", signedIn, b.ticketList)
	app.Get("/tickets/:id<int>", signedIn, b.ticketShow)
	app.Get("/tickets/:id<int>/files/:file<int>", signedIn, b.ticketFile)
	app.Post("/tickets/:id<int>/status", signedIn, b.ticketStatus)
}
