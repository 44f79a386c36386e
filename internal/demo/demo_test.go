package demo_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/demo"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

func TestMain(m *testing.M) {
	dbtest.Main(m)
}

// testNow lies in March, so that the two years before it reach into three
// calendar years and over two turns of the case number sequences.
var testNow = time.Date(2026, time.March, 10, 14, 30, 0, 0, time.UTC)

const testCount = 2000

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load time zone: %v", err)
	}

	return loc
}

func load(t testing.TB, pool *pgxpool.Pool, count int, seed int64) demo.Result {
	t.Helper()
	res, err := demo.Tickets(context.Background(), pool, demo.Options{
		Count: count, Now: testNow, Location: berlin(t), Seed: seed,
		AccessKey: []byte("0123456789abcdef0123456789abcdef"),
	})
	if err != nil {
		t.Fatalf("load %d tickets: %v", count, err)
	}

	return res
}

// row is a ticket as the tests read it back.
type row struct {
	ID           int64      `db:"id"`
	CaseNumber   string     `db:"case_number"`
	Code         string     `db:"tracking_code"`
	ServiceCode  string     `db:"service_code"`
	TeamID       int64      `db:"team_id"`
	AssigneeID   *int64     `db:"assignee_id"`
	Status       string     `db:"status"`
	Channel      string     `db:"channel"`
	Language     string     `db:"language"`
	Subject      string     `db:"subject"`
	Fields       jsonFields `db:"fields"`
	ContactName  string     `db:"contact_name"`
	ContactEmail string     `db:"contact_email"`
	DueAt        *time.Time `db:"due_at"`
	FirstAnswer  *time.Time `db:"first_answer_at"`
	ResolvedAt   *time.Time `db:"resolved_at"`
	ClosedAt     *time.Time `db:"closed_at"`
	CreatedAt    time.Time  `db:"created_at"`
	UpdatedAt    time.Time  `db:"updated_at"`
	Version      int32      `db:"version"`
}

type jsonFields = map[string]string

const ticketsSQL = `
SELECT t.id, t.case_number, t.tracking_code, s.code AS service_code, t.team_id,
	t.assignee_id, t.status, t.channel, t.language, t.subject, t.fields, t.contact_name,
	t.contact_email, t.due_at, t.first_answer_at, t.resolved_at, t.closed_at, t.created_at,
	t.updated_at, t.version
FROM tickets t
JOIN services s ON s.id = t.service_id
ORDER BY t.id`

func readTickets(t *testing.T, pool *pgxpool.Pool) []row {
	t.Helper()
	rows, err := pool.Query(context.Background(), ticketsSQL)
	if err != nil {
		t.Fatalf("read tickets: %v", err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		t.Fatalf("read tickets: %v", err)
	}

	return list
}

// event is an event as the tests read it back.
type event struct {
	TicketID int64     `db:"ticket_id"`
	Kind     string    `db:"kind"`
	ActorID  *int64    `db:"actor_id"`
	Old      string    `db:"old_value"`
	New      string    `db:"new_value"`
	Note     string    `db:"public_note"`
	At       time.Time `db:"created_at"`
}

const eventsSQL = `
SELECT ticket_id, kind, actor_id, old_value, new_value, public_note, created_at
FROM events
ORDER BY ticket_id, created_at, id`

func readEvents(t *testing.T, pool *pgxpool.Pool) map[int64][]event {
	t.Helper()
	rows, err := pool.Query(context.Background(), eventsSQL)
	if err != nil {
		t.Fatalf("read events: %v", err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[event])
	if err != nil {
		t.Fatalf("read events: %v", err)
	}

	byTicket := map[int64][]event{}
	for _, e := range list {
		byTicket[e.TicketID] = append(byTicket[e.TicketID], e)
	}

	return byTicket
}

func count(t *testing.T, pool *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("count %q: %v", query, err)
	}

	return n
}

func TestTickets(t *testing.T) {
	pool := dbtest.New(t)
	res := load(t, pool, testCount, 1)
	tickets := readTickets(t, pool)
	events := readEvents(t, pool)

	t.Run("counts", func(t *testing.T) { checkCounts(t, pool, res) })
	t.Run("case numbers", func(t *testing.T) { checkCaseNumbers(t, tickets, berlin(t)) })
	t.Run("tracking codes", func(t *testing.T) { checkCodes(t, tickets) })
	t.Run("created in the two years", func(t *testing.T) { checkWindow(t, pool, tickets) })
	t.Run("status history", func(t *testing.T) { checkHistories(t, tickets, events) })
	t.Run("ticket columns", func(t *testing.T) { checkColumns(t, pool, tickets, events) })
	t.Run("mix", func(t *testing.T) { checkMix(t, pool, tickets) })
	t.Run("shape", func(t *testing.T) { checkShape(t, tickets, berlin(t)) })
	t.Run("forms and contacts", func(t *testing.T) { checkForms(t, pool, tickets) })
	t.Run("live numbers continue", func(t *testing.T) { checkLiveNumbers(t, pool, tickets) })
	t.Run("clerks for empty teams", func(t *testing.T) { checkClerks(t, pool) })
}

// checkClerks checks that every team of a catalogue without staff got eight
// demo clerks led by one of them, and that tickets went to their own team's.
func checkClerks(t *testing.T, pool *pgxpool.Pool) {
	teams := count(t, pool, `SELECT count(*) FROM teams`)
	clerks := count(t, pool, `SELECT count(*) FROM staff
		WHERE email LIKE '%@demo.anliegen.invalid' AND totp_secret IS NULL`)
	if clerks != 8*teams {
		t.Errorf("%d demo clerks for %d teams, want 8 each", clerks, teams)
	}

	leads := count(t, pool, `SELECT count(*) FROM staff WHERE role = 'team_lead'`)
	if leads != teams {
		t.Errorf("%d team leads for %d teams, want one each", leads, teams)
	}

	foreign := count(t, pool, `SELECT count(*) FROM tickets t WHERE t.assignee_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM team_members m
			WHERE m.team_id = t.team_id AND m.staff_id = t.assignee_id)`)
	assigned := count(t, pool, `SELECT count(*) FROM tickets WHERE assignee_id IS NOT NULL`)
	if foreign != 0 || assigned == 0 {
		t.Errorf("%d tickets assigned, %d outside their team; want some and none", assigned,
			foreign)
	}

	kinds := count(t, pool, `SELECT count(DISTINCT kind) FROM events
		WHERE kind IN ('status', 'assignment', 'priority')`)
	if kinds != 3 {
		t.Errorf("events of %d of the kinds status, assignment, priority; want all", kinds)
	}
}

func checkCounts(t *testing.T, pool *pgxpool.Pool, res demo.Result) {
	want := demo.Result{
		Tickets:  count(t, pool, `SELECT count(*) FROM tickets`),
		Messages: count(t, pool, `SELECT count(*) FROM messages`),
		Events:   count(t, pool, `SELECT count(*) FROM events`),
	}
	if res != want || res.Tickets != testCount {
		t.Errorf("result %+v, database holds %+v, want %d tickets in both", res, want, testCount)
	}

	if per := float64(res.Events) / testCount; per < 3.5 || per > 7 {
		t.Errorf("%.2f events per ticket, want about 5", per)
	}

	if per := float64(res.Messages) / testCount; per < 1.5 || per > 4 {
		t.Errorf("%.2f messages per ticket, want about 2", per)
	}
}

var caseNumberPattern = regexp.MustCompile(`^([0-9]{4})-[0-9]{6}$`)

func checkCaseNumbers(t *testing.T, tickets []row, loc *time.Location) {
	seen := map[string]bool{}
	for _, tk := range tickets {
		m := caseNumberPattern.FindStringSubmatch(tk.CaseNumber)
		if m == nil {
			t.Fatalf("case number %q, want YYYY-NNNNNN", tk.CaseNumber)
		}

		if seen[tk.CaseNumber] {
			t.Fatalf("case number %s given twice", tk.CaseNumber)
		}
		seen[tk.CaseNumber] = true

		if year := strconv.Itoa(tk.CreatedAt.In(loc).Year()); m[1] != year {
			t.Fatalf("ticket created %s has case number %s, want the year %s",
				tk.CreatedAt.In(loc), tk.CaseNumber, year)
		}
	}
}

func checkCodes(t *testing.T, tickets []row) {
	seen := map[string]bool{}
	for _, tk := range tickets {
		c, err := tracking.ParseCode(tk.Code)
		if err != nil || c.Canonical() != tk.Code {
			t.Fatalf("tracking code %q does not read back as itself: %v", tk.Code, err)
		}

		if seen[tk.Code] {
			t.Fatalf("tracking code %s given twice", tk.Code)
		}
		seen[tk.Code] = true
	}
}

func checkWindow(t *testing.T, pool *pgxpool.Pool, tickets []row) {
	from := testNow.AddDate(-2, 0, 0)
	for _, tk := range tickets {
		if tk.CreatedAt.Before(from) || !tk.CreatedAt.Before(testNow) {
			t.Fatalf("ticket %s created %s, want within [%s, %s)",
				tk.CaseNumber, tk.CreatedAt, from, testNow)
		}
	}

	late := count(t, pool, `
SELECT (SELECT count(*) FROM events WHERE created_at >= $1)
	+ (SELECT count(*) FROM messages WHERE created_at >= $1)`, testNow)
	if late != 0 {
		t.Errorf("%d events and messages lie after now, want none", late)
	}

	early := count(t, pool, `
SELECT count(*)
FROM messages m
JOIN tickets t ON t.id = m.ticket_id
WHERE m.created_at < t.created_at`)
	if early != 0 {
		t.Errorf("%d messages were written before their ticket, want none", early)
	}
}

func checkHistories(t *testing.T, tickets []row, events map[int64][]event) {
	moved := map[ticket.Status]bool{}
	for _, tk := range tickets {
		list := events[tk.ID]
		if len(list) == 0 {
			t.Fatalf("ticket %s has no events", tk.CaseNumber)
		}

		first := list[0]
		if first.Kind != "status" || first.New != "received" || !first.At.Equal(tk.CreatedAt) {
			t.Fatalf("ticket %s starts with %s %q at %s, want the received status at %s",
				tk.CaseNumber, first.Kind, first.New, first.At, tk.CreatedAt)
		}

		last := checkMoves(t, tk, list)
		if last.New != tk.Status {
			t.Fatalf("ticket %s has status %s, its last status event says %s",
				tk.CaseNumber, tk.Status, last.New)
		}
		moved[ticket.Status(last.New)] = true

		if tk.Version != int32(len(list)) {
			t.Fatalf("ticket %s has version %d after %d events, want them equal",
				tk.CaseNumber, tk.Version, len(list))
		}
	}

	if len(moved) < 6 {
		t.Errorf("tickets end in %d statuses, want at least 6", len(moved))
	}
}

// checkMoves checks that every change of status follows an allowed move from
// the status before it, and returns the last status event.
func checkMoves(t *testing.T, tk row, list []event) event {
	t.Helper()
	last := list[0]
	for _, e := range list[1:] {
		if e.Kind != "status" {
			continue
		}

		from := ticket.Status(e.Old)
		if e.Old != last.New || !from.CanMoveTo(ticket.Status(e.New)) {
			t.Fatalf("ticket %s moves from %q to %q after being %q, want an allowed move",
				tk.CaseNumber, e.Old, e.New, last.New)
		}
		last = e
	}

	return last
}

func checkColumns(t *testing.T, pool *pgxpool.Pool, tickets []row, events map[int64][]event) {
	for _, tk := range tickets {
		checkClosing(t, tk, events[tk.ID])
	}

	checks := []struct{ name, query string }{
		{"first_answer_at is the first letter to the citizen", `
SELECT count(*) FROM tickets t
WHERE t.first_answer_at IS DISTINCT FROM (
	SELECT min(m.created_at) FROM messages m
	WHERE m.ticket_id = t.id AND m.kind = 'to_citizen')`},
		{"updated_at is the last event or message", `
SELECT count(*) FROM tickets t
WHERE t.updated_at <> greatest(
	(SELECT max(e.created_at) FROM events e WHERE e.ticket_id = t.id),
	(SELECT max(m.created_at) FROM messages m WHERE m.ticket_id = t.id))`},
		{"the citizen's message opens the ticket", `
SELECT count(*) FROM tickets t
WHERE NOT EXISTS (
	SELECT 1 FROM messages m
	WHERE m.ticket_id = t.id AND m.kind = 'from_citizen' AND m.created_at = t.created_at)`},
		{"due_at is sla_days after creation", `
SELECT count(*) FROM tickets t
JOIN services s ON s.id = t.service_id
WHERE t.due_at IS DISTINCT FROM ((t.created_at AT TIME ZONE 'Europe/Berlin')
	+ make_interval(days => s.sla_days)) AT TIME ZONE 'Europe/Berlin'`},
	}
	for _, c := range checks {
		if n := count(t, pool, c.query); n != 0 {
			t.Errorf("%s: %d tickets differ", c.name, n)
		}
	}

	notes := count(t, pool, `SELECT count(*) FROM events WHERE public_note <> ''`)
	if notes < len(tickets)/10 {
		t.Errorf("%d status changes carry a public note, want some in ten tickets", notes)
	}
}

// checkClosing checks closed_at and resolved_at against the ticket's events.
func checkClosing(t *testing.T, tk row, list []event) {
	t.Helper()
	terminal := ticket.Status(tk.Status).Terminal()
	if terminal != (tk.ClosedAt != nil) {
		t.Fatalf("ticket %s in %s has closed_at %v", tk.CaseNumber, tk.Status, tk.ClosedAt)
	}

	if terminal && !tk.ClosedAt.Equal(lastStatusAt(list)) {
		t.Fatalf("ticket %s closed_at %s, want its last status change %s",
			tk.CaseNumber, tk.ClosedAt, lastStatusAt(list))
	}

	if tk.Status == "resolved" && tk.ResolvedAt == nil {
		t.Fatalf("resolved ticket %s has no resolved_at", tk.CaseNumber)
	}
}

func lastStatusAt(list []event) time.Time {
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Kind == "status" {
			return list[i].At
		}
	}

	return time.Time{}
}

func checkMix(t *testing.T, pool *pgxpool.Pool, tickets []row) {
	channels, languages, services := map[string]int{}, map[string]int{}, map[string]int{}
	for _, tk := range tickets {
		channels[tk.Channel]++
		languages[tk.Language]++
		services[tk.ServiceCode]++
	}

	if len(channels) < 5 {
		t.Errorf("channels %v, want at least 5 of them", channels)
	}

	if share := float64(channels["web"]) / testCount; share < 0.5 || share > 0.7 {
		t.Errorf("%.0f %% of tickets came by web, want about 60 %%", share*100)
	}

	if len(languages) < 5 {
		t.Errorf("languages %v, want at least 5 of them", languages)
	}

	if share := float64(languages["de"]) / testCount; share < 0.75 || share > 0.95 {
		t.Errorf("%.0f %% of tickets are in German, want most but not all", share*100)
	}

	for _, code := range activeServices(t, pool) {
		if services[code] == 0 {
			t.Errorf("tickets per service %v, want every active service, also %s",
				services, code)
		}
	}
}

func activeServices(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT code FROM services WHERE active`)
	if err != nil {
		t.Fatalf("list services: %v", err)
	}

	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("list services: %v", err)
	}

	if count(t, pool, `SELECT count(*) FROM services WHERE active AND NOT is_public`) == 0 {
		t.Fatal("the demo catalogue has no internal service, want one to check it is used")
	}

	return codes
}

// shape counts the tickets by what makes their spread over time realistic.
type shape struct {
	workdays, weekends, office, night, firstYear, secondYear   int
	old, oldOpen, recent, recentOpen, winterHoles, summerHoles int
}

func (s *shape) add(tk row, loc *time.Location) {
	at := tk.CreatedAt.In(loc)
	if wd := at.Weekday(); wd == time.Saturday || wd == time.Sunday {
		s.weekends++
	} else {
		s.workdays++
	}

	switch h := at.Hour(); {
	case h >= 9 && h < 12:
		s.office++
	case h >= 1 && h < 4:
		s.night++
	}

	if at.Before(testNow.AddDate(-1, 0, 0)) {
		s.firstYear++
	} else {
		s.secondYear++
	}

	open := oneIf(!ticket.Status(tk.Status).Terminal())
	switch age := testNow.Sub(tk.CreatedAt); {
	case age > 90*24*time.Hour:
		s.old, s.oldOpen = s.old+1, s.oldOpen+open
	case age < 7*24*time.Hour:
		s.recent, s.recentOpen = s.recent+1, s.recentOpen+open
	}

	if m := at.Month(); tk.ServiceCode == "schlagloch" {
		s.winterHoles += oneIf(m == time.February || m == time.March)
		s.summerHoles += oneIf(m == time.July || m == time.August)
	}
}

func checkShape(t *testing.T, tickets []row, loc *time.Location) {
	var s shape
	for _, tk := range tickets {
		s.add(tk, loc)
	}

	// Per day: 5 working days a week against 2 weekend days.
	if s.workdays*2 < 2*s.weekends*5 {
		t.Errorf("%d tickets on weekdays and %d at weekends, want weekdays at least twice"+
			" as busy per day", s.workdays, s.weekends)
	}

	if s.office < 10*s.night {
		t.Errorf("%d tickets from 9 to 12 o'clock and %d from 1 to 4 at night, want the"+
			" morning ten times as busy", s.office, s.night)
	}

	if s.secondYear <= s.firstYear {
		t.Errorf("%d tickets in the first year and %d in the second, want a rising trend",
			s.firstYear, s.secondYear)
	}

	if s.oldOpen*20 > s.old || s.recentOpen*3 < s.recent {
		t.Errorf("open: %d of %d older than 90 days, %d of %d from the last week; want"+
			" old ones mostly finished and many recent ones open", s.oldOpen, s.old,
			s.recentOpen, s.recent)
	}

	if s.winterHoles < 2*s.summerHoles {
		t.Errorf("%d potholes in February and March, %d in July and August, want late"+
			" winter at least twice as many", s.winterHoles, s.summerHoles)
	}
}

func oneIf(b bool) int {
	if b {
		return 1
	}

	return 0
}

func checkForms(t *testing.T, pool *pgxpool.Pool, tickets []row) {
	store := catalog.NewStore(pool)
	forms := map[string]catalog.Service{}
	anonymous := 0
	for _, tk := range tickets {
		svc, ok := forms[tk.ServiceCode]
		if !ok {
			var err error
			if svc, err = store.ServiceByCode(context.Background(), tk.ServiceCode); err != nil {
				t.Fatalf("get service %s: %v", tk.ServiceCode, err)
			}
			forms[tk.ServiceCode] = svc
		}

		checkFields(t, tk, svc.Form)
		if tk.ContactName == "" {
			anonymous++
			if !svc.AllowAnonymous {
				t.Fatalf("ticket %s for %s is anonymous, which the service does not allow",
					tk.CaseNumber, svc.Code)
			}
		}

		at := strings.LastIndexByte(tk.ContactEmail, '@')
		if domain := tk.ContactEmail[at+1:]; tk.ContactEmail != "" &&
			domain != "example.org" && domain != "example.com" {
			t.Fatalf("contact address %q, want one under example.org or example.com",
				tk.ContactEmail)
		}
	}

	if anonymous == 0 || anonymous > testCount/4 {
		t.Errorf("%d anonymous tickets, want some", anonymous)
	}
}

// checkFields checks a ticket's answers the way the portal validates a form,
// submitting an address as its free-text part and ticked options one by one.
func checkFields(t *testing.T, tk row, form []catalog.Field) {
	t.Helper()
	types := map[string]string{}
	for _, f := range form {
		types[f.Code] = f.Type
	}

	values := func(key string) []string {
		if base, ok := strings.CutSuffix(key, "_"+catalog.AddressText); ok &&
			types[base] == catalog.FieldAddress {
			return []string{tk.Fields[base]}
		}

		if types[key] == catalog.FieldMulti {
			return strings.Split(tk.Fields[key], ",")
		}

		return []string{tk.Fields[key]}
	}

	answers, errs := catalog.ValidateAll(form, values)
	if len(errs) > 0 {
		t.Fatalf("ticket %s has answers %v that the form rejects: %v",
			tk.CaseNumber, tk.Fields, errs)
	}

	if len(answers) != len(tk.Fields) || tk.Subject == "" {
		t.Fatalf("ticket %s has subject %q and answers %v, want a subject and only the"+
			" form's fields", tk.CaseNumber, tk.Subject, tk.Fields)
	}
}

func checkLiveNumbers(t *testing.T, pool *pgxpool.Pool, tickets []row) {
	highest := map[int]int{testNow.Year(): 0}
	used := map[string]bool{}
	for _, tk := range tickets {
		used[tk.CaseNumber] = true
		year, _ := strconv.Atoi(tk.CaseNumber[:4])
		n, _ := strconv.Atoi(tk.CaseNumber[5:])
		highest[year] = max(highest[year], n)
	}

	if len(highest) != 3 {
		t.Errorf("case numbers of years %v, want the three years the tickets span", highest)
	}

	for year, top := range highest {
		var live string
		err := pool.QueryRow(context.Background(), `SELECT next_case_number($1)`, year).
			Scan(&live)
		if err != nil {
			t.Fatalf("next case number of %d: %v", year, err)
		}

		n, _ := strconv.Atoi(live[5:])
		if used[live] || n <= top {
			t.Errorf("live submission got %s, want a number after the demo's %d-%06d",
				live, year, top)
		}
	}
}

const insertStaffSQL = `
INSERT INTO staff (email, name, role, password_hash)
VALUES ($1, $2, $3, 'not a hash')
RETURNING id`

func addStaff(t *testing.T, pool *pgxpool.Pool, email, role string, teams ...int64) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := pool.QueryRow(ctx, insertStaffSQL, email, email, role).Scan(&id); err != nil {
		t.Fatalf("add staff %s: %v", email, err)
	}

	for _, team := range teams {
		_, err := pool.Exec(ctx, `INSERT INTO team_members (team_id, staff_id) VALUES ($1, $2)`,
			team, id)
		if err != nil {
			t.Fatalf("add %s to team %d: %v", email, team, err)
		}
	}

	return id
}

// staffed returns a database with the demo catalogue and staff: two in the
// road team, one in no team and a statistics account that never works tickets.
func staffed(t *testing.T) (*pgxpool.Pool, map[int64]bool, int64) {
	pool := dbtest.New(t)
	if _, err := catalog.NewStore(pool).LoadDemo(context.Background()); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	var tiefbau int64
	err := pool.QueryRow(context.Background(), `SELECT id FROM teams WHERE slug = 'tiefbau'`).
		Scan(&tiefbau)
	if err != nil {
		t.Fatalf("find team: %v", err)
	}

	road := map[int64]bool{
		addStaff(t, pool, "a@example.org", "agent", tiefbau):     true,
		addStaff(t, pool, "b@example.org", "team_lead", tiefbau): true,
	}
	addStaff(t, pool, "c@example.org", "agent")

	return pool, road, addStaff(t, pool, "d@example.org", "statistics")
}

func TestTicketsWithStaff(t *testing.T) {
	pool, road, counter := staffed(t)
	res := load(t, pool, 500, 3)
	events := readEvents(t, pool)
	worked, assigned := 0, 0
	for _, tk := range readTickets(t, pool) {
		list := events[tk.ID]
		if list[0].ActorID != nil {
			t.Fatalf("ticket %s was received by staff %d, want the citizen", tk.CaseNumber,
				*list[0].ActorID)
		}

		checkActors(t, tk, list, counter)
		if tk.Status == "received" {
			continue
		}

		worked++
		if tk.AssigneeID == nil {
			continue
		}

		assigned++
		if tk.ServiceCode == "schlagloch" && !road[*tk.AssigneeID] {
			t.Fatalf("pothole %s assigned to %d, want a member of the road team",
				tk.CaseNumber, *tk.AssigneeID)
		}
	}

	if assigned*10 < worked*7 {
		t.Errorf("%d of %d worked tickets assigned, want most", assigned, worked)
	}

	if per := float64(res.Events) / float64(res.Tickets); per < 4 || per > 7 {
		t.Errorf("%.2f events per ticket, want about 5", per)
	}
}

// checkActors checks that the statistics account never acts and that the last
// assignment names the assignee.
func checkActors(t *testing.T, tk row, list []event, counter int64) {
	t.Helper()
	assignee := ""
	for _, e := range list {
		if e.ActorID != nil && *e.ActorID == counter {
			t.Fatalf("ticket %s: the statistics account made a %s change", tk.CaseNumber, e.Kind)
		}

		if e.Kind == "assignment" {
			assignee = e.New
		}
	}

	want := ""
	if tk.AssigneeID != nil {
		want = strconv.FormatInt(*tk.AssigneeID, 10)
	}
	if assignee != want {
		t.Fatalf("ticket %s assigned to %q, its last assignment event says %q",
			tk.CaseNumber, want, assignee)
	}
}

func TestTicketsSameSeedSameTickets(t *testing.T) {
	summary := func(seed int64) []string {
		pool := dbtest.New(t)
		load(t, pool, 300, seed)

		var out []string
		for _, tk := range readTickets(t, pool) {
			out = append(out, strings.Join([]string{tk.CreatedAt.UTC().String(), tk.ServiceCode,
				tk.Status, tk.Subject, tk.Channel, tk.Language, tk.ContactName,
				strconv.Itoa(int(tk.Version))}, "|"))
		}

		return out
	}

	first, again, other := summary(7), summary(7), summary(8)
	if strings.Join(first, "\n") != strings.Join(again, "\n") {
		t.Error("two runs with seed 7 made different tickets, want the same")
	}

	if strings.Join(first, "\n") == strings.Join(other, "\n") {
		t.Error("seeds 7 and 8 made the same tickets, want different ones")
	}
}

// customForm is a form with a field of every type.
func customForm() []catalog.Field {
	label := catalog.Texts{"de": "Feld"}
	choices := func(keys ...string) []catalog.Option {
		var opts []catalog.Option
		for _, k := range keys {
			opts = append(opts, catalog.Option{Key: k, Label: label})
		}
		return opts
	}

	return []catalog.Field{
		{Code: "hinweis", Type: catalog.FieldInfo, Label: label},
		{Code: "baum", Type: catalog.FieldText, Required: true, Label: label, MaxLength: 12},
		{Code: "anzahl", Type: catalog.FieldNumber, Label: label},
		{Code: "seit", Type: catalog.FieldDate, Required: true, Label: label},
		{Code: "mail", Type: catalog.FieldEmail, Label: label},
		{Code: "telefon", Type: catalog.FieldPhone, Label: label},
		{Code: "art", Type: catalog.FieldChoice, Required: true, Label: label,
			Options: choices("ast", "wurzel")},
		{Code: "gefahr", Type: catalog.FieldYesNo, Label: label},
		{Code: "ort", Type: catalog.FieldAddress, Required: true, Label: label},
		{Code: "betrifft", Type: catalog.FieldMulti, Required: true, Label: label,
			Options: choices("gehweg", "fahrbahn", "spielplatz")},
		{Code: "foto", Type: catalog.FieldFile, Label: label},
	}
}

func TestTicketsUseAnyCatalogue(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	store := catalog.NewStore(pool)
	team, err := store.CreateTeam(ctx, catalog.Team{
		Slug: "gruen", Name: catalog.Texts{"de": "Grünflächenamt"},
	})
	if err != nil {
		t.Fatalf("create team: %v", err)
	}

	form := customForm()
	svc, err := store.CreateService(ctx, catalog.Service{
		Code: "baumschaden", TeamID: team.ID, Name: catalog.Texts{"de": "Baumschaden"},
		Form: form, Public: true,
	})
	if err != nil {
		t.Fatalf("create service: %v", err)
	}

	load(t, pool, 200, 5)
	for _, tk := range readTickets(t, pool) {
		if tk.ServiceCode != svc.Code || tk.DueAt != nil {
			t.Fatalf("ticket %s for %s due %v, want only the one service, with no SLA",
				tk.CaseNumber, tk.ServiceCode, tk.DueAt)
		}
		checkFields(t, tk, form)
	}
}

func TestTicketsRejectsBadOptions(t *testing.T) {
	key := []byte("key")
	tests := []struct {
		name string
		opts demo.Options
	}{
		{"no tickets", demo.Options{Count: 0, AccessKey: key}},
		{"too many tickets", demo.Options{Count: demo.MaxCount + 1, AccessKey: key}},
		{"no access key", demo.Options{Count: 10}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := demo.Tickets(context.Background(), nil, tc.opts); err == nil {
				t.Error("loaded tickets, want an error")
			}
		})
	}
}

// BenchmarkTickets loads 10,000 tickets per round into one database.
func BenchmarkTickets(b *testing.B) {
	const perRound = 10_000
	pool := dbtest.New(b)
	load(b, pool, 1, 1)

	rounds := 0
	for b.Loop() {
		load(b, pool, perRound, int64(rounds))
		rounds++
	}

	b.ReportMetric(float64(rounds*perRound)/b.Elapsed().Seconds(), "tickets/s")
}
