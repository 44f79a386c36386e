package backoffice

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/staff"
)

type loginPage struct {
	Page
	Email string
	Error string
}

func (b *Backoffice) loginForm(c *fiber.Ctx) error {
	return b.web.Render(c, fiber.StatusOK, "login", loginPage{Page: b.newPage(c)})
}

func (b *Backoffice) login(c *fiber.Ctx) error {
	email := c.FormValue("email")
	m, err := b.staff.Authenticate(c.UserContext(), email, c.FormValue("password"))
	if errors.Is(err, staff.ErrBadCredentials) {
		b.web.Logger().Warn("sign-in failed", "request_id", c.Locals("request_id"),
			"event", "security")
		page := loginPage{Page: b.newPage(c), Email: email}
		page.Error = page.T("login_failed")
		return b.web.Render(c, fiber.StatusUnauthorized, "login", page)
	}
	if err != nil {
		return err
	}

	id, err := b.staff.StartSession(c.UserContext(), m.ID)
	if err != nil {
		return err
	}

	b.web.Logger().Info("sign-in", "staff_id", m.ID, "event", "security")
	b.web.SetCookie(c, sessionCookie, id, 0, fiber.CookieSameSiteStrictMode)

	return c.Redirect("/tickets", fiber.StatusSeeOther)
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
