package backoffice

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/stats"
)

// maxStatsDays is the longest period the dashboard counts: two years and a
// leap day.
const maxStatsDays = 731

// statsSteps are the intervals the intake can be shown in.
var statsSteps = []string{"day", "week", "month"}

// SeesFigures reports whether the signed-in member may open the statistics,
// for the navigation.
func (p Page) SeesFigures() bool {
	return p.Member != nil && staff.CanSeeFigures(p.Member.Role)
}

// requireFigures answers 404 to members whose role may not see the statistics.
func (b *Backoffice) requireFigures(c *fiber.Ctx) error {
	m, _ := c.Locals(localMember).(*staff.Member)
	if m == nil || !staff.CanSeeFigures(m.Role) || b.deps.Stats == nil {
		return fiber.ErrNotFound
	}

	return c.Next()
}

// statsForm is the filter as typed, kept when it is wrong.
type statsForm struct {
	From, To, By, Service, Team, Channel string
}

// statsError is one entry of the error summary.
type statsError struct {
	Href, Text string
}

// statsQuery is a parsed filter: what the figures count, the form as typed and
// the errors in it.
type statsQuery struct {
	Filter stats.Filter
	Step   string
	Form   statsForm
	Errors []statsError
}

// Encode returns the filter as it was typed, as a query string.
func (q statsQuery) Encode() string {
	v := url.Values{}
	for k, s := range map[string]string{"from": q.Form.From, "to": q.Form.To, "by": q.Form.By,
		"service": q.Form.Service, "team": q.Form.Team, "channel": q.Form.Channel} {
		if s != "" {
			v.Set(k, s)
		}
	}

	return v.Encode()
}

// parseStatsQuery reads the filter from the URL. A wrong date or period is
// named in the error summary, and the figures show the last 30 days instead.
func (b *Backoffice) parseStatsQuery(c *fiber.Ctx, p Page) statsQuery {
	q := statsQuery{Form: statsForm{
		From: c.Query("from"), To: c.Query("to"), By: c.Query("by"),
		Service: c.Query("service"), Team: c.Query("team"), Channel: c.Query("channel"),
	}}
	st := b.deps.Stats
	today := st.Day(time.Now())
	to, from := today.AddDate(0, 0, 1), today.AddDate(0, 0, -29)

	fail := func(field, id string) {
		q.Errors = append(q.Errors, statsError{Href: "#" + field, Text: p.T(id)})
	}
	pf, errFrom := parseDay(q.Form.From, st.Location())
	pt, errTo := parseDay(q.Form.To, st.Location())
	switch {
	case errFrom != nil:
		fail("from", "bo_stats_error_date")
	case errTo != nil:
		fail("to", "bo_stats_error_date")
	case q.Form.From != "" && q.Form.To != "" && pt.Before(pf):
		fail("to", "bo_stats_error_order")
	default:
		if q.Form.To != "" {
			to = pt.AddDate(0, 0, 1)
		}
		if q.Form.From != "" {
			from = pf
		} else if q.Form.To != "" {
			from = to.AddDate(0, 0, -30)
		}
	}

	if to.Sub(from).Hours()/24 > maxStatsDays+0.5 {
		fail("from", "bo_stats_error_span")
		to, from = today.AddDate(0, 0, 1), today.AddDate(0, 0, -29)
	}

	q.Filter = stats.Filter{From: from, To: to, Channel: ""}
	q.Filter.ServiceID, _ = strconv.ParseInt(q.Form.Service, 10, 64)
	q.Filter.TeamID, _ = strconv.ParseInt(q.Form.Team, 10, 64)
	if slices.Contains(stats.Channels, q.Form.Channel) {
		q.Filter.Channel = q.Form.Channel
	}

	q.Step = q.Form.By
	if !slices.Contains(statsSteps, q.Step) {
		q.Step = autoStep(q.Filter.Days())
	}

	return q
}

// parseDay reads a date as the form's date field sends it; empty is no date.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}

	return time.ParseInLocation(time.DateOnly, s, loc)
}

// autoStep picks the interval that gives a readable number of points.
func autoStep(days int) string {
	switch {
	case days <= 62:
		return "day"
	case days <= 190:
		return "week"
	}

	return "month"
}

// numbers formats figures in the reader's language.
type numbers struct {
	p *message.Printer
}

func newNumbers(tag string) numbers {
	return numbers{p: message.NewPrinter(language.Make(tag))}
}

// Int formats a count with the language's digit grouping.
func (n numbers) Int(v int) string {
	return n.p.Sprintf("%d", v)
}

// Dec formats a number with one decimal.
func (n numbers) Dec(v float64) string {
	return n.p.Sprintf("%.1f", v)
}

// names maps the IDs of services and teams to their names in the reader's
// language, in the catalogue's order.
type names struct {
	services []catalog.Service
	teams    []catalog.Team
	service  map[int64]string
	team     map[int64]string
}

// known drops a service or team from the filter that the catalogue does not
// have, so that the form and the figures agree on showing all.
func (n names) known(f *stats.Filter) {
	if _, ok := n.service[f.ServiceID]; !ok {
		f.ServiceID = 0
	}
	if _, ok := n.team[f.TeamID]; !ok {
		f.TeamID = 0
	}
}

func (b *Backoffice) loadNames(c *fiber.Ctx, p Page) (names, error) {
	n := names{service: map[int64]string{}, team: map[int64]string{}}
	var err error
	if n.services, err = b.catalog.Services(c.UserContext()); err != nil {
		return n, err
	}
	if n.teams, err = b.catalog.Teams(c.UserContext()); err != nil {
		return n, err
	}

	for _, s := range n.services {
		n.service[s.ID] = p.Pick(s.Name)
	}
	for _, t := range n.teams {
		n.team[t.ID] = p.Pick(t.Name)
	}

	return n, nil
}

// homeOf is the first page of a role: the queue, or the statistics for the
// role that sees no tickets.
func homeOf(role string) string {
	if !staff.CanSeeContent(role) && staff.CanSeeFigures(role) {
		return "/stats"
	}

	return "/tickets"
}

func (b *Backoffice) home(c *fiber.Ctx) error {
	m, _ := c.Locals(localMember).(*staff.Member)
	return c.Redirect(homeOf(m.Role), fiber.StatusSeeOther)
}

// SeesTickets reports whether the signed-in member may open tickets and the
// mails to citizens, for the navigation.
func (p Page) SeesTickets() bool {
	return p.Member != nil && staff.CanSeeContent(p.Member.Role)
}
