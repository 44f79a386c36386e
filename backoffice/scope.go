package backoffice

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
)

const localScope = "staff_scope"

// requireTickets lets through members whose role may read tickets, with the
// teams they may see; the statistics role gets 404, as if there were none.
func (b *Backoffice) requireTickets(c *fiber.Ctx) error {
	m, _ := c.Locals(localMember).(*staff.Member)
	if m == nil {
		return fiber.ErrNotFound
	}

	sc, err := b.staff.Scope(c.UserContext(), *m)
	if err != nil {
		return err
	}

	if !sc.Content {
		b.web.Logger().Warn("security", "event", "permission_denied", "staff_id", m.ID,
			"route", c.Route().Path)
		return fiber.ErrNotFound
	}

	c.Locals(localScope, sc)

	return c.Next()
}

func scopeOf(c *fiber.Ctx) staff.Scope {
	sc, _ := c.Locals(localScope).(staff.Scope)
	return sc
}

// requireTicketInScope answers 404 for a ticket of a team the member may not
// see, exactly as for a ticket that does not exist.
func (b *Backoffice) requireTicketInScope(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}

	team, err := b.tickets.TeamOf(c.UserContext(), id)
	if errors.Is(err, db.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}

	if !scopeOf(c).CanSeeTicket(team) {
		return fiber.ErrNotFound
	}

	return c.Next()
}
