package backoffice

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/stats"
)

// statsPage is the statistics dashboard.
type statsPage struct {
	Page
	numbers
	Query       statsQuery
	QueryString string
	Errors      []statsError
	Services    []option
	Teams       []option
	Channels    []option
	Steps       []option
	Presets     []viewLink
	PeriodText  string
	RefreshedAt *time.Time
	Summary     []summaryFigure
	Intake      lineChart
	IntakeRows  []intakeRow
	ByService   []groupRow
	ByTeam      []groupRow
	ByChannel   []groupRow
	Backlog     barChart
	BacklogRows []backlogRow
	AgeNames    []string
	TimeCharts  []timesTable
	Workload    []workloadRow
}

// summaryFigure is one headline figure.
type summaryFigure struct {
	Label, Value, Note string
}

// intakeRow is one interval of the intake table.
type intakeRow struct {
	Label             string
	Current, Previous string
}

// groupRow is one service, team or channel in the intake table.
type groupRow struct {
	Name              string
	Current, Previous string
	Change            string
	Reopened, Merged  string
	Satisfaction      string
}

// backlogRow is one status of the backlog table.
type backlogRow struct {
	Name  string
	Ages  []string
	Total string
}

// timesTable is one measure's chart and table by service or team.
type timesTable struct {
	ID    string
	Title string
	Chart barChart
	Rows  []timesRow
}

// timesRow is one service or team of a times table.
type timesRow struct {
	Name                      string
	Answered, Resolved        string
	AnswerMedian, AnswerP90   string
	ResolveMedian, ResolveP90 string
	AnswerLevel, ResolveLevel string
}

// workloadRow is one team's workload.
type workloadRow struct {
	Name                    string
	Open, Assigned, Overdue string
}

func (b *Backoffice) statsDashboard(c *fiber.Ctx) error {
	page := statsPage{Page: b.newPage(c)}
	page.numbers = newNumbers(page.Tag)
	page.Query = b.parseStatsQuery(c, page.Page)
	page.Errors = page.Query.Errors
	page.QueryString = page.Query.Encode()

	n, err := b.loadNames(c, page.Page)
	if err != nil {
		return err
	}
	n.known(&page.Query.Filter)

	d, err := b.deps.Stats.Dashboard(c.UserContext(), page.Query.Filter)
	if err != nil {
		return err
	}

	page.fillForm(n, b.deps.Stats.Day(time.Now()).AddDate(0, 0, 1))
	page.fillSummary(d)
	page.fillIntake(d, n)
	page.fillBacklog(d)
	page.fillTimes(d, n)
	page.fillWorkload(d, n)

	return b.web.Render(c, fiber.StatusOK, "stats", page)
}

// fillForm fills the filter form and the links to common periods, which end
// with the day before tomorrow, today.
func (p *statsPage) fillForm(n names, tomorrow time.Time) {
	q := p.Query
	for _, s := range n.services {
		id := strconv.FormatInt(s.ID, 10)
		p.Services = append(p.Services, option{id, p.Pick(s.Name), q.Form.Service == id})
	}
	for _, t := range n.teams {
		id := strconv.FormatInt(t.ID, 10)
		p.Teams = append(p.Teams, option{id, p.Pick(t.Name), q.Form.Team == id})
	}
	for _, ch := range stats.Channels {
		p.Channels = append(p.Channels, option{ch, p.T("channel_" + ch), q.Form.Channel == ch})
	}
	for _, s := range statsSteps {
		p.Steps = append(p.Steps, option{s, p.T("bo_stats_by_" + s), q.Step == s})
	}

	if q.Form.From == "" && q.Form.To == "" && len(q.Errors) == 0 {
		p.Query.Form.From = q.Filter.From.Format(time.DateOnly)
		p.Query.Form.To = q.Filter.To.AddDate(0, 0, -1).Format(time.DateOnly)
	}

	last := tomorrow.AddDate(0, 0, -1).Format(time.DateOnly)
	for _, pr := range []struct {
		id   string
		from time.Time
	}{
		{"bo_stats_last_7", tomorrow.AddDate(0, 0, -7)},
		{"bo_stats_last_30", tomorrow.AddDate(0, 0, -30)},
		{"bo_stats_last_365", tomorrow.AddDate(-1, 0, 0)},
		{"bo_stats_last_730", tomorrow.AddDate(-2, 0, 0)},
	} {
		from := pr.from.Format(time.DateOnly)
		p.Presets = append(p.Presets, viewLink{
			Name: p.T(pr.id), URL: "/stats?from=" + from + "&to=" + last,
			Current: from == p.Query.Form.From && last == p.Query.Form.To,
		})
	}

	p.PeriodText = p.T("bo_stats_period_text", "From", p.Date(q.Filter.From),
		"To", p.Date(q.Filter.To.AddDate(0, 0, -1)))
}

func (p *statsPage) fillSummary(d *stats.Dashboard) {
	if !d.RefreshedAt.IsZero() {
		p.RefreshedAt = &d.RefreshedAt
	}

	change := stats.Change{Current: d.Total.Intake, Previous: d.PreviousTotal.Intake}
	open := 0
	for _, b := range d.Backlog {
		open += b.Total()
	}

	p.Summary = []summaryFigure{
		{p.T("bo_stats_intake"), p.Int(d.Total.Intake),
			p.T("bo_stats_previous", "N", p.Int(d.PreviousTotal.Intake),
				"Change", p.change(change))},
		{p.T("bo_stats_open"), p.Int(open), p.T("bo_stats_open_note")},
		{p.T("bo_stats_answer_level"), p.share(d.Total.AnswerLevel()),
			p.T("bo_stats_of", "N", p.Int(d.Total.AnswerDue))},
		{p.T("bo_stats_resolve_level"), p.share(d.Total.ResolveLevel()),
			p.T("bo_stats_of", "N", p.Int(d.Total.ResolveDue))},
		{p.T("bo_stats_reopened"), p.share(d.Total.ReopenedShare()),
			p.T("bo_stats_of", "N", p.Int(d.Total.Intake))},
		{p.T("bo_stats_merged"), p.share(d.Total.MergedShare()),
			p.T("bo_stats_of", "N", p.Int(d.Total.Intake))},
		{p.T("bo_stats_satisfaction"), p.score(d.Total),
			p.T("bo_stats_answers", "N", p.Int(d.Total.Feedback))},
	}
}

// change formats the change against the previous period, with its sign.
func (p *statsPage) change(c stats.Change) string {
	pct, ok := c.Percent()
	if !ok {
		return p.T("bo_stats_none")
	}

	s := p.Dec(pct) + " %"
	if pct > 0 {
		s = "+" + s
	}

	return s
}

func (p *statsPage) share(s stats.Share) string {
	if !s.Known() {
		return p.T("bo_stats_none")
	}

	return p.Dec(s.Percent()) + " %"
}

func (p *statsPage) score(c stats.Counts) string {
	v, ok := c.Satisfaction()
	if !ok {
		return p.T("bo_stats_none")
	}

	return p.T("bo_stats_score", "Score", p.Dec(v))
}

func (p *statsPage) days(h *stats.Histogram, q float64) string {
	v, ok := h.Percentile(q)
	if !ok {
		return p.T("bo_stats_none")
	}

	return p.Dec(v)
}

// Select builds one select of the filter form; templates call it.
func (p statsPage) Select(name, label string, all bool, options []option) filterSelect {
	f := filterSelect{Name: name, Label: label, Options: options}
	if all {
		f.All = p.T("tickets_filter_all")
	}

	return f
}

// groupsView is one table of intake by service, team or channel.
type groupsView struct {
	Page  statsPage
	ID    string
	Title string
	Rows  []groupRow
}

// Groups builds one intake table; templates call it.
func (p statsPage) Groups(id, title string, rows []groupRow) groupsView {
	return groupsView{Page: p, ID: id, Title: title, Rows: rows}
}

// Export returns the address of one table's CSV file under the current filter.
func (p statsPage) Export(table string) string {
	u := "/stats/export/" + table + ".csv"
	if p.QueryString != "" {
		u += "?" + p.QueryString
	}

	return u
}
