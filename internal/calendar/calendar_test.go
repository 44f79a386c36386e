package calendar

import (
	"testing"
	"time"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}

	return loc
}

func TestHolidays(t *testing.T) {
	loc := berlin(t)
	sn := New(loc, Saxony)
	de := New(loc, Germany)
	day := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	cases := []struct {
		date       string
		saxony     bool
		nationwide bool
	}{
		{"2026-01-01", true, true},
		{"2026-04-03", true, true}, // Good Friday
		{"2026-04-06", true, true}, // Easter Monday
		{"2026-05-14", true, true}, // Ascension
		{"2026-05-25", true, true}, // Whit Monday
		{"2026-10-03", true, true},
		{"2026-10-31", true, false}, // Reformation Day in Saxony
		{"2026-11-18", true, false}, // Day of Repentance and Prayer 2026
		{"2027-11-17", true, false}, // and 2027
		{"2026-11-25", false, false},
		{"2026-12-24", false, false},
		{"2026-12-25", true, true},
		{"2026-06-04", false, false}, // Corpus Christi is not a Saxon holiday
	}
	for _, c := range cases {
		t.Run(c.date, func(t *testing.T) {
			if got := sn.Holiday(day(c.date)); got != c.saxony {
				t.Errorf("Saxony: Holiday(%s) = %v, want %v", c.date, got, c.saxony)
			}
			if got := de.Holiday(day(c.date)); got != c.nationwide {
				t.Errorf("Germany: Holiday(%s) = %v, want %v", c.date, got, c.nationwide)
			}
		})
	}

	extra := New(loc, Saxony, day("2026-08-20"))
	if !extra.Holiday(day("2026-08-20")) || extra.WorkingDay(day("2026-08-20")) {
		t.Error("a configured day off is worked")
	}
}

func TestDue(t *testing.T) {
	loc := berlin(t)
	c := New(loc, Saxony)
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	cases := []struct {
		name string
		from string
		days int
		want string
	}{
		{"friday plus 3", "2026-11-27 10:00", 3, "2026-12-02 23:59"},
		{"over Christmas", "2026-12-23 16:00", 2, "2026-12-28 23:59"}, // 24th is worked
		{"saturday counts from monday", "2026-11-28 09:00", 1, "2026-11-30 23:59"},
		{"over Repentance Day", "2026-11-17 09:00", 1, "2026-11-19 23:59"},
		{"over Easter", "2026-04-02 12:00", 1, "2026-04-07 23:59"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Due(at(tc.from), tc.days).Format("2006-01-02 15:04")
			if got != tc.want {
				t.Errorf("Due(%s, %d) = %s, want %s", tc.from, tc.days, got, tc.want)
			}
		})
	}
}

func TestWorkingDays(t *testing.T) {
	loc := berlin(t)
	c := New(loc, Saxony)
	from := time.Date(2026, 11, 27, 12, 0, 0, 0, loc) // Friday noon
	to := time.Date(2026, 11, 30, 12, 0, 0, 0, loc)   // Monday noon

	if got := c.WorkingDays(from, to); got < 0.99 || got > 1.01 {
		t.Errorf("Friday noon to Monday noon = %.3f working days, want 1", got)
	}
	if got := c.WorkingDays(to, from); got != 0 {
		t.Errorf("backwards = %v, want 0", got)
	}
}

// TestConfiguredDays adds a day off and takes a holiday away, and replaces
// both with new ones.
func TestConfiguredDays(t *testing.T) {
	loc := berlin(t)
	day := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(12 * time.Hour)
	}

	c := New(loc, Saxony)
	c.Configure([]time.Time{day("2026-12-24")}, []time.Time{day("2026-10-31")})
	cases := []struct {
		date    string
		holiday bool
	}{
		{"2026-12-24", true},
		{"2026-10-31", false},
		{"2026-12-25", true},
		{"2026-12-23", false},
	}
	for _, tc := range cases {
		if got := c.Holiday(day(tc.date)); got != tc.holiday {
			t.Errorf("Holiday(%s) = %v, want %v", tc.date, got, tc.holiday)
		}
	}

	if !c.StateHoliday(day("2026-10-31")) {
		t.Error("StateHoliday(2026-10-31) = false, want true whatever is configured")
	}

	c.Configure(nil, nil)
	if c.Holiday(day("2026-12-24")) || !c.Holiday(day("2026-10-31")) {
		t.Error("after Configure(nil, nil) the old days still count")
	}
}

// TestHolidaysOfAYear lists Saxony's eleven holidays of 2026 in date order,
// each of which Holiday agrees with.
func TestHolidaysOfAYear(t *testing.T) {
	loc := berlin(t)
	c := New(loc, Saxony)
	list := c.Holidays(2026)
	want := []string{
		"2026-01-01 new_year", "2026-04-03 good_friday", "2026-04-06 easter_monday",
		"2026-05-01 labour_day", "2026-05-14 ascension", "2026-05-25 whit_monday",
		"2026-10-03 unity_day", "2026-10-31 reformation_day", "2026-11-18 repentance_day",
		"2026-12-25 christmas_day", "2026-12-26 boxing_day",
	}
	if len(list) != len(want) {
		t.Fatalf("Holidays(2026) has %d days, want %d: %v", len(list), len(want), list)
	}

	for i, h := range list {
		if got := h.Date.Format("2006-01-02") + " " + h.Name; got != want[i] {
			t.Errorf("holiday %d = %s, want %s", i, got, want[i])
		}
		if !c.Holiday(h.Date) {
			t.Errorf("Holiday(%s) = false for a listed holiday", h.Date.Format("2006-01-02"))
		}
	}

	if n := len(New(loc, Germany).Holidays(2026)); n != 9 {
		t.Errorf("Germany has %d holidays in 2026, want 9", n)
	}
}
