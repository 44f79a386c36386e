package backoffice

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/ticket"
)

type option struct {
	Value    string
	Name     string
	Selected bool
}

type listRow struct {
	ticket.Summary
	Overdue bool
	DueSoon bool
}

type viewLink struct {
	Name    string
	URL     string
	Current bool
}

type listPage struct {
	Page
	Rows       []listRow
	Total      int
	More       bool // more tickets match than Total
	NextURL    string
	Views      []viewLink
	Statuses   []option
	Services   []option
	Teams      []option
	Channels   []option
	Priorities []option
	Sorts      []option
	From, To   string
	Query      string
	Overdue    bool
	Unassigned bool
	Mine       bool
	Back       string
	BulkDone   string
}

// Channels and priorities a queue can be filtered by.
var (
	channels   = []string{"web", "email", "phone", "letter", "counter", "api"}
	priorities = []string{"low", "normal", "high", "urgent"}
)

func (b *Backoffice) ticketList(c *fiber.Ctx) error {
	m, _ := c.Locals(localMember).(*staff.Member)
	q := c.Queries()
	f, err := b.filterFrom(c, q, m, b.web.Location())
	if err != nil {
		return fiber.ErrBadRequest
	}

	result, err := b.tickets.Queue(c.UserContext(), f)
	if err != nil {
		return err
	}

	page := listPage{Page: b.newPage(c), Total: result.Total, More: result.More,
		From: q["from"], To: q["to"],
		Query:   f.Query,
		Overdue: f.Overdue, Unassigned: f.Unassigned, Mine: q["assignee"] == "me"}
	page.Back = "/tickets?" + c.Context().QueryArgs().String()
	if d, f := q["done"], q["failed"]; d != "" {
		done, _ := strconv.Atoi(d)
		failed, _ := strconv.Atoi(f)
		page.BulkDone = page.T("bo_bulk_result", "Done", done, "Failed", failed)
	}
	if moved := q["moved"]; validCaseNumber(moved) {
		page.BulkDone = page.T("bo_ticket_moved", "CaseNumber", moved)
	}
	now := time.Now()
	for _, s := range result.Tickets {
		page.Rows = append(page.Rows, listRow{Summary: s, Overdue: s.Overdue(now),
			DueSoon: b.tickets.DueSoon(s, now)})
	}
	if result.Next != "" {
		page.NextURL = pageURL(q, result.Next)
	}
	if err := b.fillOptions(c, &page, q); err != nil {
		return err
	}

	return b.web.Render(c, fiber.StatusOK, "tickets", page)
}

// filterFrom reads a queue filter from the query string, so that every filter
// is a URL that can be bookmarked. Unknown values are refused, not guessed.
func (b *Backoffice) filterFrom(
	c *fiber.Ctx,
	q map[string]string,
	m *staff.Member,
	loc *time.Location,
) (ticket.Filter, error) {
	f := ticket.Filter{
		Status: ticket.Status(q["status"]), Channel: q["channel"], Priority: q["priority"],
		Sort: q["sort"], After: q["after"], OpenOnly: q["open"] == "1",
		Overdue: q["overdue"] == "1", Unassigned: q["assignee"] == "none",
		Query: strings.TrimSpace(q["q"]),
	}
	if len(f.Query) > 200 {
		return f, fiber.ErrBadRequest
	}
	if f.Status != "" && !f.Status.Valid() {
		return f, fiber.ErrBadRequest
	}
	if !oneOf(f.Channel, channels) || !oneOf(f.Priority, priorities) {
		return f, fiber.ErrBadRequest
	}
	if _, ok := ticket.Sorts[f.Sort]; f.Sort != "" && !ok {
		return f, fiber.ErrBadRequest
	}
	if q["assignee"] == "me" && m != nil {
		f.AssigneeID = m.ID
	}
	if sc := scopeOf(c); !sc.AllTeams {
		f.TeamIDs = append([]int64{}, sc.TeamIDs...)
	}

	var err error
	if f.ServiceID, err = optionalID(q["service"]); err != nil {
		return f, err
	}
	if f.TeamID, err = optionalID(q["team"]); err != nil {
		return f, err
	}
	if f.From, err = optionalDate(q["from"], loc, 0); err != nil {
		return f, err
	}
	f.To, err = optionalDate(q["to"], loc, 1)

	return f, err
}

func oneOf(v string, allowed []string) bool {
	if v == "" {
		return true
	}

	for _, a := range allowed {
		if v == a {
			return true
		}
	}

	return false
}

func optionalID(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}

	return strconv.ParseInt(s, 10, 64)
}

// optionalDate reads a date of the filter form; plusDays moves an end date to
// the next midnight, so that "to" includes its whole day.
func optionalDate(s string, loc *time.Location, plusDays int) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}

	d, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return nil, err
	}

	d = d.AddDate(0, 0, plusDays)

	return &d, nil
}

// pageURL is the current filter with the cursor of the next page.
func pageURL(q map[string]string, next string) string {
	v := url.Values{}
	for k, val := range q {
		if k != "after" && val != "" {
			v.Set(k, val)
		}
	}
	v.Set("after", next)

	return "/tickets?" + v.Encode()
}
