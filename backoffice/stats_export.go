package backoffice

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/stats"
)

// exportTimeout bounds an export of the ticket list, which is written after
// the handler returns and so outlives the request's own deadline.
const exportTimeout = 10 * time.Minute

// statsExport answers one table of the dashboard, or the ticket list behind
// it, as a CSV file.
func (b *Backoffice) statsExport(c *fiber.Ctx) error {
	table := c.Params("table")
	page := statsPage{Page: b.newPage(c)}
	page.numbers = newNumbers(page.Tag)
	page.Query = b.parseStatsQuery(c, page.Page)
	f := page.Query.Filter

	name := fmt.Sprintf("anliegen-%s-%s-%s.csv", table, f.From.Format(time.DateOnly),
		f.To.AddDate(0, 0, -1).Format(time.DateOnly))
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")

	n, err := b.loadNames(c, page.Page)
	if err != nil {
		return err
	}
	n.known(&page.Query.Filter)
	f = page.Query.Filter

	if table == "tickets" {
		b.streamTickets(c, page)
		return nil
	}

	d, err := b.deps.Stats.Dashboard(c.UserContext(), f)
	if err != nil {
		return err
	}

	rows, ok := exportTable(table, &page, d, n)
	if !ok {
		return fiber.ErrNotFound
	}

	var buf bytes.Buffer
	w, err := stats.NewCSV(&buf)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Row(r...); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}

	return c.Send(buf.Bytes())
}

// exporter writes counts, hiding small ones in a narrow filter.
type exporter struct {
	p      *statsPage
	narrow bool
}

func (e exporter) count(n int) string {
	return stats.CountCell(n, e.narrow, e.p.T("bo_stats_fewer_than_5"))
}

// share writes a share in per cent, or nothing when its whole is small in a
// narrow filter, since the share would give the small count away.
func (e exporter) share(s stats.Share) string {
	if !s.Known() || (e.narrow && s.Whole < stats.SmallCount) {
		return ""
	}

	return strconv.FormatFloat(s.Percent(), 'f', 1, 64)
}

func (e exporter) days(h *stats.Histogram, q float64) string {
	v, ok := h.Percentile(q)
	if !ok || (e.narrow && h.N() < stats.SmallCount) {
		return ""
	}

	return strconv.FormatFloat(v, 'f', 1, 64)
}

// exportTable returns the rows of one table, headers first; ok is false for a
// table that does not exist.
func exportTable(table string, p *statsPage, d *stats.Dashboard, n names) ([][]string, bool) {
	e := exporter{p: p, narrow: d.Filter.Narrow()}
	switch table {
	case "intake":
		return e.intake(d), true
	case "services":
		return e.groups(d.ByService, func(g stats.Group) string { return n.service[g.ID] }), true
	case "teams":
		return e.groups(d.ByTeam, func(g stats.Group) string { return n.team[g.ID] }), true
	case "channels":
		return e.groups(d.ByChannel, func(g stats.Group) string { return g.Channel }), true
	case "backlog":
		return e.backlog(d), true
	case "answer-service":
		return e.times(d, d.TimesByService, d.ByService, serviceOrder(n)), true
	case "answer-team":
		return e.times(d, d.TimesByTeam, d.ByTeam, teamOrder(n)), true
	case "workload":
		return e.workload(d, n), true
	}

	return nil, false
}

func (e exporter) intake(d *stats.Dashboard) [][]string {
	rows := [][]string{{e.p.T("bo_stats_interval"), e.p.T("bo_stats_legend_current"),
		e.p.T("bo_stats_legend_previous")}}
	for _, iv := range intervals(d.Filter.From, len(d.Intake), e.p.Query.Step) {
		rows = append(rows, []string{iv.start.Format(time.DateOnly),
			e.count(sumRange(d.Intake, iv.first, iv.end)),
			e.count(sumRange(d.PreviousIntake, iv.first, iv.end))})
	}

	return rows
}

func (e exporter) groups(groups []stats.Group, name func(stats.Group) string) [][]string {
	rows := [][]string{{e.p.T("bo_stats_name"), e.p.T("bo_stats_legend_current"),
		e.p.T("bo_stats_legend_previous"), e.p.T("bo_stats_reopened"), e.p.T("bo_stats_merged"),
		e.p.T("bo_stats_answer_level"), e.p.T("bo_stats_resolve_level"),
		e.p.T("bo_stats_satisfaction"), e.p.T("bo_stats_feedback_count")}}
	for _, g := range groups {
		c := g.Current
		score := ""
		if v, ok := c.Satisfaction(); ok && (!e.narrow || c.Feedback >= stats.SmallCount) {
			score = strconv.FormatFloat(v, 'f', 2, 64)
		}
		rows = append(rows, []string{name(g), e.count(c.Intake), e.count(g.Previous.Intake),
			e.share(c.ReopenedShare()), e.share(c.MergedShare()), e.share(c.AnswerLevel()),
			e.share(c.ResolveLevel()), score, e.count(c.Feedback)})
	}

	return rows
}

func (e exporter) backlog(d *stats.Dashboard) [][]string {
	head := []string{e.p.T("tickets_filter_status")}
	for _, a := range stats.Ages {
		head = append(head, e.p.T("bo_stats_age_"+a))
	}
	rows := [][]string{append(head, e.p.T("bo_stats_total"))}
	for _, b := range d.Backlog {
		r := []string{b.Status}
		for _, n := range b.Ages {
			r = append(r, e.count(n))
		}
		rows = append(rows, append(r, e.count(b.Total())))
	}

	return rows
}

// named is a service or team in the catalogue's order.
type named struct {
	id   int64
	name string
}

func serviceOrder(n names) []named {
	var out []named
	for _, s := range n.services {
		out = append(out, named{s.ID, n.service[s.ID]})
	}

	return out
}

func teamOrder(n names) []named {
	var out []named
	for _, t := range n.teams {
		out = append(out, named{t.ID, n.team[t.ID]})
	}

	return out
}

func (e exporter) times(
	d *stats.Dashboard,
	times map[int64]*stats.Times,
	groups []stats.Group,
	order []named,
) [][]string {
	rows := [][]string{{e.p.T("bo_stats_name"), e.p.T("bo_stats_answered"),
		e.p.T("bo_stats_answer_median"), e.p.T("bo_stats_answer_p90"),
		e.p.T("bo_stats_answer_level"), e.p.T("bo_stats_resolved"),
		e.p.T("bo_stats_resolve_median"), e.p.T("bo_stats_resolve_p90"),
		e.p.T("bo_stats_resolve_level")}}
	row := func(name string, t *stats.Times, c stats.Counts) []string {
		return []string{name, e.count(t.Answer.N()), e.days(&t.Answer, 0.5),
			e.days(&t.Answer, 0.9), e.share(c.AnswerLevel()), e.count(t.Resolve.N()),
			e.days(&t.Resolve, 0.5), e.days(&t.Resolve, 0.9), e.share(c.ResolveLevel())}
	}
	for _, o := range order {
		if t := times[o.id]; t != nil {
			rows = append(rows, row(o.name, t, groupOf(groups, o.id)))
		}
	}

	return append(rows, row(e.p.T("bo_stats_all"), &d.TimesAll, d.Total))
}

func (e exporter) workload(d *stats.Dashboard, n names) [][]string {
	rows := [][]string{{e.p.T("bo_stats_team"), e.p.T("bo_stats_open"),
		e.p.T("bo_stats_assigned"), e.p.T("bo_stats_overdue")}}
	for _, w := range d.Workload {
		rows = append(rows, []string{n.team[w.TeamID], e.count(w.Open), e.count(w.Assigned),
			e.count(w.Overdue)})
	}

	return rows
}

// streamTickets writes the ticket list as it is read, with no cap on its
// length. It holds only what counts, no content and no contact, so the
// statistics role may have it too.
func (b *Backoffice) streamTickets(c *fiber.Ctx, page statsPage) {
	f := page.Query.Filter
	store, log := b.deps.Stats, b.web.Logger()
	loc := store.Location()
	head := []string{page.T("bo_stats_col_case"), page.T("bo_col_service"),
		page.T("bo_stats_team"), page.T("bo_stats_channel"), page.T("tickets_filter_status"),
		page.T("bo_stats_col_created"), page.T("bo_stats_col_answered"),
		page.T("bo_stats_col_resolved"), page.T("bo_stats_col_closed"), page.T("bo_stats_col_due"),
		page.T("bo_stats_col_answer_days"), page.T("bo_stats_col_resolve_days")}

	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()

		w, err := stats.NewCSV(bw)
		if err == nil {
			err = w.Row(head...)
		}
		if err == nil {
			err = store.EachTicket(ctx, f, func(r stats.TicketRow) error {
				return w.Row(r.CaseNumber, r.Service, r.Team, r.Channel, r.Status,
					stamp(&r.CreatedAt, loc), stamp(r.FirstAnswer, loc), stamp(r.ResolvedAt, loc),
					stamp(r.ClosedAt, loc), stamp(r.DueAt, loc), decimal(r.AnswerDays),
					decimal(r.ResolveDays))
			})
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			// The status line is sent already; the file ends short, and the log says why.
			log.Error("ticket export failed", "error", err.Error())
		}
	})
}

func stamp(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}

	return t.In(loc).Format("2006-01-02 15:04")
}

func decimal(v *float64) string {
	if v == nil {
		return ""
	}

	return strconv.FormatFloat(*v, 'f', 2, 64)
}
