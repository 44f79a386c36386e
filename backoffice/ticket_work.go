package backoffice

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/ticket"
)

// action reads the ticket and version of a posted ticket form and the member
// acting.
func action(c *fiber.Ctx) (ticket.Action, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return ticket.Action{}, fiber.ErrNotFound
	}

	version, err := strconv.ParseInt(c.FormValue("version"), 10, 32)
	if err != nil {
		return ticket.Action{}, fiber.ErrBadRequest
	}

	m, _ := c.Locals(localMember).(*staff.Member)

	return ticket.Action{TicketID: id, Version: int32(version), ActorID: m.ID}, nil
}

// afterAction answers a ticket action: back to the ticket on success, or the
// ticket page again with the error and the text typed so far.
func (b *Backoffice) afterAction(c *fiber.Ctx, a ticket.Action, what string, err error) error {
	switch {
	case errors.Is(err, db.ErrNotFound):
		return fiber.ErrNotFound
	case errors.Is(err, db.ErrConflict):
		return b.renderTicket(c, fiber.StatusConflict, "ticket_changed_meanwhile", "")
	case errors.Is(err, ticket.ErrTransition):
		return b.renderTicket(c, fiber.StatusUnprocessableEntity, "ticket_status_not_allowed", "")
	case errors.Is(err, ticket.ErrEmptyMessage):
		return b.renderTicket(c, fiber.StatusUnprocessableEntity, "bo_message_invalid", "")
	case errors.Is(err, ticket.ErrFinished):
		return b.renderTicket(c, fiber.StatusUnprocessableEntity, "bo_ticket_finished", "")
	case err != nil:
		return err
	}

	b.web.Logger().Info("ticket "+what, "ticket_id", a.TicketID, "staff_id", a.ActorID)

	return c.Redirect("/tickets/"+strconv.FormatInt(a.TicketID, 10), fiber.StatusSeeOther)
}

// ticketAssign takes a ticket over ("me"), releases it ("none") or gives it to
// a colleague by ID.
func (b *Backoffice) ticketAssign(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	var to int64
	switch v := c.FormValue("assignee"); v {
	case "me":
		to = a.ActorID
	case "none":
	default:
		if to, err = strconv.ParseInt(v, 10, 64); err != nil {
			return fiber.ErrBadRequest
		}
	}

	return b.afterAction(c, a, "assigned", b.tickets.Assign(c.UserContext(), a, to))
}

func (b *Backoffice) ticketPriority(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	err = b.tickets.SetPriority(c.UserContext(), a, c.FormValue("priority"))

	return b.afterAction(c, a, "priority changed", err)
}

// ticketMessage writes to the ticket: an internal note, an answer to the
// citizen, or a question that waits for the citizen.
func (b *Backoffice) ticketMessage(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	body := c.FormValue("message")
	switch c.FormValue("kind") {
	case "note":
		err = b.tickets.AddNote(c.UserContext(), a, body)
	case "answer":
		err = b.tickets.Answer(c.UserContext(), a, body, false)
	case "question":
		err = b.tickets.Answer(c.UserContext(), a, body, true)
	default:
		return fiber.ErrBadRequest
	}

	return b.afterAction(c, a, "message written", err)
}
