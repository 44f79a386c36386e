package backoffice

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// ticketLink relates the ticket to the one typed by case number or tracking
// code, so that each shows the other.
func (b *Backoffice) ticketLink(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	target, err := b.target(c, "link-target", "bo_link_target")
	if err != nil || target == nil {
		return err
	}

	err = b.tickets.Link(c.UserContext(), a, target.ID)

	return b.afterWorkflow(c, a, "linked", err, "#related")
}

// ticketUnlink removes the relation to another ticket on both sides.
func (b *Backoffice) ticketUnlink(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	other, err := strconv.ParseInt(c.FormValue("other"), 10, 64)
	if err != nil {
		return fiber.ErrBadRequest
	}

	err = b.tickets.Unlink(c.UserContext(), a, other)

	return b.afterWorkflow(c, a, "unlinked", err, "#related")
}
