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

// trackTexts are one language's texts of the status panel that a request
// would otherwise look up anew: every status's, and those around a date.
type trackTexts struct {
	statuses        map[ticket.Status]statusTexts
	since, expected dateText
}

// dateText is a message with one date, split where the date goes.
type dateText struct {
	id            string
	before, after string
	split         bool
}

// dateStandIn stands for the date when a message is split.
const dateStandIn = "\x00date\x00"

func newDateText(loc *i18n.Localizer, id string) dateText {
	before, after, ok := strings.Cut(loc.T(id, "Date", dateStandIn), dateStandIn)
	return dateText{
		id: id, before: before, after: after, split: ok && !strings.Contains(after, dateStandIn),
	}
}

// with returns the message with date.
func (d dateText) with(page web.Page, date string) string {
	if !d.split {
		return page.T(d.id, "Date", date)
	}

	return d.before + date + d.after
}

// newTrackTexts looks up the status panel's texts in every language.
func newTrackTexts(bundle *i18n.Bundle) map[string]*trackTexts {
	all := map[string]*trackTexts{}
	for _, l := range bundle.Languages() {
		loc := bundle.Localizer(l.Tag)
		texts := &trackTexts{
			statuses: map[ticket.Status]statusTexts{},
			since:    newDateText(loc, "track_since"), expected: newDateText(loc, "track_expected"),
		}
		for _, st := range ticket.Statuses {
			name := loc.T("status_" + string(st) + "_name")
			texts.statuses[st] = statusTexts{
				name: name, text: loc.T("status_" + string(st) + "_text"),
				escapedName: web.EscapeHTML(name),
			}
		}
		all[l.Tag] = texts
	}

	return all
}

// texts returns the status panel's texts in the page's language; a language
// not shipped looks them up per request.
func (p *Portal) texts(page web.Page) *trackTexts {
	if t, ok := p.trackTexts[page.Tag]; ok {
		return t
	}

	return &trackTexts{
		since: dateText{id: "track_since"}, expected: dateText{id: "track_expected"},
	}
}

// statusTexts returns the texts of st in the page's language.
func (p *Portal) statusTexts(page web.Page, st ticket.Status) statusTexts {
	if t, ok := p.texts(page).statuses[st]; ok {
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
	SinceText   string // "since" and the date and time of Since
	DueAt       *time.Time
	DueText     string // when the ticket is expected to be done, if DueAt is set
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

	all := p.texts(page.Page)
	page.SinceText = all.since.with(page.Page, page.DateTime(page.Since))
	if page.DueAt != nil {
		page.DueText = all.expected.with(page.Page, page.Date(*page.DueAt))
	}

	return page
}

// timeline writes the status history newest first as list items, the newest
// marked as the current step: each with its date and time, the status's name
// and the public note. The markup is that of the range the partial
// status_panel had, written here since html/template's escapers cost most of
// the tracking page's time; EscapeHTML escapes as html/template does, and
// TestStatusPanelTextsAsTemplate compares the two.
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
