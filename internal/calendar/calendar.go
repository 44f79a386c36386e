// Package calendar counts working days: weekends and public holidays are not
// worked, so service levels promised "in 3 working days" are counted against it.
package calendar

import (
	"sync/atomic"
	"time"
)

// State selects the public holidays of a German state on top of the national
// ones.
type State string

// States whose holidays the calendar knows; Saxony is the default.
const (
	Germany State = "DE"
	Saxony  State = "SN"
)

// Calendar is the working-day calendar of a city: its time zone, its state's
// public holidays and the days the city adds or takes away. The configured days
// can be replaced while the calendar is in use; see Configure.
type Calendar struct {
	loc   *time.Location
	state State
	days  atomic.Pointer[configured]
}

// configured are the days a city adds to its state's holidays and those it
// works although the state has a holiday.
type configured struct {
	extra   map[dateKey]bool
	removed map[dateKey]bool
}

type dateKey struct {
	y int
	m time.Month
	d int
}

// New returns the calendar of a city in loc with the holidays of state; extra
// lists further days off (such as a local holiday), as dates in loc.
func New(loc *time.Location, state State, extra ...time.Time) *Calendar {
	c := &Calendar{loc: loc, state: state}
	c.Configure(extra, nil)

	return c
}

// Configure replaces the configured days: extra are further days off, removed
// are holidays of the state that the city works nonetheless, as dates in the
// calendar's time zone. Computations already running finish with the old days.
func (c *Calendar) Configure(extra, removed []time.Time) {
	days := &configured{extra: map[dateKey]bool{}, removed: map[dateKey]bool{}}
	for _, t := range extra {
		days.extra[key(t.In(c.loc))] = true
	}
	for _, t := range removed {
		days.removed[key(t.In(c.loc))] = true
	}

	c.days.Store(days)
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location {
	return c.loc
}

func key(t time.Time) dateKey {
	y, m, d := t.Date()
	return dateKey{y, m, d}
}

// WorkingDay reports whether the day of t, in the city's time zone, is worked.
func (c *Calendar) WorkingDay(t time.Time) bool {
	t = t.In(c.loc)
	wd := t.Weekday()

	return wd != time.Saturday && wd != time.Sunday && !c.Holiday(t)
}

// Holiday reports whether the day of t is a public holiday or a configured day
// off, and not one the city configured as worked.
func (c *Calendar) Holiday(t time.Time) bool {
	t = t.In(c.loc)
	days := c.days.Load()
	if days.removed[key(t)] {
		return false
	}

	return days.extra[key(t)] || c.StateHoliday(t)
}

// StateHoliday reports whether the day of t is a public holiday of the
// calendar's state, whatever the city configured.
func (c *Calendar) StateHoliday(t time.Time) bool {
	t = t.In(c.loc)
	if NationalHoliday(t) {
		return true
	}

	return c.state == Saxony && saxonHoliday(t)
}

// NationalHoliday reports whether the day of t, in t's time zone, is a public
// holiday all over Germany: New Year, Labour Day, Unity Day, Christmas, and Good
// Friday, Easter Monday, Ascension and Whit Monday around Easter.
func NationalHoliday(t time.Time) bool {
	y, m, d := t.Date()
	switch {
	case m == time.January && d == 1, m == time.May && d == 1, m == time.October && d == 3,
		m == time.December && (d == 25 || d == 26):
		return true
	}

	easter := EasterSunday(y, t.Location())
	for _, offset := range []int{-2, 1, 39, 50} {
		if key(easter.AddDate(0, 0, offset)) == key(t) {
			return true
		}
	}

	return false
}

// saxonHoliday reports Saxony's own holidays: Reformation Day on 31 October and
// the Day of Repentance and Prayer, the Wednesday before 23 November.
func saxonHoliday(t time.Time) bool {
	y, m, d := t.Date()
	if m == time.October && d == 31 {
		return true
	}

	return key(repentanceDay(y, t.Location())) == key(t)
}

// EasterSunday returns Easter Sunday of year in the Gregorian calendar, by the
// anonymous algorithm of 1876, at midnight in loc.
func EasterSunday(year int, loc *time.Location) time.Time {
	a, b, c := year%19, year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1

	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, loc)
}

// Due returns the end of the n-th working day after t: a promise of "3 working
// days" made on a Friday is due at the end of Wednesday. A ticket that arrives
// on a day off counts from the next working day.
func (c *Calendar) Due(t time.Time, n int) time.Time {
	day := t.In(c.loc)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.WorkingDay(day) {
			n--
		}
	}

	y, m, d := day.Date()

	return time.Date(y, m, d, 23, 59, 59, 0, c.loc)
}

// WorkingDays counts the working days from from to to, in fractions of a day
// for the first and the last, so that durations of tickets compare fairly.
func (c *Calendar) WorkingDays(from, to time.Time) float64 {
	if !to.After(from) {
		return 0
	}

	var total float64
	day := from.In(c.loc)
	for {
		y, m, d := day.Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
		end := next
		if to.Before(next) {
			end = to
		}
		if c.WorkingDay(day) {
			total += end.Sub(day).Hours() / 24
		}
		if !to.After(next) {
			return total
		}
		day = next
	}
}
