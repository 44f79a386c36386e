package backoffice

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/ticket"
)

func (b *Backoffice) ticketStatus(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}

	version, err := strconv.ParseInt(c.FormValue("version"), 10, 32)
	if err != nil {
		return fiber.ErrBadRequest
	}

	note := strings.TrimSpace(c.FormValue("note"))
	if !catalog.CleanText(note, true) || len([]rune(note)) > ticket.MaxNoteLength {
		return b.renderTicket(c, fiber.StatusUnprocessableEntity, "ticket_note_invalid", note)
	}

	m, _ := c.Locals(localMember).(*staff.Member)
	err = b.tickets.ChangeStatus(c.UserContext(), ticket.StatusChangeRequest{
		TicketID: id, Version: int32(version), To: ticket.Status(c.FormValue("status")),
		ActorID: m.ID, PublicNote: note,
	})

	switch {
	case errors.Is(err, db.ErrNotFound):
		return fiber.ErrNotFound
	case errors.Is(err, db.ErrConflict):
		return b.renderTicket(c, fiber.StatusConflict, "ticket_changed_meanwhile", note)
	case errors.Is(err, ticket.ErrTransition):
		return b.renderTicket(c, fiber.StatusUnprocessableEntity, "ticket_status_not_allowed", note)
	case err != nil:
		return err
	}

	b.web.Logger().Info("ticket status changed", "ticket_id", id, "staff_id", m.ID)

	return c.Redirect("/tickets/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}
