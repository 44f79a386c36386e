package calendar

import (
	"slices"
	"time"
)

// Holiday is one public holiday of a year with the short English key of its
// name, such as new_year, for translations to build on.
type Holiday struct {
	Date time.Time
	Name string
}

// Holidays lists the public holidays of the calendar's state in year, in date
// order, as computed; the days a city configures are not among them.
func (c *Calendar) Holidays(year int) []Holiday {
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, c.loc) }
	easter := EasterSunday(year, c.loc)
	list := []Holiday{
		{day(time.January, 1), "new_year"},
		{easter.AddDate(0, 0, -2), "good_friday"},
		{easter.AddDate(0, 0, 1), "easter_monday"},
		{day(time.May, 1), "labour_day"},
		{easter.AddDate(0, 0, 39), "ascension"},
		{easter.AddDate(0, 0, 50), "whit_monday"},
		{day(time.October, 3), "unity_day"},
	}

	if c.state == Saxony {
		list = append(list, Holiday{day(time.October, 31), "reformation_day"})
		list = append(list, Holiday{repentanceDay(year, c.loc), "repentance_day"})
	}

	list = append(list,
		Holiday{day(time.December, 25), "christmas_day"},
		Holiday{day(time.December, 26), "boxing_day"},
	)
	slices.SortFunc(list, func(a, b Holiday) int { return a.Date.Compare(b.Date) })

	return list
}

// repentanceDay is the Day of Repentance and Prayer, the last Wednesday before
// 23 November.
func repentanceDay(year int, loc *time.Location) time.Time {
	nov23 := time.Date(year, time.November, 23, 0, 0, 0, 0, loc)
	back := (int(nov23.Weekday()) - int(time.Wednesday) + 7) % 7
	if back == 0 {
		back = 7
	}

	return nov23.AddDate(0, 0, -back)
}
