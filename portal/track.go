package portal

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

type trackFormPage struct {
	web.Page
	Value string
	Error string
}

func (p *Portal) trackForm(c *fiber.Ctx) error {
	return p.web.Render(c, fiber.StatusOK, "track_form", trackFormPage{Page: p.web.NewPage(c)})
}

func (p *Portal) trackSubmit(c *fiber.Ctx) error {
	raw := c.FormValue("code")
	code, _, err := p.lookup(c, raw)
	if err == nil {
		return c.Redirect("/t/"+code.Canonical(), fiber.StatusSeeOther)
	}

	if !isNotFound(err) {
		return err
	}

	return p.renderNotFound(c, raw)
}

// renderNotFound is the one answer for every code or link that opens nothing:
// unknown, mistyped and expired alike.
func (p *Portal) renderNotFound(c *fiber.Ctx, typed string) error {
	page := trackFormPage{Page: p.web.NewPage(c), Value: typed}
	page.Error = page.T("track_not_found")

	return p.web.Render(c, fiber.StatusNotFound, "track_form", page)
}

type historyEntry struct {
	Status string
	Name   string
	At     time.Time
	Note   string
}

type trackPage struct {
	web.Page
	Code        string
	CaseNumber  string
	ServiceName string
	TeamName    string
	Status      string
	StatusName  string
	StatusText  string
	StatusGroup string
	Since       time.Time
	DueAt       *time.Time
	Done        bool
	History     []historyEntry
	Outcome     ticket.Outcome
	MergedInto  string
}

func (p *Portal) track(c *fiber.Ctx) error {
	code, view, err := p.lookup(c, c.Params("code"))
	if isNotFound(err) {
		return p.renderNotFound(c, c.Params("code"))
	}
	if err != nil {
		return err
	}

	page := p.newTrackPage(c, view)
	page.Code = code.String()

	return p.web.Render(c, fiber.StatusOK, "track", page)
}

// newTrackPage builds the status part shared by the tracking page and the page
// the access link opens.
func (p *Portal) newTrackPage(c *fiber.Ctx, view ticket.PublicView) trackPage {
	page := trackPage{
		Page: p.web.NewPage(c), Code: view.Code.String(), CaseNumber: view.CaseNumber,
		Status: string(view.Status), Since: view.UpdatedAt,
		Done:        view.Status.Terminal() || view.MergedInto != "",
		StatusGroup: statusGroup(view.Status), Outcome: view.Outcome, MergedInto: view.MergedInto,
	}
	page.ServiceName = page.Pick(view.ServiceName)
	page.TeamName = page.Pick(view.TeamName)
	page.StatusName = page.T("status_" + page.Status + "_name")
	page.StatusText = page.T("status_" + page.Status + "_text")
	if !page.Done {
		page.DueAt = view.DueAt
	}

	for i := len(view.History) - 1; i >= 0; i-- {
		h := view.History[i]
		page.History = append(page.History, historyEntry{
			Status: string(h.Status), Name: page.T("status_" + string(h.Status) + "_name"),
			At: h.At, Note: h.PublicNote,
		})
	}
	if len(view.History) > 0 {
		page.Since = view.History[len(view.History)-1].At
	}

	return page
}

// statusGroup names the badge style of a status.
func statusGroup(s ticket.Status) string {
	switch {
	case s == ticket.WaitingForCitizen:
		return "waiting"
	case s == ticket.Resolved:
		return "done"
	case s.Terminal():
		return "closed"
	}

	return "open"
}
