package server

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/tracking"
)

// desk is a signed-in member's browser on the back office, posting the
// ticket forms with the version and CSRF token of the page just read.
type desk struct {
	t    *testing.T
	b    *browser
	pool *pgxpool.Pool
}

func adminDesk(t *testing.T, svc *Service, pool *pgxpool.Pool) desk {
	t.Helper()
	b := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, b)

	return desk{t: t, b: b, pool: pool}
}

// act posts form to the action of ticket id, as the ticket page would.
func (d desk) act(id int64, action string, form url.Values) response {
	d.t.Helper()
	path := "/tickets/" + itoa(id)
	page := d.b.get(path)
	wantStatus(d.t, page, 200)
	form.Set("version", version(d.t, page))

	return d.b.post(path+"/"+action, form, csrf(d.t, page.body))
}

func scalarOf[T any](t *testing.T, pool *pgxpool.Pool, query string, args ...any) T {
	t.Helper()
	var v T
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(query), err)
	}

	return v
}

// textOf is the page's body with the markup's entities read, as a person reads
// it.
func textOf(r response) response {
	r.body = html.UnescapeString(r.body)
	return r
}

func TestChangeTeamLeavesTheAgentsScope(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, _ := openRequest(t, svc, pool, citizen)
	agent := addStaff(t, svc, agentEmail, staff.RoleAgent, true)
	joinTeam(t, pool, agent.ID, "tiefbau")

	b := newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, b, agentEmail, agentPassword)
	d := desk{t: t, b: b, pool: pool}
	wantStatus(t, d.act(id, "assign", url.Values{"assignee": {"me"}}), 303)

	same := d.act(id, "team", url.Values{"team": {teamID(t, pool, "tiefbau")}})
	wantStatus(t, same, 422)
	wantText(t, textOf(same), "Der Vorgang ist bereits so", `href="#team"`)

	moved := d.act(id, "team", url.Values{"team": {teamID(t, pool, "stadtreinigung")}})
	wantStatus(t, moved, 303)
	caseNumber := scalarOf[string](t, pool, "SELECT case_number FROM tickets WHERE id = $1", id)
	if moved.location != "/tickets?moved="+caseNumber {
		t.Fatalf("moved ticket went to %q, want the queue with a notice", moved.location)
	}
	wantText(t, b.get(moved.location), "Der Vorgang "+caseNumber+" gehört jetzt einem anderen Team")
	wantStatus(t, b.get("/tickets/"+itoa(id)), 404)

	assignee := scalarOf[*int64](t, pool, "SELECT assignee_id FROM tickets WHERE id = $1", id)
	if assignee != nil {
		t.Errorf("the agent, no member of the new team, still holds the ticket")
	}
	team := scalarOf[string](t, pool, `SELECT new_value FROM events
		WHERE ticket_id = $1 AND kind = 'team'`, id)
	if team != "Stadtreinigung" {
		t.Errorf("team event names %q, want Stadtreinigung", team)
	}

	admin := adminDesk(t, svc, pool)
	wantStatus(t, admin.act(id, "service", url.Values{
		"service": {serviceID(t, pool, "frage-buergerservice")}, "service_team": {""},
	}), 303)
	page := admin.b.get("/tickets/" + itoa(id))
	wantText(t, textOf(page), "Leistung: Schlagloch oder Straßenschaden → ",
		"Team: Stadtreinigung → Bürgerservice", "Hauptstraße 12",
		"Ein tiefes Loch vor der Bäckerei.")
	wantStatus(t, admin.act(id, "service", url.Values{"service": {"x"}}), 400)
}

func joinTeam(t *testing.T, pool *pgxpool.Pool, staffID int64, slug string) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `INSERT INTO team_members (team_id, staff_id)
		SELECT id, $1 FROM teams WHERE slug = $2`, staffID, slug)
	if err != nil {
		t.Fatal(err)
	}
}

func teamID(t *testing.T, pool *pgxpool.Pool, slug string) string {
	t.Helper()
	return itoa(scalarOf[int64](t, pool, "SELECT id FROM teams WHERE slug = $1", slug))
}

func serviceID(t *testing.T, pool *pgxpool.Pool, code string) string {
	t.Helper()
	return itoa(scalarOf[int64](t, pool, "SELECT id FROM services WHERE code = $1", code))
}

func TestForwardNamesTheBodyOnTheTrackingPage(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, code := openRequest(t, svc, pool, citizen)
	d := adminDesk(t, svc, pool)

	bad := d.act(id, "forward", url.Values{"fwd-body": {"Landesamt für Straßenbau"},
		"fwd-email": {"keine Adresse"}, "fwd-note": {"Bitte übernehmen."}, "fwd_files": {"1"}})
	wantStatus(t, bad, 422)
	wantText(t, textOf(bad), `href="#fwd-email"`, `id="fwd-email-error"`,
		"eine E-Mail-Adresse wie name@beispiel.de", `value="Landesamt für Straßenbau"`,
		"Bitte übernehmen.", `id="fwd-files" name="fwd_files" value="1" checked`)

	ok := d.act(id, "forward", url.Values{"fwd-body": {"Landesamt für Straßenbau"},
		"fwd-email": {"post@lasuv.example.org"}, "fwd-note": {"Bitte übernehmen."}})
	wantStatus(t, ok, 303)
	wantStatusRow(t, pool, id, "forwarded")
	wantText(t, textOf(d.b.get("/tickets/"+itoa(id))), "Weitergeleitet an Landesamt für Straßenbau")

	jobs := scalarOf[int](t, pool, `SELECT count(*) FROM river_job
		WHERE (args->>'ticket_id')::bigint = $1
		  AND (kind = 'forward_ticket' OR args->>'message' = 'forwarded')`, id)
	if jobs != 2 {
		t.Errorf("%d jobs for the forwarding, want the mail to the body and the notice", jobs)
	}

	track := textOf(newBrowser(t, svc.Portal.Fiber()).get("/t/" + code))
	wantText(t, track, "Weitergeleitet", "Wir haben Ihr Anliegen weitergegeben an: "+
		"Landesamt für Straßenbau.")
	wantNoText(t, track, "post@lasuv.example.org", "Bitte übernehmen.")
}

func TestRejectShowsReasonAndPointer(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, code := openRequest(t, svc, pool, citizen)
	d := adminDesk(t, svc, pool)

	empty := d.act(id, "reject", url.Values{"rej-reason": {"Privatgrund."}, "rej-pointer": {" "}})
	wantStatus(t, empty, 422)
	wantText(t, textOf(empty), `href="#rej-pointer"`, "Privatgrund.")

	wantStatus(t, d.act(id, "reject", url.Values{
		"rej-reason":  {"Die Zufahrt ist ein Privatweg."},
		"rej-pointer": {"Hausverwaltung Muster GmbH, Telefon 0371 123456"},
	}), 303)
	wantStatusRow(t, pool, id, "rejected")
	if n := scalarOf[int](t, pool, `SELECT count(*) FROM river_job
		WHERE args->>'message' = 'rejected' AND (args->>'ticket_id')::bigint = $1`, id); n != 1 {
		t.Errorf("%d rejection notices queued, want 1", n)
	}

	track := textOf(newBrowser(t, svc.Portal.Fiber()).get("/t/" + code))
	wantText(t, track, "Nicht zuständig", "Begründung:", "Die Zufahrt ist ein Privatweg.",
		"Bitte wenden Sie sich an:", "Hausverwaltung Muster GmbH, Telefon 0371 123456")
	wantText(t, textOf(citizen.get("/request")), "Die Zufahrt ist ein Privatweg.")
}

func TestMergedCitizenFollowsTheTarget(t *testing.T) {
	svc, pool := newService(t)
	first := newBrowser(t, svc.Portal.Fiber())
	target, _ := openRequest(t, svc, pool, first)
	second := newBrowser(t, svc.Portal.Fiber())
	dup, dupCode := openRequest(t, svc, pool, second)
	_, err := pool.Exec(context.Background(), `UPDATE tickets SET contact_name = 'Erika Erste',
		contact_email = 'erika@example.org' WHERE id = $1`, target)
	if err != nil {
		t.Fatal(err)
	}
	targetCode := scalarOf[string](t, pool, "SELECT tracking_code FROM tickets WHERE id = $1", target)
	targetCase := scalarOf[string](t, pool, "SELECT case_number FROM tickets WHERE id = $1", target)
	parsed, err := tracking.ParseCode(targetCode)
	if err != nil {
		t.Fatal(err)
	}

	d := adminDesk(t, svc, pool)
	unknown := d.act(dup, "merge", url.Values{"merge-target": {"2020-999999"}})
	wantStatus(t, unknown, 422)
	wantText(t, textOf(unknown), `href="#merge-target"`, "keinen Vorgang gefunden")

	wantStatus(t, d.act(dup, "merge", url.Values{"merge-target": {parsed.String()}}), 303)
	wantStatusRow(t, pool, dup, "merged")
	if n := scalarOf[int](t, pool, `SELECT count(*) FROM river_job
		WHERE args->>'message' = 'merged' AND (args->>'ticket_id')::bigint = $1`, dup); n != 1 {
		t.Errorf("%d merge notices queued, want 1", n)
	}

	wantStatus(t, d.act(target, "status", url.Values{"status": {"in_progress"},
		"note": {"Der Trupp ist bestellt."}}), 303)

	track := textOf(newBrowser(t, svc.Portal.Fiber()).get("/t/" + dupCode))
	wantText(t, track, "In Bearbeitung", "Der Trupp ist bestellt.", "Zusammengeführt",
		"unter dem Aktenzeichen "+targetCase+" gemeldet")
	wantNoText(t, track, "Erika Erste", "erika@example.org", targetCode, parsed.String())

	own := textOf(second.get("/request"))
	wantText(t, own, "Der Trupp ist bestellt.")
	wantNoText(t, own, "Erika Erste", `action="/request/reply"`, `name="message"`)

	targetPage := textOf(d.b.get("/tickets/" + itoa(target)))
	wantText(t, targetPage, "Doppelte Meldung: ")
	wantText(t, textOf(d.b.get("/tickets/"+itoa(dup))), "Zusammengeführt in "+targetCase)
}

func TestLinkShowsOnBothPages(t *testing.T) {
	svc, pool := newService(t)
	a, _ := openRequest(t, svc, pool, newBrowser(t, svc.Portal.Fiber()))
	b, _ := openRequest(t, svc, pool, newBrowser(t, svc.Portal.Fiber()))
	caseOf := func(id int64) string {
		return scalarOf[string](t, pool, "SELECT case_number FROM tickets WHERE id = $1", id)
	}
	d := adminDesk(t, svc, pool)

	wantStatus(t, d.act(a, "link", url.Values{"link-target": {caseOf(b)}}), 303)
	again := d.act(b, "link", url.Values{"link-target": {caseOf(a)}})
	wantStatus(t, again, 422)
	wantText(t, textOf(again), "Der Vorgang ist bereits so")

	for _, pair := range [][2]int64{{a, b}, {b, a}} {
		page := textOf(d.b.get("/tickets/" + itoa(pair[0])))
		wantText(t, page, `data-related="`+itoa(pair[1])+`"`,
			`href="/tickets/`+itoa(pair[1])+`">`+caseOf(pair[1]),
			"Verknüpfung mit "+caseOf(pair[1])+" lösen", "Verknüpft mit "+caseOf(pair[1]))
	}

	wantStatus(t, d.act(b, "unlink", url.Values{"other": {itoa(a)}}), 303)
	for _, id := range []int64{a, b} {
		wantNoText(t, d.b.get("/tickets/"+itoa(id)), `data-related="`)
	}
	if n := scalarOf[int](t, pool, "SELECT count(*) FROM ticket_links"); n != 0 {
		t.Errorf("%d links left after unlinking", n)
	}
}

var textareaMessage = regexp.MustCompile(`(?s)<textarea[^>]*id="message"[^>]*>(.*?)</textarea>`)

func TestTextModulesAreAdministeredAndInserted(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, code := openRequest(t, svc, pool, citizen)
	if _, err := pool.Exec(context.Background(),
		"UPDATE tickets SET language = 'en' WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
	d := adminDesk(t, svc, pool)

	form := d.b.get("/text-modules/new")
	wantStatus(t, form, 200)
	wantText(t, textOf(form), `lang="ar" dir="rtl"`, "{{.CaseNumber}}")
	bad := d.b.post("/text-modules/new", url.Values{"name": {"Eingang"},
		"text_en": {"Hello {{.Nmae}}"}}, csrf(t, form.body))
	wantStatus(t, bad, 422)
	wantText(t, textOf(bad), `href="#text-de"`, `href="#text-en"`, "Bitte schreiben Sie den "+
		"deutschen Text", "unbekannten Platzhalter", "Hello {{.Nmae}}")

	saved := d.b.post("/text-modules/new", url.Values{"name": {"Eingang"},
		"team":    {teamID(t, pool, "tiefbau")},
		"text_de": {"Guten Tag {{.Name}}, Ihr Vorgang {{.CaseNumber}}."},
		"text_en": {"Dear {{.Name}}, case {{.CaseNumber}} is with {{.Team}}: {{.TrackingLink}}"},
	}, csrf(t, form.body))
	wantStatus(t, saved, 303)
	wantText(t, d.b.get(saved.location), "Der Textbaustein ist gespeichert.", "Eingang")

	page := d.b.get("/tickets/" + itoa(id))
	moduleID := scalarOf[int64](t, pool, "SELECT id FROM text_modules")
	ins := d.b.post("/tickets/"+itoa(id)+"/message/module", url.Values{
		"module": {itoa(moduleID)}, "kind": {"question"}, "message": {"Vorab:"},
		"version": {version(t, page)},
	}, csrf(t, page.body))
	wantStatus(t, ins, 200)
	m := textareaMessage.FindStringSubmatch(ins.body)
	caseNumber := scalarOf[string](t, pool, "SELECT case_number FROM tickets WHERE id = $1", id)
	want := "Vorab:\n\nDear Maria Muster, case " + caseNumber + " is with Civil Engineering " +
		"Office: https://anliegen.example.org/t/" + code
	if m == nil || html.UnescapeString(m[1]) != want {
		t.Errorf("message field after insert %q, want %q", m, want)
	}
	wantText(t, ins, `id="kind-question" name="kind" value="question" checked`)

	other := scalarOf[int64](t, pool, `INSERT INTO text_modules (name, team_id, body)
		SELECT 'Fremd', id, '{"de": "x"}' FROM teams WHERE slug = 'it-service' RETURNING id`)
	foreign := d.b.post("/tickets/"+itoa(id)+"/message/module", url.Values{
		"module": {itoa(other)}, "message": {"Mein Text"}, "version": {version(t, page)},
	}, csrf(t, page.body))
	wantStatus(t, foreign, 422)
	wantText(t, textOf(foreign), "Bitte wählen Sie einen Textbaustein dieses Teams.", "Mein Text")

	edit := d.b.get("/text-modules/" + itoa(moduleID))
	wantStatus(t, d.b.post("/text-modules/"+itoa(moduleID)+"/delete", url.Values{},
		csrf(t, edit.body)), 303)

	log := scalarOf[string](t, pool, `SELECT string_agg(action, ' ' ORDER BY id) FROM change_log
		WHERE object = 'text_module:' || $1::bigint`, moduleID)
	if log != "text_module.create text_module.delete" {
		t.Errorf("change log %q, want create and delete", log)
	}
}

// TestAcknowledgementLetterAfterPhoneIntake takes a call in Ukrainian without
// an e-mail address and prints the acknowledgement letter in Ukrainian.
func TestAcknowledgementLetterAfterPhoneIntake(t *testing.T) {
	svc, pool := newService(t)
	d := adminDesk(t, svc, pool)

	choose := d.b.get("/intake")
	wantStatus(t, choose, 200)
	wantText(t, choose, `name="service"`, `value="phone"`, `lang="uk"`)
	form := d.b.get("/intake?service=schlagloch&channel=phone&language=uk")
	wantStatus(t, form, 200)
	wantText(t, form, `id="field-location"`, `id="channel-phone" name="channel" value="phone" checked`,
		`<option value="uk" lang="uk" selected>`)

	values := url.Values{
		"service": {"schlagloch"}, "language": {"uk"},
		"field_location": {"Hauptstraße 12"}, "field_danger": {"no"},
		"field_description": {"Anruferin meldet ein Loch vor der Bäckerei."},
		"contact_name":      {"Olena Koval"}, "contact_email": {"keine"},
		"contact_address": {"Hauptstraße 14, 09111 Chemnitz"},
	}
	bad := d.b.post("/intake", values, csrf(t, form.body))
	wantStatus(t, bad, 422)
	wantText(t, textOf(bad), `href="#intake-channel"`, `href="#contact_email"`,
		"Anruferin meldet ein Loch vor der Bäckerei.", `value="Olena Koval"`)

	values.Set("channel", "phone")
	values.Set("contact_email", "")
	ok := d.b.post("/intake", values, csrf(t, bad.body))
	wantStatus(t, ok, 303)
	page := textOf(d.b.get(ok.location))
	wantText(t, page, "ist angelegt", "Eingangsbestätigung als Brief herunterladen",
		"Aufgenommen (Telefon)", "von Clara Clerk", "Anruferin meldet ein Loch",
		"Postanschrift", "Hauptstraße 14, 09111 Chemnitz")

	var id int64
	var caseNumber, raw, channel, lang string
	err := pool.QueryRow(context.Background(), `SELECT id, case_number, tracking_code, channel,
		language FROM tickets`).Scan(&id, &caseNumber, &raw, &channel, &lang)
	if err != nil {
		t.Fatal(err)
	}
	if channel != "phone" || lang != "uk" {
		t.Errorf("ticket by %s in %s, want phone and uk", channel, lang)
	}
	if n := scalarOf[int](t, pool, "SELECT count(*) FROM river_job"); n != 0 {
		t.Errorf("%d jobs queued for a ticket without an address, want none", n)
	}

	code, _ := tracking.ParseCode(raw)
	letter := d.b.get("/tickets/" + itoa(id) + "/acknowledgement.pdf")
	wantPDF(t, letter, caseNumber, "Olena Koval", "Hauptstraße 14", "09111 Chemnitz",
		"Добрий день, Olena Koval!", "Дякуємо за ваше звернення", "Його номер справи: "+caseNumber, code.String(),
		"Що далі?", "https://anliegen.example.org/t/"+raw)
	wantAccessLinkOpens(t, svc, id)

	values.Set("contact_email", "olena@example.org")
	values.Set("channel", "counter")
	again := d.b.post("/intake", values, csrf(t, bad.body))
	wantStatus(t, again, 303)
	wantNoText(t, d.b.get(again.location), "Eingangsbestätigung als Brief")
	if n := scalarOf[int](t, pool, `SELECT count(*) FROM river_job
		WHERE args->>'message' = 'acknowledgement'`); n != 1 {
		t.Errorf("%d acknowledgements queued for the intake with an address, want 1", n)
	}
}
