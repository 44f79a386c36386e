package backoffice

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
)

// holidaysPage shows the computed holidays of this year and the next, the days
// the city configured, and the form that configures another.
type holidaysPage struct {
	Page
	Errors     []summaryItem
	Saved      bool
	Years      []holidayYear
	Configured []configuredDay
	Day        input
	Kind       input
	Name       input
}

type holidayYear struct {
	Year int
	Days []holidayRow
}

type holidayRow struct {
	Date   time.Time
	Name   string
	Worked bool
}

type configuredDay struct {
	calendar.Day
	Key string
}

func (b *Backoffice) adminHolidays(c *fiber.Ctx) error {
	return b.renderHolidays(c, fiber.StatusOK, calendar.Day{Kind: calendar.KindExtra},
		newFormErrors(b.newPage(c)))
}

func (b *Backoffice) adminHolidayAdd(c *fiber.Ctx) error {
	cal := b.tickets.Calendar()
	errs := newFormErrors(b.newPage(c))
	raw := strings.TrimSpace(c.FormValue("date"))
	d := calendar.Day{Kind: c.FormValue("kind"), Name: strings.TrimSpace(c.FormValue("name"))}

	date, err := time.ParseInLocation(time.DateOnly, raw, cal.Location())
	if err != nil {
		errs.add("date", "bo_admin_error_date")
	}
	d.Date = date.Add(12 * time.Hour)

	switch d.Kind {
	case calendar.KindExtra:
		if d.Name == "" {
			errs.add("name", "bo_admin_error_holiday_name")
		}
	case calendar.KindRemoved:
		if err == nil && !cal.StateHoliday(d.Date) {
			errs.add("date", "bo_admin_error_not_holiday")
		}
	default:
		errs.add("kind", "bo_admin_error_kind")
	}
	if utf8.RuneCountInString(d.Name) > 200 || !catalog.CleanText(d.Name, false) {
		errs.add("name", "bo_admin_error_too_long", "Max", 200)
	}

	if !errs.ok() {
		return b.renderHolidays(c, fiber.StatusUnprocessableEntity, d, errs)
	}

	if err := b.holidays.Set(c.UserContext(), d, currentStaff(c).ID); err != nil {
		return err
	}

	return b.holidaysChanged(c)
}

func (b *Backoffice) adminHolidayRemove(c *fiber.Ctx) error {
	date, err := time.Parse(time.DateOnly, c.Params("date"))
	if err != nil {
		return fiber.ErrNotFound
	}

	err = b.holidays.Delete(c.UserContext(), date, currentStaff(c).ID)
	if errors.Is(err, db.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}

	return b.holidaysChanged(c)
}

// holidaysChanged puts the configured days into force for the due dates of
// this instance and shows the page again.
func (b *Backoffice) holidaysChanged(c *fiber.Ctx) error {
	if err := b.holidays.Apply(c.UserContext(), b.tickets.Calendar()); err != nil {
		return err
	}

	return c.Redirect("/admin/holidays?saved=1", fiber.StatusSeeOther)
}

func (b *Backoffice) renderHolidays(
	c *fiber.Ctx,
	status int,
	d calendar.Day,
	errs *formErrors,
) error {
	p := b.newPage(c)
	cal := b.tickets.Calendar()
	days, err := b.holidays.Days(c.UserContext())
	if err != nil {
		return err
	}

	page := holidaysPage{
		Page: p, Errors: errs.Errors, Saved: c.Query("saved") != "",
		Day: input{ID: "date", Name: "date", Type: "date", Label: p.T("bo_admin_holiday_date"),
			Help: p.T("bo_admin_holiday_date_hint"), Value: c.FormValue("date"),
			Error: errs.of("date")},
		Kind: input{ID: "kind", Name: "kind", Label: p.T("bo_admin_holiday_kind"),
			Error: errs.of("kind")},
		Name: input{ID: "name", Name: "name", Label: p.T("bo_admin_holiday_name"),
			Help: p.T("bo_admin_holiday_name_hint"), Value: d.Name, Error: errs.of("name")},
	}
	for _, k := range []string{calendar.KindExtra, calendar.KindRemoved} {
		page.Kind.Options = append(page.Kind.Options,
			option{Value: k, Name: p.T("bo_admin_holiday_kind_" + k), Selected: k == d.Kind})
	}

	removed := map[string]bool{}
	for _, day := range days {
		key := day.Date.Format(time.DateOnly)
		page.Configured = append(page.Configured, configuredDay{Day: day, Key: key})
		removed[key] = day.Kind == calendar.KindRemoved
	}

	year := time.Now().In(cal.Location()).Year()
	for _, y := range []int{year, year + 1} {
		hy := holidayYear{Year: y}
		for _, h := range cal.Holidays(y) {
			hy.Days = append(hy.Days, holidayRow{Date: h.Date, Name: p.T("bo_holiday_" + h.Name),
				Worked: removed[h.Date.Format(time.DateOnly)]})
		}
		page.Years = append(page.Years, hy)
	}

	return b.web.Render(c, status, "admin_holidays", page)
}
