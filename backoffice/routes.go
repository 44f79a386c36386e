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
	app.Post("/tickets/:id<int>/team", signedIn, tickets, one, b.ticketTeam)
	app.Post("/tickets/:id<int>/service", signedIn, tickets, one, b.ticketService)
	app.Post("/tickets/:id<int>/forward", signedIn, tickets, one, b.ticketForward)
	app.Post("/tickets/:id<int>/reject", signedIn, tickets, one, b.ticketReject)
	app.Post("/tickets/:id<int>/merge", signedIn, tickets, one, b.ticketMerge)
	app.Post("/tickets/:id<int>/link", signedIn, tickets, one, b.ticketLink)
	app.Post("/tickets/:id<int>/unlink", signedIn, tickets, one, b.ticketUnlink)
	app.Post("/tickets/:id<int>/message/module", signedIn, tickets, one, b.ticketModule)
	app.Get("/tickets/:id<int>/acknowledgement.pdf", signedIn, tickets, one, b.ticketAckLetter)

	// Intake by staff on a citizen's behalf: phone, counter, letter
	app.Get("/intake", signedIn, tickets, b.intakeForm)
	app.Post("/intake", signedIn, tickets, b.intakeSubmit)

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

	// Keys of the Open311 API's clients, for administrators only
	app.Get("/apikeys", signedIn, admin, b.apiKeyList)
	app.Post("/apikeys", signedIn, admin, b.apiKeyCreate)
	app.Post("/apikeys/:id<int>/name", signedIn, admin, b.apiKeyRename)
	app.Post("/apikeys/:id<int>/revoke", signedIn, admin, b.apiKeyRevoke)

	// Text modules for answers, questions and notes, for administrators only
	app.Get("/text-modules", signedIn, admin, b.moduleList)
	app.Get("/text-modules/new", signedIn, admin, b.moduleForm)
	app.Post("/text-modules/new", signedIn, admin, b.moduleSave)
	app.Get("/text-modules/:id<int>", signedIn, admin, b.moduleForm)
	app.Post("/text-modules/:id<int>", signedIn, admin, b.moduleSave)
	app.Post("/text-modules/:id<int>/delete", signedIn, admin, b.moduleDelete)
}
