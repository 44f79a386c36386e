package server

import (
	"context"
	"encoding/base64"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/skip2/go-qrcode"
)

var (
	confirmationPath = regexp.MustCompile(`^/confirmation/([0-9A-Z]{17})$`)
	groupedCode      = regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]`)
	casePattern      = regexp.MustCompile(`\d{4}-\d{6}`)
	ticketLink       = regexp.MustCompile(`href="/tickets/(\d+)"`)
)

// TestSubmitTrackAndChangeStatus walks the whole skeleton as a citizen and a
// clerk would: submit, confirm, track, sign in, change the status, track again.
func TestSubmitTrackAndChangeStatus(t *testing.T) {
	var logs strings.Builder
	svc, pool := newServiceWith(t, &logs, testLimits())
	citizen := newBrowser(t, svc.Portal.Fiber())

	start := citizen.get("/")
	wantStatus(t, start, 200)
	wantText(t, start, `lang="de"`, `dir="ltr"`, "Schlagloch oder Straßenschaden",
		`href="/services/schlagloch"`)
	wantNoText(t, start, "IT-Störung am Arbeitsplatz")

	code := submitPothole(t, citizen)

	track := citizen.get("/t/" + code)
	wantStatus(t, track, 200)
	wantText(t, track, "Eingegangen", "Schlagloch oder Straßenschaden", "Tiefbauamt")
	wantNoText(t, track, "Maria Muster", "maria@example.org", "tiefes Loch")

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, clerk)

	list := clerk.get("/tickets")
	wantStatus(t, list, 200)
	wantText(t, list, "Schlagloch oder Straßenschaden: Hauptstraße 12", "Eingegangen")
	m := ticketLink.FindStringSubmatch(list.body)
	if m == nil {
		t.Fatalf("ticket list links no ticket:\n%s", list.body)
	}

	page := clerk.get("/tickets/" + m[1])
	wantStatus(t, page, 200)
	wantText(t, page, "Maria Muster", "maria@example.org", "tiefes Loch", "Ja")

	res := clerk.post("/tickets/"+m[1]+"/status", url.Values{
		"status": {"in_progress"}, "version": {"1"}, "note": {"Ein Trupp ist unterwegs."},
	}, csrf(t, page.body))
	wantStatus(t, res, 303)

	track = citizen.get("/t/" + code)
	wantText(t, track, "In Bearbeitung", "Ein Trupp ist unterwegs.", "Eingegangen")
	if n := strings.Count(track.body, "<time class=\"timeline__date\" datetime="); n != 2 {
		t.Errorf("timeline shows %d dated entries, want 2 (received, in progress)", n)
	}

	wantTicketRow(t, pool, code, "in_progress", 2)
	wantCleanLogs(t, logs.String(), code)
}

// wantCleanLogs checks that the log has a request ID on every request line and
// none of the citizen's data, not even the tracking code.
func wantCleanLogs(t *testing.T, logs, code string) {
	t.Helper()
	if !strings.Contains(logs, `"msg":"request"`) || !strings.Contains(logs, `"request_id":"`) {
		t.Fatalf("log has no request lines with request IDs:\n%s", logs)
	}

	for _, private := range []string{"maria@example.org", "Maria Muster", "Hauptstraße",
		"tiefes Loch", code, testAdminPassword, "Ein Trupp"} {
		if strings.Contains(logs, private) {
			t.Errorf("log contains %q", private)
		}
	}

	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if strings.Contains(line, `"msg":"request"`) && !strings.Contains(line, `"request_id":"`) {
			t.Errorf("request line without request ID: %s", line)
		}
	}
}

// submitPothole fills in the pothole form, first with a gap, and returns the
// tracking code from the confirmation page.
func submitPothole(t *testing.T, citizen *browser) string {
	t.Helper()
	form := citizen.get("/services/schlagloch")
	wantStatus(t, form, 200)
	wantText(t, form, `for="field-location"`, "Besteht akute Unfallgefahr?")
	token := csrf(t, form.body)

	values := url.Values{
		"field_description": {"Ein tiefes Loch vor der Bäckerei."},
		"field_danger":      {"yes"},
		"contact_name":      {"Maria Muster"},
		"contact_email":     {"maria@example.org"},
	}
	bad := citizen.post("/services/schlagloch", values, token)
	wantStatus(t, bad, 422)
	wantText(t, bad, `class="error-summary"`, `href="#field-location"`,
		"Bitte füllen Sie „Ort (Straße, Hausnummer oder nächste Kreuzung)“ aus.",
		`aria-invalid="true"`, "Ein tiefes Loch vor der Bäckerei.", "maria@example.org")

	values.Set("field_location", "Hauptstraße 12")
	ok := citizen.post("/services/schlagloch", values, csrf(t, bad.body))
	wantStatus(t, ok, 303)
	m := confirmationPath.FindStringSubmatch(ok.location)
	if m == nil {
		t.Fatalf("redirect to %q, want /confirmation/<code>", ok.location)
	}

	conf := citizen.get(ok.location)
	wantStatus(t, conf, 200)
	wantText(t, conf, "Vielen Dank", "data:image/png;base64,", "Wie geht es weiter?",
		"Wir prüfen Ihre Meldung innerhalb von 3 Werktagen.")
	if !groupedCode.MatchString(conf.body) || !casePattern.MatchString(conf.body) {
		t.Errorf("confirmation lacks the grouped tracking code or the case number")
	}

	png, err := qrcode.Encode("https://anliegen.example.org/t/"+m[1], qrcode.Medium, 240)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.UnescapeString(conf.body), base64.StdEncoding.EncodeToString(png)) {
		t.Error("the QR code does not encode the base URL + /t/ + tracking code")
	}

	return m[1]
}

// signIn signs the test member in as a person would: a wrong password first,
// then the right one and a code from the enrolled secret. A code of a time step
// that an earlier sign-in in the same test used is refused, so it tries the
// steps around now in order until one is accepted.
func signIn(t *testing.T, clerk *browser) {
	t.Helper()
	login := clerk.get("/tickets")
	wantStatus(t, login, 303)
	if login.location != "/login" {
		t.Fatalf("unsigned request went to %q, want /login", login.location)
	}

	form := clerk.get("/login")
	wrong := clerk.post("/login", url.Values{
		"email": {testAdminEmail}, "password": {"not the password"},
	}, csrf(t, form.body))
	wantStatus(t, wrong, 401)
	wantText(t, wrong, "E-Mail-Adresse oder Passwort sind nicht richtig.")

	res := clerk.post("/login", url.Values{
		"email": {testAdminEmail}, "password": {testAdminPassword},
	}, csrf(t, wrong.body))
	wantStatus(t, res, 303)
	if res.location != "/login/code" {
		t.Fatalf("sign-in went to %q, want /login/code", res.location)
	}

	page := clerk.get("/login/code")
	wantStatus(t, page, 200)
	for _, offset := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		res = clerk.post("/login/code", url.Values{
			"code": {totpCode(t, time.Now().Add(offset))},
		}, csrf(t, page.body))
		if res.status == 303 {
			break
		}
		page = res
	}

	wantStatus(t, res, 303)
	if res.location != "/tickets" {
		t.Fatalf("code went to %q, want /tickets", res.location)
	}
}

func wantTicketRow(t *testing.T, pool *pgxpool.Pool, code, status string, events int) {
	t.Helper()
	var gotStatus string
	var gotEvents, version, jobs int
	err := pool.QueryRow(context.Background(), `
SELECT t.status, t.version,
	(SELECT count(*) FROM events e WHERE e.ticket_id = t.id),
	(SELECT count(*) FROM river_job j WHERE (j.args->>'ticket_id')::bigint = t.id)
FROM tickets t
WHERE t.tracking_code = $1`, code).Scan(&gotStatus, &version, &gotEvents, &jobs)
	if err != nil {
		t.Fatalf("read ticket row: %v", err)
	}

	if gotStatus != status || gotEvents != events || version != events {
		t.Errorf("ticket row: status %s, %d events, version %d; want %s, %d, %d",
			gotStatus, gotEvents, version, status, events, events)
	}

	if jobs != events {
		t.Errorf("%d citizen notices queued, want %d (acknowledgement and each change)",
			jobs, events)
	}
}
