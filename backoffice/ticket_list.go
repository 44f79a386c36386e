package backoffice

import (
	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/ticket"
)

type statusOption struct {
	Value    string
	Name     string
	Selected bool
}

type listPage struct {
	Page
	Tickets  []ticket.Summary
	Statuses []statusOption
}

func (b *Backoffice) ticketList(c *fiber.Ctx) error {
	status := ticket.Status(c.Query("status"))
	if !status.Valid() {
		status = ""
	}

	list, err := b.tickets.List(c.UserContext(), ticket.Filter{Status: status})
	if err != nil {
		return err
	}

	page := listPage{Page: b.newPage(c), Tickets: list}
	for _, s := range ticket.Statuses {
		page.Statuses = append(page.Statuses, statusOption{
			Value: string(s), Name: page.T("status_" + string(s) + "_name"),
			Selected: s == status,
		})
	}

	return b.web.Render(c, fiber.StatusOK, "tickets", page)
}
