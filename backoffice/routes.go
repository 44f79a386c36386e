package backoffice

import (
	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/web"
)

func (b *Backoffice) routes(app *fiber.App) {
	// Operations
	app.Get("/healthz", web.Health(b.pool))
	app.Get("/metrics", b.metrics.Handler())

	// Sign-in: the password, then the code of the second factor
	limit := b.signInLimiter()
	app.Get("/login", b.loginForm)
	app.Post("/login", limit, b.login)
	app.Get("/login/code", b.mfaCodeForm)
	app.Post("/login/code", limit, b.mfaCode)
	app.Post("/logout", b.logout)

	// Tickets; the sign-in check is attached per route so that unknown paths
	// answer 404 instead of a redirect.
	signedIn := b.requireStaff
	app.Get("/", signedIn, b.home)
	tickets, one := b.requireTickets, b.requireTicketInScope
	app.Get("/tickets", signedIn, tickets, b.ticketList)
	app.Post("/tickets/bulk", signedIn, tickets, b.ticketBulk)
	app.Get("/tickets/:id<int>", signedIn, tickets, one, b.ticketShow)
	app.Get("/tickets/:id<int>/files/:file<int>", signedIn, tickets, one, b.ticketFile)
	app.Post("/tickets/:id<int>/status", signedIn, tickets, one, b.ticketStatus)
	app.Post("/tickets/:id<int>/assign", signedIn, tickets, one, b.ticketAssign)
	app.Post("/tickets/:id<int>/priority", signedIn, tickets, one, b.ticketPriority)
	app.Post("/tickets/:id<int>/message", signedIn, tickets, one, b.ticketMessage)
	app.Get("/tickets/:id<int>/letter.pdf", signedIn, tickets, one, b.ticketLetter)
	app.Post("/tickets/:id<int>/letter.pdf", signedIn, tickets, one, b.ticketLetter)

	// Statistics, which answer 404 to roles without figures
	figures := b.requireFigures
	app.Get("/stats", signedIn, figures, b.statsDashboard)
	app.Get("/stats/export/:table.csv", signedIn, figures, b.statsExport)

	// Outgoing mail
	app.Get("/outbox", signedIn, tickets, b.outboxList)
	app.Post("/outbox/:id<int>/retry", signedIn, tickets, b.outboxRetry)

	// Own account, and staff administration, which answers 404 to non-administrators
	admin := b.requireAdmin
	app.Get("/account", signedIn, b.account)
	app.Post("/account/sign-out-everywhere", signedIn, b.logoutEverywhere)
	app.Get("/staff", signedIn, admin, b.staffList)
	app.Post("/staff/:id<int>/:action", signedIn, admin, b.staffAction)
}
