package backoffice

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// pubField is the name and ID of the public description's input.
const pubField = "pub-text"

// ticketPublish sets, changes or removes the description the open data
// interface shows for the ticket. Only what staff type here is published,
// never the citizen's own text.
func (b *Backoffice) ticketPublish(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	text := strings.TrimSpace(c.FormValue(pubField))
	lz := web.Localizer(c)
	errs := newFieldErrors(lz)
	checkText(errs, pubField, lz.T("bo_pub_label"), text, ticket.MaxPublishedLength, false)
	if len(errs.Summary) > 0 {
		return b.workflowError(c, fiber.StatusUnprocessableEntity, errs)
	}

	err = b.tickets.Publish(c.UserContext(), a, text)
	if err != nil {
		return b.afterWorkflow(c, a, "published", err, "#publish")
	}

	b.web.Logger().Info("ticket published", "ticket_id", a.TicketID, "staff_id", a.ActorID)
	done := "saved"
	if text == "" {
		done = "removed"
	}

	return c.Redirect("/tickets/"+strconv.FormatInt(a.TicketID, 10)+"?published="+done+
		"#publish", fiber.StatusSeeOther)
}

// fillPublish adds the public description's input to the ticket page: the
// text published so far, or the one just posted.
func (b *Backoffice) fillPublish(c *fiber.Ctx, page *ticketPage) error {
	w := &page.Workflow
	value := c.FormValue(pubField)
	if c.Method() != fiber.MethodPost {
		published, err := b.tickets.Published(c.UserContext(), page.Ticket.ID)
		if err != nil {
			return err
		}
		value = published
	}

	w.PubText = textField(pubField, "textarea", page.T("bo_pub_label"), page.T("bo_pub_hint"),
		value, ticket.MaxPublishedLength, page.T("form_optional"))

	switch c.Query("published") {
	case "saved":
		w.Notice = page.T("bo_pub_saved")
	case "removed":
		w.Notice = page.T("bo_pub_removed")
	}

	return nil
}
