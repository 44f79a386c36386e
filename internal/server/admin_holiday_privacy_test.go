package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/changelog"
)

// TestConfiguredHolidayMovesDueDates adds a day off on the next working day:
// a ticket created afterwards is due one working day later than one created
// before, a restarted service still counts the day, and once removed it
// counts no more. A day that is no holiday cannot be taken away.
func TestConfiguredHolidayMovesDueDates(t *testing.T) {
	svc, pool := newService(t)
	admin := adminBrowser(t, svc, pool)
	citizen := newBrowser(t, svc.Portal.Fiber())
	cal := svc.Tickets.Calendar()

	day := time.Now().In(cal.Location()).AddDate(0, 0, 1)
	for !cal.WorkingDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	date := day.Format(time.DateOnly)

	before := dueOf(t, pool, submitPothole(t, citizen))

	page := admin.get("/admin/holidays")
	wantStatus(t, page, 200)
	wantText(t, page, "Reformationstag", "Buß- und Bettag", "Es sind keine Tage eingetragen.")
	res := admin.post("/admin/holidays", url.Values{"date": {date}, "kind": {"removed"}},
		csrf(t, page.body))
	wantStatus(t, res, 422)
	wantText(t, res, `href="#date"`, "kein gesetzlicher Feiertag", `value="`+date+`"`)

	res = admin.post("/admin/holidays", url.Values{"date": {date}, "kind": {"extra"},
		"name": {"Stadtfest"}}, csrf(t, res.body))
	wantStatus(t, res, 303)
	wantText(t, admin.get("/admin/holidays"), `data-day="`+date+`"`, "Stadtfest")

	after := dueOf(t, pool, submitPothole(t, citizen))
	if want := cal.Due(before, 1); !after.Equal(want) {
		t.Errorf("due after adding %s: %v; before: %v; want one working day later, %v",
			date, after, before, want)
	}

	restarted := buildService(t, pool)
	if !restarted.Tickets.Calendar().Holiday(day) {
		t.Errorf("a service started afterwards does not count %s as a day off", date)
	}

	page = admin.get("/admin/holidays")
	res = admin.post("/admin/holidays/"+date+"/remove", url.Values{}, csrf(t, page.body))
	wantStatus(t, res, 303)
	if !cal.WorkingDay(day) {
		t.Errorf("%s is still a day off after its removal", date)
	}

	wantChange(t, pool, "holiday.set holiday:"+date+" Clara Clerk")
	wantChange(t, pool, "holiday.delete holiday:"+date+" Clara Clerk")
}

func dueOf(t *testing.T, pool pgxQuerier, code string) time.Time {
	t.Helper()
	var due time.Time
	err := pool.QueryRow(context.Background(),
		`SELECT due_at FROM tickets WHERE tracking_code = $1`, code).Scan(&due)
	if err != nil {
		t.Fatalf("due date of %s: %v", code, err)
	}

	return due
}

// TestPrivacyTextsShowOnThePortal writes an English notice and page: the
// portal shows them in English, the shipped texts in German, and the shipped
// English page again once the text is emptied.
func TestPrivacyTextsShowOnThePortal(t *testing.T) {
	svc, pool := newService(t)
	admin := adminBrowser(t, svc, pool)
	citizen := newBrowser(t, svc.Portal.Fiber())

	page := admin.get("/admin/privacy")
	wantStatus(t, page, 200)
	long := strings.Repeat("x", 2001)
	res := admin.post("/admin/privacy", url.Values{"notice_en": {long}}, csrf(t, page.body))
	wantStatus(t, res, 422)
	wantText(t, res, `href="#notice_en"`, "höchstens 2000 Zeichen")

	res = admin.post("/admin/privacy", url.Values{
		"notice_en": {"We keep your request for two years."},
		"page_en":   {"The city keeps what you send.\r\n\r\nAsk the data protection officer."},
	}, csrf(t, res.body))
	wantStatus(t, res, 303)

	en := citizen.get("/privacy?lang=en")
	wantText(t, en, "<p class=\"kern-body\">The city keeps what you send.</p>",
		"<p class=\"kern-body\">Ask the data protection officer.</p>")
	wantNoText(t, en, "This page explains what we store")
	wantText(t, citizen.get("/services/schlagloch?lang=en"), "We keep your request for two years.")
	wantText(t, citizen.get("/privacy?lang=de"), "Hier erfahren Sie, welche Daten wir speichern")
	wantText(t, citizen.get("/services/schlagloch?lang=de"), "Wir speichern Ihre Angaben")

	page = admin.get("/admin/privacy")
	wantText(t, page, "Ask the data protection officer.")
	res = admin.post("/admin/privacy",
		url.Values{"notice_en": {"We keep your request for two years."}}, csrf(t, page.body))
	wantStatus(t, res, 303)
	wantText(t, citizen.get("/privacy?lang=en"), "This page explains what we store")
	wantChange(t, pool, "privacy.update privacy:page Clara Clerk")
	wantChange(t, pool, "privacy.update privacy:notice Clara Clerk")
}

// TestChangeLogPagesAndFilters shows the newest 50 changes first with a link
// to older ones, and only one kind when filtered, also a kind that another
// part of the product records.
func TestChangeLogPagesAndFilters(t *testing.T) {
	svc, pool := newService(t)
	ctx := context.Background()
	admin := adminBrowser(t, svc, pool)
	by := currentAdminID(t, pool)
	for i := 0; i < 55; i++ {
		err := changelog.Record(ctx, pool, changelog.Change{StaffID: by,
			Action: "service.update", Object: "service:" + itoa(int64(i))})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		err := changelog.Record(ctx, pool, changelog.Change{StaffID: by,
			Action: "team.update", Object: "team:" + itoa(int64(i))})
		if err != nil {
			t.Fatal(err)
		}
	}

	first := admin.get("/admin/changes")
	wantStatus(t, first, 200)
	if n := strings.Count(first.body, "data-change="); n != 50 {
		t.Errorf("the first page shows %d changes, want 50", n)
	}
	if strings.Index(first.body, "team:2") > strings.Index(first.body, "service:54") {
		t.Error("the newest change is not shown first")
	}
	next := nextLink(t, first.body)

	older := admin.get(next)
	if n := strings.Count(older.body, "data-change="); n != 8 {
		t.Errorf("the second page shows %d changes, want 8", n)
	}
	wantText(t, older, "service:0<")

	teams := admin.get("/admin/changes?kind=team")
	if n := strings.Count(teams.body, `data-change="team.update"`); n != 3 ||
		strings.Contains(teams.body, `data-change="service.update"`) {
		t.Errorf("the team filter shows %d team changes and others too:\n%s", n, teams.body)
	}
	wantText(t, teams, "Clara Clerk", "Team geändert")

	err := changelog.Record(ctx, pool, changelog.Change{StaffID: by,
		Action: "text_module.update", Object: "text_module:1"})
	if err != nil {
		t.Fatal(err)
	}
	other := admin.get("/admin/changes?kind=text_module")
	wantText(t, other, `<option value="text_module" selected>`, "text_module.update")
	if n := strings.Count(other.body, "data-change="); n != 1 {
		t.Errorf("the filter on a kind recorded elsewhere shows %d changes, want 1", n)
	}
}

func nextLink(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `href="/admin/changes?before=`)
	if i < 0 {
		t.Fatalf("the page has no link to older changes")
	}
	rest := body[i+len(`href="`):]

	return strings.ReplaceAll(rest[:strings.IndexByte(rest, '"')], "&amp;", "&")
}
