package backoffice

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// ticketForward hands the ticket to another authority or body by e-mail.
func (b *Backoffice) ticketForward(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	f := ticket.Forwarding{
		Action: a, Body: strings.TrimSpace(c.FormValue("fwd-body")),
		Email: strings.TrimSpace(c.FormValue("fwd-email")),
		Note:  strings.TrimSpace(c.FormValue("fwd-note")),
		Files: c.FormValue("fwd_files") != "", Contact: c.FormValue("fwd_contact") != "",
	}

	lz := web.Localizer(c)
	errs := newFieldErrors(lz)
	checkName(errs, "fwd-body", lz.T("bo_fwd_body"), f.Body, ticket.MaxBodyName)
	switch {
	case f.Email == "":
		errs.add("fwd-email", catalog.ErrRequired, lz.T("bo_fwd_email"), 0)
	case !catalog.ValidEmail(f.Email):
		errs.add("fwd-email", catalog.ErrEmail, lz.T("bo_fwd_email"), 0)
	}
	checkText(errs, "fwd-note", lz.T("bo_fwd_note"), f.Note, ticket.MaxMessageLength, false)
	if len(errs.Summary) > 0 {
		return b.workflowError(c, fiber.StatusUnprocessableEntity, errs)
	}

	err = b.tickets.Forward(c.UserContext(), f)

	return b.afterWorkflow(c, a, "forwarded", err, "#forward")
}

// checkName adds the error of a one-line required text to errs.
func checkName(errs *fieldErrors, id, label, v string, max int) {
	switch {
	case v == "":
		errs.add(id, catalog.ErrRequired, label, max)
	case utf8.RuneCountInString(v) > max:
		errs.add(id, catalog.ErrTooLong, label, max)
	case !catalog.CleanText(v, false):
		errs.add(id, catalog.ErrControlCh, label, max)
	}
}

// checkText adds the error of a text of several lines to errs.
func checkText(errs *fieldErrors, id, label, v string, max int, required bool) {
	switch {
	case v == "" && required:
		errs.add(id, catalog.ErrRequired, label, max)
	case utf8.RuneCountInString(v) > max:
		errs.add(id, catalog.ErrTooLong, label, max)
	case !catalog.CleanText(v, true):
		errs.add(id, catalog.ErrControlCh, label, max)
	}
}
