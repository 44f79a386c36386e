package server

import (
	"context"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/staff"
)

// refreshStats brings the rollups up to date, as the periodic job does.
func refreshStats(t *testing.T, svc *Service) {
	t.Helper()
	if _, err := svc.Stats.Refresh(context.Background(), false); err != nil {
		t.Fatalf("refresh stats: %v", err)
	}
}

// TestStatisticsRoleMatrix checks who sees the statistics: administrators,
// team leads and the statistics role do; agents get 404 as for a page that
// does not exist. The statistics role sees no ticket, no mail to citizens and
// no contact data anywhere.
func TestStatisticsRoleMatrix(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	pothole, _ := openRequest(t, svc, pool, citizen)
	refreshStats(t, svc)

	addStaff(t, svc, "anna@stadt.example.org", staff.RoleAgent, true)
	addStaff(t, svc, "stefan@stadt.example.org", staff.RoleStatistics, true)
	addStaff(t, svc, "lea@stadt.example.org", staff.RoleTeamLead, true)

	agent := newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, agent, "anna@stadt.example.org", agentPassword)
	for _, p := range []string{"/stats", "/stats/export/tickets.csv",
		"/stats/export/services.csv"} {
		wantStatus(t, agent.get(p), 404)
	}
	wantNoText(t, agent.get("/tickets"), `href="/stats"`)

	figures := newBrowser(t, svc.Backoffice.Fiber())
	res := enterPassword(t, figures, "stefan@stadt.example.org", agentPassword)
	wantStatus(t, res, 303)
	if done := enterCode(t, figures); done.location != "/stats" {
		t.Errorf("statistics role lands on %q after signing in, want /stats", done.location)
	}
	path := "/tickets/" + itoa(pothole)
	for _, p := range []string{"/tickets", path, path + "/letter.pdf", "/outbox"} {
		wantStatus(t, figures.get(p), 404)
	}
	if r := figures.get("/"); r.location != "/stats" {
		t.Errorf("/ sends the statistics role to %q, want /stats", r.location)
	}
	page := figures.get("/stats")
	wantStatus(t, page, 200)
	wantText(t, page, "Statistik", "Schlagloch", `href="/stats"`)
	wantNoText(t, page, "Maria Muster", "maria@example.org", "Bäckerei", `href="/tickets`,
		`href="/outbox"`)
	list := figures.get("/stats/export/tickets.csv")
	wantStatus(t, list, 200)
	wantNoText(t, list, "Maria Muster", "maria@example.org", "Bäckerei", "Hauptstraße")

	lead := newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, lead, "lea@stadt.example.org", agentPassword)
	wantStatus(t, lead.get("/stats"), 200)

	admin := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, admin)
	wantText(t, admin.get("/tickets"), `href="/stats"`)
	wantStatus(t, admin.get("/stats"), 200)
}

// TestDashboardShowsTheFigures checks the dashboard of one submitted report:
// the counts, the charts with their titles and tables, and that every filter
// is a URL that the page keeps.
func TestDashboardShowsTheFigures(t *testing.T) {
	svc, pool := newService(t)
	openRequest(t, svc, pool, newBrowser(t, svc.Portal.Fiber()))
	refreshStats(t, svc)
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, admin)

	page := admin.get("/stats?channel=web&by=week")
	wantStatus(t, page, 200)
	wantText(t, page, `<svg class="stats-chart"`, `role="img"`, `<title id="intake-t">`,
		`<desc id="intake-d">`, `<title id="backlog-t">`, `fill="url(#backlog-p1)"`,
		`<caption id="backlog-caption">`, "Eingang nach Leistung", "Schlagloch",
		`<option value="web" selected>`, `<option value="week" selected>`,
		`href="/stats/export/services.csv?by=week&amp;channel=web"`, "Arbeitslast der Teams")
	if strings.Contains(page.body, ` style="`) {
		t.Error("the dashboard has an inline style attribute, which the CSP forbids")
	}

	empty := admin.get("/stats?channel=phone")
	wantText(t, empty, "Keine Vorgänge in dieser Auswahl.")

	bad := admin.get("/stats?from=2026-13-01&to=2026-01-01")
	wantStatus(t, bad, 200)
	wantText(t, bad, `class="error-summary"`, `href="#from"`,
		"Bitte geben Sie ein gültiges Datum an", `value="2026-13-01"`, `aria-invalid="true"`)
	long := admin.get("/stats?from=2020-01-01&to=2026-01-01")
	wantText(t, long, "höchstens zwei Jahre")
	swapped := admin.get("/stats?from=2026-02-01&to=2026-01-01")
	wantText(t, swapped, "vor seinem Anfang")
}

// TestStatisticsExports checks the CSV files: formulas typed into a name come
// out defused, small counts of a narrow filter are hidden, and the ticket list
// is complete.
func TestStatisticsExports(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	openRequest(t, svc, pool, citizen)
	openRequest(t, svc, pool, citizen)
	_, err := pool.Exec(context.Background(), `UPDATE services
		SET name = jsonb_set(name, '{de}', to_jsonb($1::text))
		WHERE code = 'schlagloch'`, `=HYPERLINK("http://x.example")`)
	if err != nil {
		t.Fatal(err)
	}
	refreshStats(t, svc)
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, admin)

	all := admin.get("/stats/export/services.csv")
	wantStatus(t, all, 200)
	if ct := all.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q, want text/csv", ct)
	}
	wantText(t, all, `"'=HYPERLINK(""http://x.example"")",2,`)

	var id int64
	if err := pool.QueryRow(context.Background(),
		`SELECT id FROM services WHERE code = 'schlagloch'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	narrow := admin.get("/stats/export/services.csv?service=" + itoa(id))
	wantText(t, narrow, ",weniger als 5,")
	wantNoText(t, narrow, `",2,`)

	list := admin.get("/stats/export/tickets.csv")
	wantStatus(t, list, 200)
	lines := strings.Split(strings.TrimSpace(list.body), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "Aktenzeichen") {
		t.Errorf("ticket list has %d lines, want a header and 2 tickets:\n%s", len(lines), list.body)
	}
	if !strings.Contains(lines[1], ",schlagloch,tiefbau,web,received,") {
		t.Errorf("ticket row %q lacks service, team, channel and status", lines[1])
	}

	for _, table := range []string{"intake", "teams", "channels", "backlog", "answer-service",
		"answer-team", "workload"} {
		r := admin.get("/stats/export/" + table + ".csv")
		wantStatus(t, r, 200)
		if !strings.HasPrefix(r.body, "\uFEFF") || strings.Count(r.body, "\n") < 2 {
			t.Errorf("%s.csv = %q, want a header and rows", table, r.body)
		}
	}
	wantStatus(t, admin.get("/stats/export/nothing.csv"), 404)
}

// TestUnknownServiceCountsAll checks that a service the catalogue lacks is
// dropped from the filter, so that the form's "all" and the figures agree.
func TestUnknownServiceCountsAll(t *testing.T) {
	svc, pool := newService(t)
	openRequest(t, svc, pool, newBrowser(t, svc.Portal.Fiber()))
	refreshStats(t, svc)
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, admin)

	page := admin.get("/stats?service=999999&team=abc")
	wantStatus(t, page, 200)
	wantText(t, page, `<span class="stats-figure__value">1</span>`)
}
