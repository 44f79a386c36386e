package portal

import (
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/i18n"
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

// statusTexts are one status's fixed texts in one language, looked up once:
// its name and explanation, and its name escaped for the timeline.
type statusTexts struct {
	name, text, escapedName string
}

// newStatusTexts looks up every status's texts in every language.
func newStatusTexts(bundle *i18n.Bundle) map[string]map[ticket.Status]statusTexts {
	all := map[string]map[ticket.Status]statusTexts{}
	for _, l := range bundle.Languages() {
		loc := bundle.Localizer(l.Tag)
		texts := map[ticket.Status]statusTexts{}
		for _, st := range ticket.Statuses {
			name := loc.T("status_" + string(st) + "_name")
			texts[st] = statusTexts{
				name: name, text: loc.T("status_" + string(st) + "_text"),
				escapedName: web.EscapeHTML(name),
			}
		}
		all[l.Tag] = texts
	}

	return all
}

// statusTexts returns the texts of st in the page's language.
func (p *Portal) statusTexts(page web.Page, st ticket.Status) statusTexts {
	if t, ok := p.statuses[page.Tag][st]; ok {
		return t
	}

	name := page.T("status_" + string(st) + "_name")
	return statusTexts{
		name: name, text: page.T("status_" + string(st) + "_text"), escapedName: web.EscapeHTML(name),
	}
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
	// Timeline is the status history, newest first, as the list items of the
	// partial status_panel (see timeline).
	Timeline   template.HTML
	Outcome    ticket.Outcome
	MergedInto string
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
	texts := p.statusTexts(page.Page, view.Status)
	page.StatusName, page.StatusText = texts.name, texts.text
	if !page.Done {
		page.DueAt = view.DueAt
	}

	page.Timeline = p.timeline(page.Page, view.History)
	if len(view.History) > 0 {
		page.Since = view.History[len(view.History)-1].At
	}

	return page
}

// timeline writes the status history newest first as list items, the newest
// marked as the current step: each with its date and time, the status's name
// and the public note. The markup is that of the range the partial
// status_panel had, written here since html/template's escapers cost most of
// the tracking page's time; EscapeHTML escapes as html/template does, and
// TestTimelineAsTemplate compares the two.
func (p *Portal) timeline(page web.Page, history []ticket.StatusChange) template.HTML {
	var b strings.Builder
	for i := len(history) - 1; i >= 0; i-- {
		h := history[i]
		b.WriteString(`<li data-status="`)
		b.WriteString(web.EscapeHTML(string(h.Status)))
		b.WriteByte('"')
		if i == len(history)-1 {
			b.WriteString(` aria-current="step"`)
		}
		b.WriteString(">\n    <time class=\"timeline__date\" datetime=\"")
		b.WriteString(web.EscapeHTML(page.ISO(h.At)))
		b.WriteString(`">`)
		b.WriteString(web.EscapeHTML(page.DateTime(h.At)))
		b.WriteString("</time>\n    <p class=\"timeline__status\">")
		b.WriteString(p.statusTexts(page, h.Status).escapedName)
		b.WriteString("</p>\n    ")
		if h.PublicNote != "" {
			b.WriteString(`<p class="timeline__text" dir="auto">`)
			b.WriteString(web.EscapeHTML(h.PublicNote))
			b.WriteString(`</p>`)
		}
		b.WriteString("\n  </li>\n  ")
	}

	return template.HTML(b.String())
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
