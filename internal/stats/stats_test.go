package stats_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/stats"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var berlin, _ = time.LoadLocation("Europe/Berlin")

// at returns a moment of June 2026 in Berlin: day of the month, hour, minute.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, time.June, day, hour, minute, 0, 0, berlin)
}

// testTicket is a ticket of the known set, with its status events.
type testTicket struct {
	service     string
	channel     string
	status      string
	created     time.Time
	answered    *time.Time
	resolved    *time.Time
	due         *time.Time
	answerDue   *time.Time
	assigned    bool
	score       int
	events      [][3]any // old status, new status, when
	mergedIntoP bool     // merged into the ticket before it
}

func ptr(t time.Time) *time.Time { return &t }

// knownTickets is the set the figures are checked against; see each figure's
// test for what it expects. All days lie in June 2026, far from a change of
// clocks: 8 to 12 June are working days, 13 and 14 a weekend.
func knownTickets() []testTicket {
	return []testTicket{
		{service: "schlagloch", channel: "web", status: "closed", created: at(3, 10, 0)},
		{service: "schlagloch", channel: "web", status: "closed", created: at(8, 10, 0),
			answered: ptr(at(8, 16, 0)), resolved: ptr(at(9, 10, 0)), due: ptr(at(10, 23, 59)),
			answerDue: ptr(at(9, 23, 59)), score: 5},
		{service: "schlagloch", channel: "email", status: "resolved", created: at(8, 10, 0),
			answered: ptr(at(10, 10, 0)), resolved: ptr(at(11, 10, 0)), due: ptr(at(10, 23, 59)),
			score: 3},
		{service: "schlagloch", channel: "web", status: "in_progress", created: at(9, 9, 0),
			answered: ptr(at(9, 12, 0)), resolved: ptr(at(12, 9, 0)), due: ptr(at(20, 23, 59)),
			assigned: true, events: [][3]any{
				{"received", "waiting_for_citizen", at(9, 12, 0)},
				{"waiting_for_citizen", "in_progress", at(11, 12, 0)},
				{"in_progress", "resolved", at(12, 9, 0)},
				{"resolved", "in_progress", at(15, 10, 0)},
			}},
		{service: "illegale-ablagerung", channel: "phone", status: "received",
			created: at(10, 10, 0), due: ptr(at(12, 23, 59)), answerDue: ptr(at(11, 23, 59))},
		{service: "illegale-ablagerung", channel: "web", status: "resolved",
			created: at(13, 10, 0), answered: ptr(at(15, 6, 0)), resolved: ptr(at(15, 12, 0))},
		{service: "illegale-ablagerung", channel: "web", status: "merged", created: at(14, 11, 0),
			mergedIntoP: true},
	}
}

// seed stores the tickets and returns the IDs of the services and teams by
// code and slug.
func seed(t *testing.T, pool *pgxpool.Pool, tickets []testTicket) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	cat := catalog.NewStore(pool)
	if _, err := cat.LoadDemo(ctx); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	ids := map[string]int64{}
	rows, err := pool.Query(ctx, `SELECT code, id FROM services UNION ALL
		SELECT 'team:' || slug, id FROM teams`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			t.Fatal(err)
		}
		ids[k] = id
	}

	var staffID int64
	err = pool.QueryRow(ctx, `INSERT INTO staff (email, name, role, password_hash)
		VALUES ('a@stadt.example.org', 'A', 'agent', 'x') RETURNING id`).Scan(&staffID)
	if err != nil {
		t.Fatal(err)
	}

	var last int64
	for i, tk := range tickets {
		last = insertTicket(t, pool, i, tk, staffID, last)
	}

	return ids
}

func insertTicket(
	t *testing.T,
	pool *pgxpool.Pool,
	i int,
	tk testTicket,
	staffID, prev int64,
) int64 {
	t.Helper()
	ctx := context.Background()
	hash := make([]byte, 32)
	_, _ = rand.Read(hash)
	var assignee, merged *int64
	if tk.assigned {
		assignee = &staffID
	}
	if tk.mergedIntoP {
		merged = &prev
	}

	var id int64
	err := pool.QueryRow(ctx, `
		INSERT INTO tickets (case_number, tracking_code, access_hash, service_id, team_id,
			assignee_id, status, channel, language, created_at, updated_at, first_answer_at,
			resolved_at, due_at, first_answer_due_at, merged_into_id, contact_name)
		SELECT $1, $2, $3, s.id, s.team_id, $4, $5, $6, 'de', $7, $7, $8, $9, $10, $11, $12,
			'Erika Mustermann'
		FROM services s WHERE s.code = $13
		RETURNING id`,
		fmt.Sprintf("2026-%06d", i+1), fmt.Sprintf("TESTCODE%09d", i), hash, assignee,
		tk.status, tk.channel, tk.created, tk.answered, tk.resolved, tk.due, tk.answerDue, merged,
		tk.service).Scan(&id)
	if err != nil {
		t.Fatalf("insert ticket %d: %v", i, err)
	}

	for _, e := range tk.events {
		_, err := pool.Exec(ctx, `INSERT INTO events (ticket_id, kind, old_value, new_value,
			created_at) VALUES ($1, 'status', $2, $3, $4)`, id, e[0], e[1], e[2])
		if err != nil {
			t.Fatal(err)
		}
	}

	if tk.score > 0 {
		_, err := pool.Exec(ctx, `INSERT INTO feedback (ticket_id, score, comment)
			VALUES ($1, $2, 'Danke')`, id, tk.score)
		if err != nil {
			t.Fatal(err)
		}
	}

	return id
}

func newStats(t *testing.T) (*stats.Store, *pgxpool.Pool, map[string]int64) {
	t.Helper()
	pool := dbtest.New(t)
	ids := seed(t, pool, knownTickets())
	s := stats.NewStore(pool, berlin)
	s.SetClock(func() time.Time { return at(30, 12, 0) })
	if _, err := s.Refresh(context.Background(), false); err != nil {
		t.Fatalf("refresh: %v", err)
	}

	return s, pool, ids
}

func week() stats.Filter {
	return stats.Filter{From: at(8, 0, 0), To: at(15, 0, 0)}
}

func wantInt(t *testing.T, name string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d", name, got, want)
	}
}

func wantDays(t *testing.T, name string, h *stats.Histogram, p, want float64) {
	t.Helper()
	got, ok := h.Percentile(p)
	if !ok || math.Abs(got-want) > 1e-9 {
		t.Errorf("%s p%.0f = %v (%v), want %v", name, p*100, got, ok, want)
	}
}

func TestFiguresOfKnownTickets(t *testing.T) {
	s, _, ids := newStats(t)
	d, err := s.Dashboard(context.Background(), week())
	if err != nil {
		t.Fatal(err)
	}

	wantInt(t, "intake", d.Total.Intake, 6)
	wantInt(t, "previous intake", d.PreviousTotal.Intake, 1)
	if fmt.Sprint(d.Intake) != "[2 1 1 0 0 1 1]" {
		t.Errorf("intake per day = %v, want [2 1 1 0 0 1 1]", d.Intake)
	}
	if fmt.Sprint(d.PreviousIntake) != "[0 0 1 0 0 0 0]" {
		t.Errorf("previous intake per day = %v, want [0 0 1 0 0 0 0]", d.PreviousIntake)
	}

	channels := map[string]int{}
	for _, g := range d.ByChannel {
		channels[g.Channel] = g.Current.Intake
	}
	if fmt.Sprint(channels) != "map[email:1 phone:1 web:4]" {
		t.Errorf("intake by channel = %v", channels)
	}

	wantInt(t, "reopened", d.Total.Reopened, 1)
	wantInt(t, "merged", d.Total.Merged, 1)
	wantInt(t, "resolution targets known", d.Total.ResolveDue, 4)
	wantInt(t, "resolutions within target", d.Total.ResolveMet, 2)
	wantInt(t, "first-answer targets known", d.Total.AnswerDue, 2)
	wantInt(t, "first answers within target", d.Total.AnswerMet, 1)
	if score, ok := d.Total.Satisfaction(); !ok || score != 4 || d.Total.Feedback != 2 {
		t.Errorf("satisfaction = %v from %d answers, want 4 from 2", score, d.Total.Feedback)
	}

	wantDays(t, "first answer", &d.TimesAll.Answer, 0.5, 0.2)
	wantDays(t, "first answer", &d.TimesAll.Answer, 0.9, 2.0)
	wantDays(t, "resolution", &d.TimesAll.Resolve, 0.5, 1.0)
	wantDays(t, "resolution", &d.TimesAll.Resolve, 0.9, 3.0)
	pothole := d.TimesByService[ids["schlagloch"]]
	wantDays(t, "pothole resolution", &pothole.Resolve, 0.5, 1.0)
	wantDays(t, "pothole resolution", &pothole.Resolve, 0.9, 3.0)
	waste := d.TimesByTeam[ids["team:stadtreinigung"]]
	wantDays(t, "street cleaning resolution", &waste.Resolve, 0.5, 0.5)
}

func TestBacklogAndWorkload(t *testing.T) {
	s, _, ids := newStats(t)
	d, err := s.Dashboard(context.Background(), week())
	if err != nil {
		t.Fatal(err)
	}

	got := map[string][4]int{}
	for _, b := range d.Backlog {
		if b.Total() > 0 {
			got[b.Status] = b.Ages
		}
	}
	if fmt.Sprint(got) != "map[in_progress:[0 0 1 0] received:[0 0 1 0]]" {
		t.Errorf("backlog = %v", got)
	}

	load := map[int64]stats.Workload{}
	for _, w := range d.Workload {
		load[w.TeamID] = w
	}
	road, waste := load[ids["team:tiefbau"]], load[ids["team:stadtreinigung"]]
	if road.Open != 1 || road.Assigned != 1 || road.Overdue != 1 {
		t.Errorf("road works workload = %+v, want 1 open, 1 assigned, 1 overdue", road)
	}
	if waste.Open != 1 || waste.Assigned != 0 || waste.Overdue != 1 {
		t.Errorf("street cleaning workload = %+v, want 1 open, 0 assigned, 1 overdue", waste)
	}
}

func TestFiltersNarrowEveryFigure(t *testing.T) {
	s, _, ids := newStats(t)
	f := week()
	f.Channel = "web"
	f.ServiceID = ids["illegale-ablagerung"]
	d, err := s.Dashboard(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}

	wantInt(t, "intake", d.Total.Intake, 2)
	wantInt(t, "merged", d.Total.Merged, 1)
	wantInt(t, "resolutions", d.TimesAll.Resolve.N(), 1)
	for _, b := range d.Backlog {
		wantInt(t, "backlog "+b.Status, b.Total(), 0)
	}

	f = week()
	f.TeamID = ids["team:tiefbau"]
	if d, err = s.Dashboard(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	wantInt(t, "road works intake", d.Total.Intake, 3)
	wantInt(t, "road works first answers", d.TimesAll.Answer.N(), 3)
}

func TestSchedules(t *testing.T) {
	monthly := stats.Schedule{Loc: berlin, Hour: 6, Monthly: true}
	july := time.Date(2026, time.July, 1, 6, 0, 0, 0, berlin)
	if got := monthly.Next(at(30, 12, 0)); !got.Equal(july) {
		t.Errorf("monthly report after 30 June: %v, want 1 July 06:00", got)
	}
	daily := stats.Schedule{Loc: berlin, Hour: 3}
	if got := daily.Next(at(30, 2, 0)); !got.Equal(at(30, 3, 0)) {
		t.Errorf("nightly recount at 02:00: %v, want 03:00 the same day", got)
	}
	if got := stats.PreviousMonth(at(1, 6, 0), berlin); got != "2026-05" {
		t.Errorf("report on 1 June covers %s, want 2026-05", got)
	}
}

// TestWholeMonthsComeFromTheMonthlySums checks that a period of whole months,
// read from the monthly sums, and one with days around a month count alike.
func TestWholeMonthsComeFromTheMonthlySums(t *testing.T) {
	s, _, _ := newStats(t)
	june := time.Date(2026, time.June, 1, 0, 0, 0, 0, berlin)
	for _, f := range []stats.Filter{
		{From: june, To: june.AddDate(0, 1, 0)},
		{From: june.AddDate(0, 0, -10), To: june.AddDate(0, 1, 10)},
	} {
		d, err := s.Dashboard(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		wantInt(t, "resolutions", d.TimesAll.Resolve.N(), 4)
		wantInt(t, "first answers", d.TimesAll.Answer.N(), 4)
		wantDays(t, "resolution", &d.TimesAll.Resolve, 0.9, 3.0)
	}
}
