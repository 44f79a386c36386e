package portal

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
)

const accessCookie = "anliegen_access"

// openAccessLink trades the secret of an access link or QR code for a session
// cookie and redirects, so that the secret leaves the address bar and the
// browser history; an unknown secret gets the same answer as an unknown code.
func (p *Portal) openAccessLink(c *fiber.Ctx) error {
	id, err := p.tickets.OpenAccessLink(c.UserContext(), c.Params("secret"))
	if errors.Is(err, db.ErrNotFound) {
		return p.renderNotFound(c, "")
	}
	if err != nil {
		return err
	}

	p.web.SetCookie(c, accessCookie, id, 0, fiber.CookieSameSiteLaxMode)

	return c.Redirect("/request", fiber.StatusSeeOther)
}

// requireAccess lets through a browser that opened an access link, and puts the
// ticket's ID into the request.
func (p *Portal) requireAccess(c *fiber.Ctx) error {
	id := p.web.Cookie(c, accessCookie)
	if id == "" {
		return p.renderNotFound(c, "")
	}

	ticketID, err := p.tickets.CitizenSessionTicket(c.UserContext(), id)
	if errors.Is(err, db.ErrNotFound) {
		p.web.ClearCookie(c, accessCookie)
		return p.renderNotFound(c, "")
	}
	if err != nil {
		return err
	}

	c.Locals("ticket_id", ticketID)

	return c.Next()
}

func accessTicket(c *fiber.Ctx) int64 {
	id, _ := c.Locals("ticket_id").(int64)
	return id
}

// closeAccess ends the access session in this browser, for a shared computer.
func (p *Portal) closeAccess(c *fiber.Ctx) error {
	if id := p.web.Cookie(c, accessCookie); id != "" {
		if err := p.tickets.EndCitizenSession(c.UserContext(), id); err != nil {
			return err
		}
	}

	p.web.ClearCookie(c, accessCookie)

	return c.Redirect("/", fiber.StatusSeeOther)
}
