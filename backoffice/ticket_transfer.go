package backoffice

import (
	"net/url"
	"regexp"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/ticket"
)

// ticketTeam moves the ticket to another team.
func (b *Backoffice) ticketTeam(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	team, err := strconv.ParseInt(c.FormValue("team"), 10, 64)
	if err != nil {
		return fiber.ErrBadRequest
	}

	err = b.tickets.ChangeTeam(c.UserContext(), a, team)

	return b.afterMove(c, a, "team changed", err, "#team")
}

// ticketService files the ticket under another service; its team follows the
// service unless one is chosen.
func (b *Backoffice) ticketService(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	service, err := strconv.ParseInt(c.FormValue("service"), 10, 64)
	if err != nil {
		return fiber.ErrBadRequest
	}

	var team int64
	if v := c.FormValue("service_team"); v != "" {
		if team, err = strconv.ParseInt(v, 10, 64); err != nil {
			return fiber.ErrBadRequest
		}
	}

	err = b.tickets.ChangeService(c.UserContext(), a, service, team)

	return b.afterMove(c, a, "service changed", err, "#service")
}

// afterMove answers a change of team or service. A ticket that went to a team
// the member may not see leaves for the queue with a notice, instead of a
// ticket page that would answer 404.
func (b *Backoffice) afterMove(
	c *fiber.Ctx,
	a ticket.Action,
	what string,
	err error,
	anchor string,
) error {
	if err != nil {
		return b.afterWorkflow(c, a, what, err, anchor)
	}

	t, err := b.tickets.Get(c.UserContext(), a.TicketID)
	if err != nil {
		return err
	}

	if scopeOf(c).CanSeeTicket(t.TeamID) {
		return b.afterAction(c, a, what, nil)
	}

	b.web.Logger().Info("ticket "+what+", out of scope", "ticket_id", a.TicketID,
		"staff_id", a.ActorID)

	return c.Redirect("/tickets?moved="+url.QueryEscape(t.CaseNumber), fiber.StatusSeeOther)
}

var caseNumberPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{6,}$`)

// validCaseNumber reports whether s is a case number, so that the queue names
// only a case number in its notice, not any text put into its address.
func validCaseNumber(s string) bool {
	return caseNumberPattern.MatchString(s)
}
