package server

import (
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/portal"
)

func TestSecurityHeadersOnEveryPage(t *testing.T) {
	svc, _ := newService(t)
	for name, b := range map[string]*browser{
		"portal":     newBrowser(t, svc.Portal.Fiber()),
		"backoffice": newBrowser(t, svc.Backoffice.Fiber()),
	} {
		for _, path := range []string{"/", "/login", "/track", "/no-such-page"} {
			r := b.get(path)
			csp := r.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") ||
				!strings.Contains(csp, "frame-ancestors 'none'") ||
				strings.Contains(csp, "unsafe-inline") {
				t.Errorf("%s %s: Content-Security-Policy %q", name, path, csp)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s %s: no nosniff", name, path)
			}
			if r.header.Get("X-Request-ID") == "" {
				t.Errorf("%s %s: no request ID", name, path)
			}
		}
	}
}

func TestBackofficeRoutesDoNotExistOnThePortal(t *testing.T) {
	svc, _ := newService(t)
	portal := newBrowser(t, svc.Portal.Fiber())
	for _, path := range []string{"/login", "/tickets", "/tickets/1", "/metrics"} {
		r := portal.get(path)
		wantStatus(t, r, 404)
		wantText(t, r, "Seite nicht gefunden")
	}

	office := newBrowser(t, svc.Backoffice.Fiber())
	for _, path := range []string{"/services/schlagloch", "/track"} {
		wantStatus(t, office.get(path), 404)
	}
}

func TestMetricsOnTheBackoffice(t *testing.T) {
	svc, _ := newService(t)
	office := newBrowser(t, svc.Backoffice.Fiber())
	office.get("/login")
	r := office.get("/metrics")
	wantStatus(t, r, 200)
	wantText(t, r, `anliegen_http_request_duration_seconds_count{app="backoffice",method="GET",`+
		`route="/login",status="200"} 1`, `anliegen_db_pool_connections{state="max"}`,
		"go_goroutines")
}

func TestFormsWithoutCSRFTokenAreRefused(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	citizen.get("/services/schlagloch")

	values := url.Values{
		"field_location": {"Hauptstraße 1"}, "field_description": {"Loch"},
		"field_danger": {"no"},
	}
	for name, token := range map[string]string{"missing": "", "forged": "AAAA"} {
		r := citizen.post("/services/schlagloch", values, token)
		wantStatus(t, r, 403)
		wantText(t, r, "Zugriff nicht möglich")
		if !regexp.MustCompile(`<code>[0-9a-f]{16}</code>`).MatchString(r.body) {
			t.Errorf("%s token: error page shows no request ID", name)
		}
	}

	var n int
	if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM tickets").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d tickets stored from forged forms, want 0", n)
	}

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	wantStatus(t, clerk.post("/login", url.Values{
		"email": {testAdminEmail}, "password": {testAdminPassword},
	}, ""), 403)
}

func TestTrackingAnswersAlikeForEveryMiss(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	for name, code := range map[string]string{
		"unknown":      "K7QF-M20X-9PQ1-4HTR-P",
		"wrong check":  "K7QF-M20X-9PQ1-4HTR-Q",
		"too short":    "K7QF",
		"bad symbols":  "K7QF-M20X-9PQ1-4HTR-U",
		"empty-ish":    "----",
		"long garbage": strings.Repeat("Z", 200),
	} {
		t.Run(name, func(t *testing.T) {
			r := citizen.get("/t/" + url.PathEscape(code))
			wantStatus(t, r, 404)
			wantText(t, r, "Zu diesem Code haben wir kein Anliegen gefunden.")
		})
	}

	form := citizen.get("/track")
	r := citizen.post("/track", url.Values{"code": {"K7QF-M20X-9PQ1-4HTR-P"}}, csrf(t, form.body))
	wantStatus(t, r, 404)
	wantText(t, r, "Zu diesem Code haben wir kein Anliegen gefunden.", `aria-invalid="true"`)
}

func TestTrackingCodeIsForgiving(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	code := submitPothole(t, citizen)

	typed := strings.ToLower(code[:4] + " " + code[4:8] + "-" + code[8:])
	typed = strings.NewReplacer("0", "o", "1", "l").Replace(typed)
	form := citizen.get("/track")
	r := citizen.post("/track", url.Values{"code": {typed}}, csrf(t, form.body))
	wantStatus(t, r, 303)
	if r.location != "/t/"+code {
		t.Fatalf("typed %q went to %q, want /t/%s", typed, r.location, code)
	}
}

func TestLanguageChoiceIsRemembered(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())

	r := citizen.get("/")
	wantText(t, r, `<html lang="de" dir="ltr">`)

	citizen.lang = "en-GB,en;q=0.8"
	r = citizen.get("/")
	wantText(t, r, `<html lang="en" dir="ltr">`, "Pothole or road damage")

	r = citizen.get("/?lang=de")
	wantText(t, r, `<html lang="de"`, "Schlagloch oder Straßenschaden")

	r = citizen.get("/track")
	wantText(t, r, `<html lang="de"`)
	if r.header.Get("Content-Language") != "de" {
		t.Errorf("Content-Language %q, want de", r.header.Get("Content-Language"))
	}
}

func TestStaleStatusChangeLosesNothing(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	submitPothole(t, citizen)

	first, second := newBrowser(t, svc.Backoffice.Fiber()), newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, first)
	signIn(t, second)
	id := ticketLink.FindStringSubmatch(first.get("/tickets").body)[1]
	page1, page2 := first.get("/tickets/"+id), second.get("/tickets/"+id)

	ok := first.post("/tickets/"+id+"/status", url.Values{
		"status": {"in_review"}, "version": {"1"},
	}, csrf(t, page1.body))
	wantStatus(t, ok, 303)

	late := second.post("/tickets/"+id+"/status", url.Values{
		"status": {"rejected"}, "version": {"1"}, "note": {"Bitte an das Land wenden."},
	}, csrf(t, page2.body))
	wantStatus(t, late, 409)
	wantText(t, late, "inzwischen von jemand anderem geändert", "Bitte an das Land wenden.",
		"In Prüfung")
}

// TestEveryComputedMessageExists checks the message IDs that code builds from
// statuses and channels, which the template scan cannot see.
func TestEveryComputedMessageExists(t *testing.T) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}

	ids := map[string]bool{}
	for _, id := range bundle.MessageIDs(i18n.Default) {
		ids[id] = true
	}

	var want []string
	for _, s := range ticket.Statuses {
		want = append(want, "status_"+string(s)+"_name", "status_"+string(s)+"_text")
	}
	for _, c := range []string{ticket.ChannelWeb, ticket.ChannelEmail, ticket.ChannelPhone,
		ticket.ChannelLetter, ticket.ChannelCounter, ticket.ChannelAPI} {
		want = append(want, "channel_"+c)
	}
	for _, k := range []string{"from_citizen", "to_citizen", "note"} {
		want = append(want, "message_kind_"+k)
	}
	for _, code := range []string{"400", "403", "404", "405", "413", "429", "500", "503"} {
		want = append(want, "error_"+code+"_title", "error_"+code+"_text")
	}
	for _, id := range want {
		if !ids[id] {
			t.Errorf("message %s is missing", id)
		}
	}
}

// TestLookupsAreRateLimited allows a few lookups per address and answers 429
// with Retry-After beyond them; a code with a typo costs nothing.
func TestLookupsAreRateLimited(t *testing.T) {
	svc, _ := newServiceWith(t, io.Discard, portal.Limits{
		Lookups: 3, Submissions: 1000, Window: time.Minute,
	})
	citizen := newBrowser(t, svc.Portal.Fiber())

	for i := 0; i < 10; i++ {
		wantStatus(t, citizen.get("/t/K7QF-M20X-9PQ1-4HTR-Q"), 404)
	}

	for i := 0; i < 3; i++ {
		wantStatus(t, citizen.get("/t/K7QF-M20X-9PQ1-4HTR-P"), 404)
	}

	r := citizen.get("/t/K7QF-M20X-9PQ1-4HTR-P")
	wantStatus(t, r, 429)
	wantText(t, r, "Zu viele Anfragen")
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}
