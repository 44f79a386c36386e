package backoffice

import (
	"time"

	"github.com/anliegen/anliegen/internal/stats"
)

// interval is one point of the intake series: days from the period's start.
type interval struct {
	start      time.Time
	first, end int
}

// intervals splits a period of days from from into days, weeks of seven days
// or calendar months counted from its first day.
func intervals(from time.Time, days int, step string) []interval {
	var out []interval
	for i := 0; i < days; {
		start := from.AddDate(0, 0, i)
		next := i + 1
		switch step {
		case "week":
			next = i + 7
		case "month":
			next = int(from.AddDate(0, len(out)+1, 0).Sub(from).Hours()/24 + 0.5)
		}
		out = append(out, interval{start: start, first: i, end: min(next, days)})
		i = next
	}

	return out
}

func sumRange(vs []int, from, to int) int {
	n := 0
	for _, v := range vs[from:to] {
		n += v
	}

	return n
}

func (p *statsPage) fillIntake(d *stats.Dashboard, n names) {
	var current, previous []int
	var labels []string
	for _, iv := range intervals(d.Filter.From, len(d.Intake), p.Query.Step) {
		c, pr := sumRange(d.Intake, iv.first, iv.end), sumRange(d.PreviousIntake, iv.first, iv.end)
		current, previous = append(current, c), append(previous, pr)
		label := p.Date(iv.start)
		labels = append(labels, label)
		p.IntakeRows = append(p.IntakeRows, intakeRow{label, p.Int(c), p.Int(pr)})
	}

	p.Intake = newLineChart("intake", current, previous, labels)
	p.Intake.Title = p.T("bo_stats_intake_title")
	p.Intake.Desc = p.T("bo_stats_intake_desc", "N", p.Int(d.Total.Intake),
		"Previous", p.Int(d.PreviousTotal.Intake), "Max", p.Int(maxOf(current)))
	p.Intake.LegendCurrent = p.T("bo_stats_legend_current")
	p.Intake.LegendPrevious = p.T("bo_stats_legend_previous")

	p.ByService = p.groupRows(d.ByService, func(g stats.Group) string { return n.service[g.ID] })
	p.ByTeam = p.groupRows(d.ByTeam, func(g stats.Group) string { return n.team[g.ID] })
	p.ByChannel = p.groupRows(d.ByChannel, func(g stats.Group) string {
		return p.T("channel_" + g.Channel)
	})
}

func (p *statsPage) groupRows(groups []stats.Group, name func(stats.Group) string) []groupRow {
	var rows []groupRow
	for _, g := range groups {
		change := stats.Change{Current: g.Current.Intake, Previous: g.Previous.Intake}
		rows = append(rows, groupRow{
			Name: name(g), Current: p.Int(g.Current.Intake), Previous: p.Int(g.Previous.Intake),
			Change:       p.change(change),
			Reopened:     p.share(g.Current.ReopenedShare()),
			Merged:       p.share(g.Current.MergedShare()),
			Satisfaction: p.score(g.Current),
		})
	}

	return rows
}

func (p *statsPage) fillBacklog(d *stats.Dashboard) {
	for _, a := range stats.Ages {
		p.AgeNames = append(p.AgeNames, p.T("bo_stats_age_"+a))
	}

	var values []barValues
	total := 0
	for _, b := range d.Backlog {
		name := p.T("status_" + b.Status + "_name")
		row := backlogRow{Name: name, Total: p.Int(b.Total())}
		parts, labels := make([]float64, 4), make([]string, 4)
		for i, n := range b.Ages {
			row.Ages = append(row.Ages, p.Int(n))
			parts[i], labels[i] = float64(n), p.Int(n)
		}
		p.BacklogRows = append(p.BacklogRows, row)
		values = append(values, barValues{Label: name, Bars: [][]float64{parts},
			Totals: []string{p.Int(b.Total())}, Parts: [][]string{labels}})
		total += b.Total()
	}

	p.Backlog = newBarChart("backlog", values, p.AgeNames)
	p.Backlog.Title = p.T("bo_stats_backlog_title")
	p.Backlog.Desc = p.T("bo_stats_backlog_desc", "N", p.Int(total))
}

func (p *statsPage) fillTimes(d *stats.Dashboard, n names) {
	var services, teams []timesRow
	var serviceBars, teamBars [2][]barValues
	for _, s := range n.services {
		if t := d.TimesByService[s.ID]; t != nil {
			services = append(services, p.timesRow(n.service[s.ID], t, groupOf(d.ByService, s.ID)))
			addTimeBars(&serviceBars, n.service[s.ID], t, p)
		}
	}
	for _, tm := range n.teams {
		if t := d.TimesByTeam[tm.ID]; t != nil {
			teams = append(teams, p.timesRow(n.team[tm.ID], t, groupOf(d.ByTeam, tm.ID)))
			addTimeBars(&teamBars, n.team[tm.ID], t, p)
		}
	}

	legend := []string{p.T("bo_stats_median"), p.T("bo_stats_p90")}
	all := p.timesRow(p.T("bo_stats_all"), &d.TimesAll, d.Total)
	services, teams = append(services, all), append(teams, all)
	for _, tt := range []struct {
		id, title string
		bars      []barValues
		rows      []timesRow
	}{
		{"answer-service", "bo_stats_answer_by_service", serviceBars[0], services},
		{"resolve-service", "bo_stats_resolve_by_service", serviceBars[1], nil},
		{"answer-team", "bo_stats_answer_by_team", teamBars[0], teams},
		{"resolve-team", "bo_stats_resolve_by_team", teamBars[1], nil},
	} {
		c := newBarChart(tt.id, tt.bars, legend)
		c.Title, c.Desc = p.T(tt.title), p.T("bo_stats_times_desc")
		p.TimeCharts = append(p.TimeCharts, timesTable{ID: tt.id, Title: c.Title, Chart: c,
			Rows: tt.rows})
	}
}

// addTimeBars adds a row with the median and the 90th percentile to the chart
// of first answers and to that of resolutions.
func addTimeBars(charts *[2][]barValues, name string, t *stats.Times, p *statsPage) {
	for i, h := range []*stats.Histogram{&t.Answer, &t.Resolve} {
		med, _ := h.Percentile(0.5)
		p90, _ := h.Percentile(0.9)
		charts[i] = append(charts[i], barValues{
			Label:  name,
			Bars:   [][]float64{{med}, {0, p90}},
			Totals: []string{p.days(h, 0.5), p.days(h, 0.9)},
		})
	}
}

func groupOf(groups []stats.Group, id int64) stats.Counts {
	for _, g := range groups {
		if g.ID == id {
			return g.Current
		}
	}

	return stats.Counts{}
}

func (p *statsPage) timesRow(name string, t *stats.Times, c stats.Counts) timesRow {
	return timesRow{
		Name: name, Answered: p.Int(t.Answer.N()), Resolved: p.Int(t.Resolve.N()),
		AnswerMedian: p.days(&t.Answer, 0.5), AnswerP90: p.days(&t.Answer, 0.9),
		ResolveMedian: p.days(&t.Resolve, 0.5), ResolveP90: p.days(&t.Resolve, 0.9),
		AnswerLevel: p.share(c.AnswerLevel()), ResolveLevel: p.share(c.ResolveLevel()),
	}
}

func (p *statsPage) fillWorkload(d *stats.Dashboard, n names) {
	for _, w := range d.Workload {
		p.Workload = append(p.Workload, workloadRow{
			Name: n.team[w.TeamID], Open: p.Int(w.Open), Assigned: p.Int(w.Assigned),
			Overdue: p.Int(w.Overdue),
		})
	}
}
