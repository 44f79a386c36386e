package backoffice

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// ticketReject ends the ticket as not the city's to handle, with the reason
// and whom to ask instead, both for the citizen to read.
func (b *Backoffice) ticketReject(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	r := ticket.Rejection{
		Action: a, Reason: strings.TrimSpace(c.FormValue("rej-reason")),
		Pointer: strings.TrimSpace(c.FormValue("rej-pointer")),
	}

	lz := web.Localizer(c)
	errs := newFieldErrors(lz)
	checkText(errs, "rej-reason", lz.T("bo_rej_reason"), r.Reason, ticket.MaxNoteLength, true)
	checkText(errs, "rej-pointer", lz.T("bo_rej_pointer"), r.Pointer, ticket.MaxNoteLength, true)
	if len(errs.Summary) > 0 {
		return b.workflowError(c, fiber.StatusUnprocessableEntity, errs)
	}

	err = b.tickets.Reject(c.UserContext(), r)

	return b.afterWorkflow(c, a, "rejected", err, "#reject")
}
