package backoffice

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/ticket"
)

// views are the queues a clerk opens most, each a filter URL.
var views = []struct{ id, query string }{
	{"bo_view_mine", "assignee=me&open=1"},
	{"bo_view_unassigned", "assignee=none&open=1"},
	{"bo_view_waiting", "status=waiting_for_citizen"},
	{"bo_view_overdue", "overdue=1&sort=due"},
	{"bo_view_open", "open=1"},
	{"bo_view_closed", "status=closed&sort=updated"},
	{"bo_view_all", ""},
}

// fillOptions builds the choices of the filter form, with the current ones
// selected, and the list of views.
func (b *Backoffice) fillOptions(c *fiber.Ctx, page *listPage, q map[string]string) error {
	current := c.Context().QueryArgs().String()
	for _, v := range views {
		page.Views = append(page.Views, viewLink{
			Name: page.T(v.id), URL: "/tickets?" + v.query, Current: current == v.query,
		})
	}

	for _, s := range ticket.Statuses {
		page.Statuses = append(page.Statuses, option{string(s),
			page.T("status_" + string(s) + "_name"), q["status"] == string(s)})
	}
	for _, ch := range channels {
		page.Channels = append(page.Channels, option{ch, page.T("channel_" + ch), q["channel"] == ch})
	}
	for _, p := range priorities {
		page.Priorities = append(page.Priorities, option{p, page.T("bo_priority_" + p),
			q["priority"] == p})
	}
	for _, s := range ticket.SortNames {
		chosen := q["sort"] == s || (q["sort"] == "" && s == "newest")
		page.Sorts = append(page.Sorts, option{s, page.T("bo_sort_" + s), chosen})
	}

	return b.catalogOptions(c, page, q)
}

func (b *Backoffice) catalogOptions(c *fiber.Ctx, page *listPage, q map[string]string) error {
	services, err := b.catalog.Services(c.UserContext())
	if err != nil {
		return err
	}
	for _, s := range services {
		id := strconv.FormatInt(s.ID, 10)
		page.Services = append(page.Services, option{id, page.Pick(s.Name), q["service"] == id})
	}

	teams, err := b.catalog.Teams(c.UserContext())
	if err != nil {
		return err
	}
	for _, t := range teams {
		id := strconv.FormatInt(t.ID, 10)
		page.Teams = append(page.Teams, option{id, page.Pick(t.Name), q["team"] == id})
	}

	return nil
}

// filterSelect is the data of one select of the filter form.
type filterSelect struct {
	Name    string
	Label   string
	All     string
	Options []option
}

// Filter builds one select of the filter form; templates call it.
func (p listPage) Filter(name, label string, options []option) filterSelect {
	all := p.T("tickets_filter_all")
	if name == "sort" {
		all = ""
	}

	return filterSelect{Name: name, Label: label, All: all, Options: options}
}
