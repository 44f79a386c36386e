package backoffice

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
)

// ticketAckLetter answers the acknowledgement letter of a ticket taken in
// without an e-mail address, as a PDF: in the citizen's language, the case
// number, the tracking code and what happens next, with the QR code of the
// access link in the letter's box.
func (b *Backoffice) ticketAckLetter(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}

	t, err := b.tickets.Get(c.UserContext(), id)
	if errors.Is(err, db.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}

	code, _, err := b.tickets.LetterAccess(c.UserContext(), id)
	if err != nil {
		return err
	}

	lz := b.citizenLocalizer(t.Language)
	text := lz.T("wf_ack_letter_text", "CaseNumber", t.CaseNumber, "Code", code.String(),
		"Date", t.CreatedAt.In(b.web.Location()).Format(lz.T("format_date")))

	pdf, caseNumber, err := b.printLetter(c, id, text)
	if err != nil {
		return err
	}

	b.web.Logger().Info("acknowledgement letter printed", "ticket_id", id,
		"staff_id", currentStaff(c).ID)

	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+fileName(caseNumber)+`.pdf"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")

	return c.Send(pdf)
}
