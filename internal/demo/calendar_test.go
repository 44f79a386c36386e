package demo

import (
	"testing"
	"time"
)

func TestHoliday(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load time zone: %v", err)
	}

	tests := []struct {
		day  string
		want bool
	}{
		{"2024-03-29", true},  // Good Friday, Easter on 31 March of a leap year
		{"2024-04-01", true},  // Easter Monday
		{"2025-04-18", true},  // Good Friday
		{"2025-05-29", true},  // Ascension
		{"2025-06-09", true},  // Whit Monday
		{"2025-10-03", true},  // Unity Day
		{"2025-12-26", true},  // Boxing Day
		{"2025-04-22", false}, // the Tuesday after Easter
		{"2025-12-24", false}, // Christmas Eve is a working day
	}
	for _, tc := range tests {
		t.Run(tc.day, func(t *testing.T) {
			day, err := time.ParseInLocation(time.DateOnly, tc.day, loc)
			if err != nil {
				t.Fatalf("parse day: %v", err)
			}

			if got := holiday(day.Add(10 * time.Hour)); got != tc.want {
				t.Errorf("holiday(%s) = %v, want %v", tc.day, got, tc.want)
			}
		})
	}
}
