package backoffice

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/web"
)

// challengeCookie carries the ID of a sign-in whose password was right and
// that waits for the code; the state itself stays in the database.
const challengeCookie = "staff_sign_in"

type loginPage struct {
	Page
	Email string
	Error string
}

func (b *Backoffice) loginForm(c *fiber.Ctx) error {
	return b.web.Render(c, fiber.StatusOK, "login", loginPage{Page: b.newPage(c)})
}

// login checks the password and goes on to the code, to the enrolment of a
// second factor, or straight into a session when none is needed.
func (b *Backoffice) login(c *fiber.Ctx) error {
	email := c.FormValue("email")
	m, err := b.staff.SignIn(c.UserContext(), email, c.FormValue("password"))
	if errors.Is(err, staff.ErrBadCredentials) {
		b.securityEvent(c, slog.LevelWarn, "sign_in_failed", b.knownID(c, email))
		return b.loginRefused(c, email, "login_failed")
	}
	if err != nil {
		return err
	}

	ch, needed, err := b.staff.Challenge(c.UserContext(), m)
	if err != nil {
		return err
	}

	if !needed {
		return b.startSession(c, m)
	}

	b.web.SetCookie(c, challengeCookie, ch.ID, int(staff.PendingTimeout.Seconds()),
		fiber.CookieSameSiteStrictMode)

	return c.Redirect("/login/code", fiber.StatusSeeOther)
}

// knownID returns the account ID of a typed address for the security log, or 0
// when no account has it; the address itself is never logged.
func (b *Backoffice) knownID(c *fiber.Ctx, email string) int64 {
	m, err := b.staff.ByEmail(c.UserContext(), email)
	if err != nil {
		return 0
	}

	return m.ID
}

// loginRefused shows the sign-in form again with the address kept and a message.
func (b *Backoffice) loginRefused(c *fiber.Ctx, email, message string) error {
	page := loginPage{Page: b.newPage(c), Email: email}
	page.Error = page.T(message)

	return b.web.Render(c, fiber.StatusUnauthorized, "login", page)
}

// startSession signs m in with a fresh session ID, so that an ID planted before
// the sign-in is worth nothing after it.
func (b *Backoffice) startSession(c *fiber.Ctx, m staff.Member) error {
	id, err := b.staff.StartSession(c.UserContext(), m.ID)
	if err != nil {
		return err
	}

	b.securityEvent(c, slog.LevelInfo, "sign_in", m.ID)
	if b.web.Cookie(c, challengeCookie) != "" {
		b.web.ClearCookie(c, challengeCookie)
	}
	b.web.SetCookie(c, sessionCookie, id, 0, fiber.CookieSameSiteStrictMode)

	return c.Redirect(homeOf(m.Role), fiber.StatusSeeOther)
}

func (b *Backoffice) logout(c *fiber.Ctx) error {
	if id := b.web.Cookie(c, sessionCookie); id != "" {
		if err := b.staff.EndSession(c.UserContext(), id); err != nil {
			return err
		}
	}

	b.web.ClearCookie(c, sessionCookie)

	return c.Redirect("/login", fiber.StatusSeeOther)
}

// securityEvent logs a sign-in, a failure, a denial or a change to someone's
// access, with the account's ID when it is known and never what was typed.
func (b *Backoffice) securityEvent(
	c *fiber.Ctx,
	level slog.Level,
	event string,
	staffID int64,
	attrs ...any,
) {
	all := append(web.LogAttrs(c), "event", event)
	if staffID != 0 {
		all = append(all, "staff_id", staffID)
	}

	b.web.Logger().Log(c.UserContext(), level, "security", append(all, attrs...)...)
}

// accountPage shows the signed-in member their account and sessions.
type accountPage struct {
	Page
	Sessions     int
	SecondFactor bool
}

func (b *Backoffice) account(c *fiber.Ctx) error {
	page := accountPage{Page: b.newPage(c)}
	ctx, id := c.UserContext(), page.Member.ID

	var err error
	if page.Sessions, err = b.staff.SessionCount(ctx, id); err != nil {
		return err
	}

	if page.SecondFactor, err = b.staff.HasSecondFactor(ctx, id); err != nil {
		return err
	}

	return b.web.Render(c, fiber.StatusOK, "staff_account", page)
}

// logoutEverywhere ends every session of the signed-in member, as after
// signing in on a computer that others use.
func (b *Backoffice) logoutEverywhere(c *fiber.Ctx) error {
	m := currentStaff(c)
	n, err := b.staff.EndSessions(c.UserContext(), m.ID)
	if err != nil {
		return err
	}

	b.securityEvent(c, slog.LevelInfo, "sign_out_everywhere", m.ID, "sessions", n)
	b.web.ClearCookie(c, sessionCookie)

	return c.Redirect("/login", fiber.StatusSeeOther)
}
