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

	// Tickets
	staff := app.Group("", b.requireStaff)
	staff.Get("/", func(c *fiber.Ctx) error { return c.Redirect("/tickets", fiber.StatusSeeOther) })
	staff.Get("/tickets", b.ticketList)
	staff.Get("/tickets/:id<int>", b.ticketShow)
	staff.Post("/tickets/:id<int>/status", b.ticketStatus)
}
