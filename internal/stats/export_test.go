package stats_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/stats"
)

func TestCSVDefusesFormulas(t *testing.T) {
	cases := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1", "'+1"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"Schlagloch", "Schlagloch"},
		{"", ""},
	}
	for _, c := range cases {
		if got := stats.SafeCell(c.in); got != c.want {
			t.Errorf("SafeCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}

	var buf bytes.Buffer
	w, err := stats.NewCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Row("Dienst", "=1+1"); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "\uFEFFDienst,'=1+1\n" {
		t.Errorf("csv = %q", got)
	}
}

func TestSmallCountsInNarrowFilters(t *testing.T) {
	cases := []struct {
		n      int
		narrow bool
		want   string
	}{
		{0, true, "0"}, {1, true, "weniger als 5"}, {4, true, "weniger als 5"}, {5, true, "5"},
		{3, false, "3"},
	}
	for _, c := range cases {
		if got := stats.CountCell(c.n, c.narrow, "weniger als 5"); got != c.want {
			t.Errorf("CountCell(%d, %v) = %q, want %q", c.n, c.narrow, got, c.want)
		}
	}
}

func TestTicketListHoldsNoContent(t *testing.T) {
	s, _, _ := newStats(t)
	var rows []stats.TicketRow
	err := s.EachTicket(context.Background(), week(), func(r stats.TicketRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	if len(rows) != 6 {
		t.Fatalf("%d tickets listed, want 6", len(rows))
	}
	waiting := rows[2]
	if waiting.ResolveDays == nil || *waiting.ResolveDays < 0.999 || *waiting.ResolveDays > 1.001 {
		t.Errorf("ticket that waited two days: %v working days to resolution, want 1",
			waiting.ResolveDays)
	}
	if strings.Contains(rows[0].CaseNumber+rows[0].Service+rows[0].Team, "Mustermann") {
		t.Errorf("ticket row carries the contact: %+v", rows[0])
	}
}
