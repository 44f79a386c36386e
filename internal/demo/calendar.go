package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/anliegen/anliegen/internal/calendar"
)

// hourShape is how busy each hour of the day is for submissions, relative to
// the morning peak in office hours.
var hourShape = [24]float64{
	0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.25, 0.60, 1.00, 1.20, 1.20, 1.15,
	1.00, 1.05, 1.10, 1.00, 0.85, 0.70, 0.60, 0.55, 0.50, 0.40, 0.25, 0.12,
}

// Office hours of the city's staff, in local time.
const (
	officeOpens  = 7
	officeCloses = 17
)

// workingDay reports whether t falls on a weekday that is no public holiday.
func workingDay(t time.Time) bool {
	wd := t.Weekday()

	return wd != time.Saturday && wd != time.Sunday && !holiday(t)
}

// officeHours reports whether staff are at work at t.
func officeHours(t time.Time) bool {
	return workingDay(t) && t.Hour() >= officeOpens && t.Hour() < officeCloses
}

// holiday reports whether t falls on a public holiday kept all over Germany.
func holiday(t time.Time) bool {
	return calendar.NationalHoliday(t)
}

// monthly interpolates twelve monthly factors smoothly over the year, each
// month's value holding at its middle.
func monthly(factors *[12]float64, t time.Time) float64 {
	days := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	pos := float64(t.Month()-1) + (float64(t.Day())-0.5)/float64(days) - 0.5
	i := math.Floor(pos)
	frac := pos - i
	from := (int(i) + 12) % 12

	return factors[from]*(1-frac) + factors[(from+1)%12]*frac
}

// nextOfficeTime returns t when staff are at work then, and otherwise a moment
// in the first hours of the next working morning.
func nextOfficeTime(rng *rand.Rand, t time.Time) time.Time {
	if officeHours(t) {
		return t
	}

	day := time.Date(t.Year(), t.Month(), t.Day(), officeOpens, 0, 0, 0, t.Location())
	if t.Hour() >= officeOpens {
		day = day.AddDate(0, 0, 1)
	}
	for !workingDay(day) {
		day = day.AddDate(0, 0, 1)
	}

	return day.Add(time.Duration(rng.Int64N(int64(3 * time.Hour))))
}

// nightAfter returns a moment between 2 and 3 o'clock in the night after days
// have passed since t: when the nightly jobs of the system close tickets.
func nightAfter(rng *rand.Rand, t time.Time, days int) time.Time {
	night := time.Date(t.Year(), t.Month(), t.Day()+days+1, 2, 0, 0, 0, t.Location())

	return night.Add(time.Duration(rng.Int64N(int64(time.Hour))))
}
