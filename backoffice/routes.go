package backoffice

import (
	"strings"

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
	app.Post("/tickets/:id<int>/publish", signedIn, tickets, one, b.ticketPublish)
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
	app.Get("/staff/new", signedIn, admin, b.adminStaffNew)
	app.Post("/staff", signedIn, admin, b.adminStaffCreate)
	app.Get("/staff/:id<int>", signedIn, admin, b.adminStaffEdit)
	app.Post("/staff/:id<int>", signedIn, admin, b.adminStaffUpdate)

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

	// Administration of the configuration, for administrators only
	b.adminRoutes(adminRouter{app: app, guards: []fiber.Handler{signedIn, admin}})
}

func (b *Backoffice) adminRoutes(r adminRouter) {
	r.Get("/", b.adminIndex)
	r.Get("/services", b.adminServices)
	r.Post("/services", b.adminServiceCreate)
	r.Get("/services/new", b.adminServiceNew)
	r.Get("/services/:id<int>", b.adminServiceEdit)
	r.Post("/services/:id<int>", b.adminServiceUpdate)
	r.Get("/services/:id<int>/form", b.adminForm)
	r.Get("/services/:id<int>/form/new", b.adminFieldNew)
	r.Post("/services/:id<int>/form/new", b.adminFieldCreate)
	r.Get("/services/:id<int>/form/fields/:code", b.adminFieldEdit)
	r.Post("/services/:id<int>/form/fields/:code", b.adminFieldUpdate)
	r.Post("/services/:id<int>/form/fields/:code/move", b.adminFormMove)
	r.Post("/services/:id<int>/form/fields/:code/remove", b.adminFormRemove)
	r.Get("/teams", b.adminTeams)
	r.Post("/teams", b.adminTeamSave)
	r.Get("/teams/new", b.adminTeamNew)
	r.Get("/teams/:id<int>", b.adminTeamEdit)
	r.Post("/teams/:id<int>", b.adminTeamSave)
	r.Post("/teams/:id<int>/members", b.adminTeamMember)
	r.Post("/teams/:id<int>/members/:staff<int>/remove", b.adminTeamMember)
	r.Get("/holidays", b.adminHolidays)
	r.Post("/holidays", b.adminHolidayAdd)
	r.Post("/holidays/:date/remove", b.adminHolidayRemove)
	r.Get("/privacy", b.adminPrivacy)
	r.Post("/privacy", b.adminPrivacySave)
	r.Get("/changes", b.adminChanges)
}

// adminRouter registers routes under /admin with the sign-in and administrator
// checks attached to each, so that unknown paths answer 404.
type adminRouter struct {
	app    *fiber.App
	guards []fiber.Handler
}

func (r adminRouter) Get(path string, h fiber.Handler) {
	r.app.Get(strings.TrimSuffix("/admin"+path, "/"), append(r.guards, h)...)
}

func (r adminRouter) Post(path string, h fiber.Handler) {
	r.app.Post("/admin"+path, append(r.guards, h)...)
}
