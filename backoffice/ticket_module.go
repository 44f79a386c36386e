package backoffice

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/textmodule"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

// moduleOptions lists the text modules the ticket's team may use.
func (b *Backoffice) moduleOptions(c *fiber.Ctx, page *ticketPage) error {
	list, err := b.modules.ForTeam(c.UserContext(), page.Ticket.TeamID)
	if err != nil {
		return err
	}

	chosen := c.FormValue("module")
	for _, m := range list {
		id := strconv.FormatInt(m.ID, 10)
		page.Workflow.Modules = append(page.Workflow.Modules, option{id, m.Name, id == chosen})
	}

	return nil
}

// ticketModule puts the chosen text module, filled in for the ticket in the
// citizen's language, after what was typed so far, and shows the form again
// to go on writing; nothing is stored yet.
func (b *Backoffice) ticketModule(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}

	t, err := b.tickets.Get(c.UserContext(), id)
	if err != nil {
		return err
	}

	moduleID, _ := strconv.ParseInt(c.FormValue("module"), 10, 64)
	m, err := b.modules.Get(c.UserContext(), moduleID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && m.TeamID != nil && *m.TeamID != t.TeamID) {
		return b.moduleError(c, "bo_module_choose")
	}
	if err != nil {
		return err
	}

	code, err := tracking.ParseCode(t.TrackingCode)
	if err != nil {
		return err
	}

	text, err := textmodule.Render(m.Text(t.Language), b.moduleData(t, code))
	if err != nil {
		return b.moduleError(c, "bo_module_render_failed")
	}

	typed := strings.TrimRight(c.FormValue("message"), " \n\r\t")
	if typed != "" {
		text = typed + "\n\n" + text
	}

	return b.renderTicketWith(c, fiber.StatusOK, "", func(p *ticketPage) { p.Message = text })
}

func (b *Backoffice) moduleError(c *fiber.Ctx, msg string) error {
	return b.renderTicketWith(c, fiber.StatusUnprocessableEntity, msg, func(p *ticketPage) {
		p.Workflow.ErrorHref = "#module"
	})
}

// moduleData is what a module's placeholders read for ticket t, with dates in
// the citizen's language.
func (b *Backoffice) moduleData(t ticket.Ticket, code tracking.Code) textmodule.Data {
	lz := b.citizenLocalizer(t.Language)
	loc := b.web.Location()
	d := textmodule.Data{
		Name: t.ContactName, CaseNumber: t.CaseNumber, Team: lz.Pick(t.TeamName),
		Today: time.Now().In(loc).Format(lz.T("format_date")),
	}
	if t.DueAt != nil {
		d.DueDate = t.DueAt.In(loc).Format(lz.T("format_date"))
	}
	if base := b.deps.Letters.BaseURL; base != nil {
		d.TrackingLink = trackingURL(strings.TrimRight(base.String(), "/"), code)
	}

	return d
}

// citizenLocalizer returns the translations of a citizen's language, which
// the back office itself, offered in German and English, may not carry.
func (b *Backoffice) citizenLocalizer(tag string) *i18n.Localizer {
	if b.deps.Languages != nil {
		return b.deps.Languages.Localizer(tag)
	}

	return b.web.Bundle().Localizer(tag)
}
