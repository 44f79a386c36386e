package server

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/catalog"
)

var (
	savedService = regexp.MustCompile(`^/admin/services/(\d+)\?saved=1$`)
	serviceRow   = regexp.MustCompile(`(?s)data-service="sperrmuell">.*?</tr>`)
)

// serviceValues is a complete service form with only German texts.
func serviceValues(code string, teamID int64) url.Values {
	v := url.Values{
		"code": {code}, "team": {itoa(teamID)}, "name_de": {"Sperrmüll anmelden"},
		"help_de": {"Melden Sie hier Sperrmüll an."}, "promise_de": {"Antwort in 5 Werktagen"},
		"group_de": {"Abfall"}, "sla_days": {"10"}, "first_answer_days": {"5"},
		"reminder_days": {"7"}, "close_after_days": {"14"}, "public": {"1"}, "active": {"1"},
		"position": {"5"}, "keywords": {"Möbel, Sperrmüll"},
	}
	for _, k := range catalog.MessageKinds {
		v.Set("message_"+k, "1")
	}

	return v
}

// TestServiceCreateEditAndMissingTranslations creates a service with German
// texts only, sees the list mark every other language as shown in German,
// refuses bad input with the input kept, edits the service, and checks that
// the edit bumps updated_at, turns a message off and is recorded.
func TestServiceCreateEditAndMissingTranslations(t *testing.T) {
	svc, pool := newService(t)
	ctx := context.Background()
	admin := adminBrowser(t, svc, pool)
	teams, err := svc.Catalog.Teams(ctx)
	if err != nil {
		t.Fatal(err)
	}

	form := admin.get("/admin/services/new")
	wantStatus(t, form, 200)
	wantText(t, form, `for="name_uk"`, `lang="uk"`, `name="message_closed_unanswered"`)

	bad := serviceValues("Sperr Müll", 0)
	bad.Set("reminder_days", "0")
	bad.Del("name_de")
	res := admin.post("/admin/services", bad, csrf(t, form.body))
	wantStatus(t, res, 422)
	wantText(t, res, `id="error-summary"`, `href="#code"`, `href="#team"`, `href="#name_de"`,
		`href="#reminder_days"`, `value="Sperr Müll"`, `value="0"`, `aria-invalid="true"`,
		"Bitte geben Sie eine ganze Zahl von Tagen zwischen 1 und 365 ein.")

	res = admin.post("/admin/services", serviceValues("sperrmuell", teams[0].ID), csrf(t, res.body))
	wantStatus(t, res, 303)
	m := savedService.FindStringSubmatch(res.location)
	if m == nil {
		t.Fatalf("create went to %q, want /admin/services/<id>?saved=1", res.location)
	}

	list := admin.get("/admin/services")
	wantText(t, list, `data-service="sperrmuell"`, `data-missing="en"`, `data-missing="ar"`,
		"Fehlt:")

	page := admin.get(res.location)
	wantText(t, page, "Gespeichert.", `id="missing-translations"`, `value="sperrmuell"`)

	var before time.Time
	if err := pool.QueryRow(ctx, `SELECT updated_at FROM services WHERE code = 'sperrmuell'`).
		Scan(&before); err != nil {
		t.Fatal(err)
	}

	edit := serviceValues("sperrmuell", teams[1].ID)
	for _, l := range svc.Languages.Languages() {
		edit.Set("name_"+l.Tag, "Sperrmüll "+l.Tag)
		edit.Set("help_"+l.Tag, "Hilfe "+l.Tag)
		edit.Set("promise_"+l.Tag, "Zusage "+l.Tag)
	}
	edit.Del("message_answer")
	edit.Del("public")
	res = admin.post("/admin/services/"+m[1], edit, csrf(t, page.body))
	wantStatus(t, res, 303)

	got, err := svc.Catalog.ServiceByID(ctx, int64(mustAtoi(t, m[1])))
	if err != nil {
		t.Fatal(err)
	}
	if got.Sends("answer") || !got.Sends("question") || got.Public || got.TeamID != teams[1].ID ||
		*got.FirstAnswerDays != 5 || got.Name["vi"] != "Sperrmüll vi" {
		t.Errorf("stored service = %+v, want the edit", got)
	}

	var after time.Time
	if err := pool.QueryRow(ctx, `SELECT updated_at FROM services WHERE code = 'sperrmuell'`).
		Scan(&after); err != nil {
		t.Fatal(err)
	}
	if !after.After(before) {
		t.Errorf("updated_at %v did not move on from %v", after, before)
	}

	row := serviceRow.FindString(admin.get("/admin/services").body)
	if !strings.Contains(row, "vollständig") || strings.Contains(row, "data-missing") {
		t.Errorf("the translated service is still marked as missing translations:\n%s", row)
	}
	wantChange(t, pool, "service.create service:"+m[1]+" Clara Clerk")
	wantChange(t, pool, "service.update service:"+m[1]+" Clara Clerk")
}

// TestServiceCodeTaken refuses a second service with a code already in use.
func TestServiceCodeTaken(t *testing.T) {
	svc, pool := newService(t)
	admin := adminBrowser(t, svc, pool)
	form := admin.get("/admin/services/new")

	res := admin.post("/admin/services", serviceValues("schlagloch", 1), csrf(t, form.body))
	wantStatus(t, res, 409)
	wantText(t, res, `href="#code"`, "Dieses Kürzel hat schon eine andere Leistung.")
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("%q is no number", s)
		}
		n = n*10 + int(r-'0')
	}

	return n
}

var versionInput = regexp.MustCompile(`name="version" value="(\d+)"`)

// pageVersion returns the service version a page's form carries.
func pageVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page has no version input")
	}

	return m[1]
}

// TestStaleEditsLoseNothing lets two administrators edit one service: the
// second save is refused with its input kept and saved on the next try, and a
// field moved on a stale page is not moved.
func TestStaleEditsLoseNothing(t *testing.T) {
	svc, pool := newService(t)
	ctx := context.Background()
	first, second := adminBrowser(t, svc, pool), adminBrowser(t, svc, pool)
	s, err := svc.Catalog.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/services/" + itoa(s.ID)

	pageA, pageB := first.get(path), second.get(path)
	a := serviceValues("schlagloch", s.TeamID)
	a.Set("version", pageVersion(t, pageA.body))
	wantStatus(t, first.post(path, a, csrf(t, pageA.body)), 303)

	b := serviceValues("schlagloch", s.TeamID)
	b.Set("name_de", "Schlagloch (zweite Fassung)")
	b.Set("version", pageVersion(t, pageB.body))
	res := second.post(path, b, csrf(t, pageB.body))
	wantStatus(t, res, 409)
	wantText(t, res, "Eine andere Person hat diese Leistung inzwischen geändert.",
		`value="Schlagloch (zweite Fassung)"`)
	if pageVersion(t, res.body) == b.Get("version") {
		t.Error("the refused page still carries the old version")
	}

	b.Set("version", pageVersion(t, res.body))
	wantStatus(t, second.post(path, b, csrf(t, res.body)), 303)
	got, err := svc.Catalog.ServiceByID(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name["de"] != "Schlagloch (zweite Fassung)" {
		t.Errorf("after saving again the name is %q", got.Name["de"])
	}

	form := first.get(path + "/form")
	stale := url.Values{"direction": {"down"}, "version": {pageVersion(t, pageA.body)}}
	res = first.post(path+"/form/fields/location/move", stale, csrf(t, form.body))
	wantStatus(t, res, 303)
	wantText(t, first.get(res.location), "Eine andere Person hat das Formular inzwischen geändert")
	again, err := svc.Catalog.ServiceByID(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Form[0].Code != "location" {
		t.Errorf("a move from a stale page moved the field: first is %s", again.Form[0].Code)
	}
}
