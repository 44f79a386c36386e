// Package backoffice is the staff site: sign-in, the ticket queue, the ticket
// page and its actions.
package backoffice

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/changelog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/stats"
	"github.com/anliegen/anliegen/internal/textmodule"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

const (
	sessionCookie = "staff_session"
	localMember   = "staff_member"
)

// Deps is what the back office needs.
type Deps struct {
	Web          *web.Server
	Pool         *pgxpool.Pool
	Catalog      *catalog.Store
	Tickets      *ticket.Store
	Staff        *staff.Store
	Metrics      *web.Metrics
	SignInLimit  int
	SignInWindow time.Duration
	Letters      LetterOptions
	// Languages are all the citizens' languages, for what staff print or
	// write in the citizen's language rather than their own.
	Languages *i18n.Bundle
	// Files are the rules for files taken in at intake, the portal's own;
	// attachment.DefaultPolicy when zero.
	Files attachment.Policy
	// Stats reads the figures of the statistics pages; nil leaves them out.
	Stats *stats.Store
}

// Backoffice holds the back office's handlers.
type Backoffice struct {
	web     *web.Server
	pool    *pgxpool.Pool
	catalog *catalog.Store
	tickets *ticket.Store
	staff   *staff.Store
	metrics *web.Metrics
	modules *textmodule.Store
	files   attachment.Policy
	deps    Deps
	// holidays and changes serve the administration.
	holidays *calendar.Store
	changes  *changelog.Store
}

// New builds the back office and registers its routes on the server's app.
func New(d Deps) *Backoffice {
	b := &Backoffice{
		web: d.Web, pool: d.Pool, catalog: d.Catalog, tickets: d.Tickets, staff: d.Staff,
		metrics: d.Metrics, modules: textmodule.NewStore(d.Pool), files: d.Files, deps: d,
		holidays: calendar.NewStore(d.Pool), changes: changelog.NewStore(d.Pool),
	}
	if b.files.MaxFiles == 0 {
		b.files = attachment.DefaultPolicy()
	}
	b.routes(d.Web.Fiber())

	return b
}

// Page is the base of every back-office page: the shared page base and the
// signed-in member.
type Page struct {
	web.Page
	Member *staff.Member
}

func (b *Backoffice) newPage(c *fiber.Ctx) Page {
	m, _ := c.Locals(localMember).(*staff.Member)
	p := Page{Page: b.web.NewPage(c), Member: m}
	if m != nil {
		p.UserName = m.Name
		p.Admin = m.Role == staff.RoleAdmin
	}

	return p
}

// requireStaff lets signed-in staff through and sends everyone else to the
// sign-in page.
func (b *Backoffice) requireStaff(c *fiber.Ctx) error {
	id := b.web.Cookie(c, sessionCookie)
	if id == "" {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}

	m, err := b.staff.SessionMember(c.UserContext(), id)
	if errors.Is(err, db.ErrNotFound) {
		b.web.ClearCookie(c, sessionCookie)
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}

	c.Locals(localMember, &m)

	return c.Next()
}

func (b *Backoffice) signInLimiter() fiber.Handler {
	max, window := b.deps.SignInLimit, b.deps.SignInWindow
	if max == 0 {
		max, window = 10, 10*time.Minute
	}

	// Only refused attempts count, so that a town hall whose clerks all sign in
	// from one address in the morning is not stopped by its own successes.
	return limiter.New(limiter.Config{
		Max:                    max,
		Expiration:             window,
		Storage:                web.NewStorage(b.pool, "limit:signin:"),
		KeyGenerator:           func(c *fiber.Ctx) string { return c.IP() },
		LimitReached:           func(c *fiber.Ctx) error { return fiber.ErrTooManyRequests },
		SkipSuccessfulRequests: true,
	})
}
