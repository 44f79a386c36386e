package server

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

// openRequest submits a pothole report and opens its access link in the
// citizen's browser; it returns the ticket's ID and tracking code.
func openRequest(
	t *testing.T,
	svc *Service,
	pool *pgxpool.Pool,
	citizen *browser,
) (int64, string) {
	t.Helper()
	code := submitPothole(t, citizen)
	parsed, err := tracking.ParseCode(code)
	if err != nil {
		t.Fatal(err)
	}

	secret := svc.Tickets.AccessSecret(parsed, 1)
	r := citizen.get("/a/" + secret)
	wantStatus(t, r, 303)
	if r.location != "/request" || strings.Contains(r.location, secret) {
		t.Fatalf("access link went to %q, want /request without the secret", r.location)
	}

	var id int64
	err = pool.QueryRow(context.Background(), "SELECT id FROM tickets WHERE tracking_code = $1",
		parsed.Canonical()).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}

	return id, code
}

func TestAccessLinkOpensTheConversation(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	openRequest(t, svc, pool, citizen)

	r := citizen.get("/request")
	wantStatus(t, r, 200)
	wantText(t, r, "Ihr Anliegen", "Ein tiefes Loch vor der Bäckerei.", "Hauptstraße 12",
		"Eingegangen", "Nachricht senden", "Anliegen zurückziehen")
	if r.header.Get("Cache-Control") != "no-store" ||
		r.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("request page: Cache-Control %q, Referrer-Policy %q",
			r.header.Get("Cache-Control"), r.header.Get("Referrer-Policy"))
	}

	stranger := newBrowser(t, svc.Portal.Fiber())
	wantStatus(t, stranger.get("/request"), 404)
	miss := stranger.get("/a/AAAAAAAAAAAAAAAAAAAAAA")
	wantStatus(t, miss, 404)
	wantText(t, miss, "Zu diesem Code haben wir kein Anliegen gefunden.")
}

func TestCitizenAnswerEndsTheWait(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, _ := openRequest(t, svc, pool, citizen)
	ctx := context.Background()

	for i, to := range []ticket.Status{ticket.InProgress, ticket.WaitingForCitizen} {
		err := svc.Tickets.ChangeStatus(ctx, ticket.StatusChangeRequest{
			TicketID: id, Version: int32(i + 1), To: to,
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	page := citizen.get("/request")
	wantText(t, page, "Ihre Antwort auf unsere Rückfrage")
	// The status is named in words inside its badge, so colour is never the only cue.
	wantText(t, page, `status-badge--waiting" data-status="waiting_for_citizen">Rückfrage an Sie<`)

	empty := citizen.post("/request/reply", url.Values{"message": {"  "}}, csrf(t, page.body))
	wantStatus(t, empty, 422)
	wantText(t, empty, `class="error-summary"`, `href="#message"`, `aria-invalid="true"`)

	sent := citizen.post("/request/reply", url.Values{
		"message": {"Das Loch ist etwa 30 cm tief."},
	}, csrf(t, empty.body))
	wantStatus(t, sent, 303)

	after := citizen.get(sent.location)
	wantText(t, after, "Das Loch ist etwa 30 cm tief.", "In Bearbeitung")
	// The confirmation is announced: it stands inside the page's live region.
	if !liveNotice.MatchString(after.body) {
		t.Errorf("the notice is not inside a role=status live region:\n%s", after.body)
	}
	wantNoText(t, after, "Rückfrage an Sie</span>")

	var status string
	if err := pool.QueryRow(ctx, "SELECT status FROM tickets WHERE id = $1",
		id).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != "in_progress" {
		t.Errorf("status after the answer is %s, want in_progress", status)
	}
}

func TestCitizenWithdraws(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, code := openRequest(t, svc, pool, citizen)

	confirm := citizen.get("/request/withdraw")
	wantStatus(t, confirm, 200)
	wantText(t, confirm, "wirklich zurückziehen")

	r := citizen.post("/request/withdraw", url.Values{}, csrf(t, confirm.body))
	wantStatus(t, r, 303)
	page := citizen.get(r.location)
	wantText(t, page, "Sie haben Ihr Anliegen zurückgezogen.", "Zurückgezogen")
	wantNoText(t, page, "Nachricht senden")

	wantText(t, citizen.get("/t/"+code), "Zurückgezogen")
	wantStatusRow(t, pool, id, "withdrawn")
}

var liveNotice = regexp.MustCompile(
	`(?s)<div role="status" class="notice-region">\s*<div class="kern-alert[^>]*>.*` +
		`Ihre Nachricht ist eingegangen\.`)

func wantStatusRow(t *testing.T, pool *pgxpool.Pool, id int64, want string) {
	t.Helper()
	var status string
	var closed bool
	err := pool.QueryRow(context.Background(),
		"SELECT status, closed_at IS NOT NULL FROM tickets WHERE id = $1", id).Scan(&status, &closed)
	if err != nil {
		t.Fatal(err)
	}
	if status != want {
		t.Errorf("ticket status %s, want %s", status, want)
	}
}

func TestReplyWithFileAndDownload(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, _ := openRequest(t, svc, pool, citizen)

	page := citizen.get("/request")
	r := citizen.postMultipart("/request/reply", url.Values{"message": {"Foto anbei."}},
		[]upload{{"files", "Loch.png", pngImage(t)}}, csrf(t, page.body))
	wantStatus(t, r, 303)

	page = citizen.get("/request")
	wantText(t, page, "Foto anbei.", "Loch.png")

	var fileID int64
	err := pool.QueryRow(context.Background(),
		"SELECT id FROM attachments WHERE ticket_id = $1", id).Scan(&fileID)
	if err != nil {
		t.Fatalf("no attachment stored: %v", err)
	}

	dl := citizen.get("/request/files/" + itoa(fileID))
	wantStatus(t, dl, 200)
	if dl.header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") ||
		dl.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download headers: %v", dl.header)
	}

	bad := citizen.postMultipart("/request/reply", url.Values{"message": {"Noch eins"}},
		[]upload{{"files", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg">` +
			`<script>alert(1)</script></svg>`)}}, csrf(t, page.body))
	wantStatus(t, bad, 422)
	wantText(t, bad, "Format, das wir nicht annehmen", `href="#files"`, "Noch eins")
}

func TestSubmissionWithFiles(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	form := citizen.get("/services/schlagloch")
	wantText(t, form, `type="file"`, `enctype="multipart/form-data"`)

	values := url.Values{
		"field_location": {"Markt 1"}, "field_description": {"Loch"}, "field_danger": {"no"},
		"contact_name": {"Maria Muster"}, "contact_email": {"maria@example.org"},
	}
	bad := citizen.postMultipart("/services/schlagloch", values,
		[]upload{{"field_photo", "foto.jpg", []byte("<html><script>x</script></html>")}},
		csrf(t, form.body))
	wantStatus(t, bad, 422)
	wantText(t, bad, "Format, das wir nicht annehmen", `href="#field-photo"`, "Markt 1",
		"maria@example.org")

	ok := citizen.postMultipart("/services/schlagloch", values,
		[]upload{{"field_photo", "foto.png", pngImage(t)}}, csrf(t, bad.body))
	wantStatus(t, ok, 303)

	var n int
	var ctype string
	err := pool.QueryRow(context.Background(),
		"SELECT count(*), min(content_type) FROM attachments").Scan(&n, &ctype)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || ctype != "image/png" {
		t.Errorf("%d attachments of type %s stored, want 1 image/png", n, ctype)
	}
}

func TestContactNeededUnlessAnonymousAllowed(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())

	form := citizen.get("/services/schlagloch")
	r := citizen.post("/services/schlagloch", url.Values{
		"field_location": {"Markt 1"}, "field_description": {"Loch"}, "field_danger": {"no"},
	}, csrf(t, form.body))
	wantStatus(t, r, 422)
	wantText(t, r, `href="#contact_email"`, `href="#contact_name"`)

	anon := citizen.get("/services/illegale-ablagerung")
	wantText(t, anon, "ohne Kontaktdaten abschicken")
	r = citizen.post("/services/illegale-ablagerung", url.Values{
		"field_location_text": {"Parkplatz hinter der Schwimmhalle"},
		"field_kind":          {"sperrmuell"},
	}, csrf(t, anon.body))
	wantStatus(t, r, 303)
}

func TestHoneypotStopsAutomatedSubmissions(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	form := citizen.get("/services/illegale-ablagerung")
	r := citizen.post("/services/illegale-ablagerung", url.Values{
		"field_location_text": {"Wald"}, "field_kind": {"sperrmuell"},
		"website": {"http://spam.example"},
	}, csrf(t, form.body))
	wantStatus(t, r, 422)
	wantText(t, r, "Das Formular konnte nicht angenommen werden.")

	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM tickets").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d tickets stored from a filled honeypot", n)
	}
}

func TestResendLinkAnswersAlike(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	code := submitPothole(t, citizen)

	jobs := func() int {
		var n int
		err := pool.QueryRow(context.Background(),
			"SELECT count(*) FROM river_job WHERE args->>'message' = 'link_resent'").Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	form := citizen.get("/link")
	wrong := citizen.post("/link", url.Values{"code": {code}, "email": {"other@example.org"}},
		csrf(t, form.body))
	right := citizen.post("/link", url.Values{"code": {code}, "email": {"Maria@Example.org"}},
		csrf(t, form.body))
	for _, r := range []response{wrong, right} {
		wantStatus(t, r, 200)
		wantText(t, r, "Wenn die Angaben zusammenpassen, ist der Link unterwegs")
	}
	if stripIDs(wrong.body) != stripIDs(right.body) {
		t.Error("the answers for a matching and a wrong address differ")
	}
	if n := jobs(); n != 1 {
		t.Errorf("%d link mails queued, want 1 (only for the matching address)", n)
	}

	typo := citizen.post("/link", url.Values{"code": {"K7QF"}, "email": {"x"}}, csrf(t, form.body))
	wantStatus(t, typo, 422)
	wantText(t, typo, `href="#code"`, `href="#email"`)
}

func TestStartPageSearchAndInformationPages(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())

	r := citizen.get("/?q=laterne")
	wantText(t, r, "Defekte Straßenbeleuchtung", "1 Leistung passt")
	wantNoText(t, r, "Schlagloch oder Straßenschaden")

	r = citizen.get("/?q=xyzzy")
	wantText(t, r, "0 Leistungen passen", "Alle Leistungen anzeigen")

	// The language pages come last: choosing a language is remembered.
	for _, c := range []struct{ path, text string }{
		{"/privacy", "Was wir speichern"},
		{"/accessibility", "Erklärung zur Barrierefreiheit"},
		{"/easy-language", `lang="de-x-ls"`},
		{"/sign-language", "Gebärdensprache"},
		{"/?lang=de-x-ls", `<html lang="de-x-ls" dir="ltr">`},
		{"/?lang=ar", `<html lang="ar" dir="rtl">`},
	} {
		path, text := c.path, c.text
		page := citizen.get(path)
		wantStatus(t, page, 200)
		wantText(t, page, text)
	}
}

func TestAccessibilityFeedbackCreatesATicket(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())

	form := citizen.get("/accessibility/feedback")
	wantStatus(t, form, 200)
	wantText(t, form, "Barriere melden", `action="/accessibility/feedback"`)

	r := citizen.post("/accessibility/feedback", url.Values{
		"field_page": {"/track"}, "field_description": {"Der Fokus ist schlecht sichtbar."},
	}, csrf(t, form.body))
	wantStatus(t, r, 303)

	var team string
	err := pool.QueryRow(context.Background(), `
SELECT tm.slug FROM tickets t JOIN teams tm ON tm.id = t.team_id`).Scan(&team)
	if err != nil {
		t.Fatal(err)
	}
	if team != "buergerservice" {
		t.Errorf("feedback went to team %s, want buergerservice", team)
	}
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}

	return buf.Bytes()
}

func itoa(n int64) string {
	return strconv.FormatInt(n, 10)
}

// stripIDs removes the per-request parts of a page, so that two answers can be
// compared for what a person reads.
func stripIDs(body string) string {
	return csrfPattern.ReplaceAllString(body, "")
}
