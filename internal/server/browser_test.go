package server

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/anliegen/anliegen/internal/browsertest"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/tracking"
	"github.com/anliegen/anliegen/portal"
)

// browserLanguage is one language the pages are checked in.
type browserLanguage struct {
	tag string
	dir string
}

// allBrowserLanguages lists the languages to check; one whose locale file does
// not exist yet is left out.
var allBrowserLanguages = []browserLanguage{
	{tag: "de", dir: "ltr"},
	{tag: "en", dir: "ltr"},
	{tag: "ar", dir: "rtl"},
	{tag: "de-x-ls", dir: "ltr"},
}

func browserLanguages(t *testing.T) []browserLanguage {
	t.Helper()
	var out []browserLanguage
	for _, l := range allBrowserLanguages {
		if _, err := os.Stat(filepath.Join("..", "..", "locales", l.tag+".toml")); err != nil {
			t.Logf("language %s left out: no locales/%s.toml", l.tag, l.tag)
			continue
		}
		out = append(out, l)
	}

	return out
}

var trackPath = regexp.MustCompile(`^/t/[0-9A-Z]{17}$`)

// checkPage runs every browser check on the page loaded in the tab.
func checkPage(t *testing.T, ctx context.Context, l browserLanguage, name string) {
	t.Helper()
	name = l.tag + " " + name
	browsertest.CheckStructure(t, ctx, name)
	browsertest.CheckAxe(t, ctx, name)

	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[document.documentElement.lang, document.documentElement.dir]`))
	if err != nil {
		t.Fatalf("%s: read lang and dir: %v", name, err)
	}
	if got[0] != l.tag || got[1] != l.dir {
		t.Errorf("%s: <html lang=%q dir=%q>, want lang=%q dir=%q", name, got[0], got[1], l.tag, l.dir)
	}
}

func wantPageStatus(t *testing.T, name string, got, want int64) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d", name, got, want)
	}
}

func pagePath(t *testing.T, ctx context.Context) string {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatalf("read the location: %v", err)
	}

	return p
}

func runSteps(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

var submitButton = chromedp.CSS(`main form button[type=submit]`)

func TestPortalPagesPassAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newService(t)
	base := browsertest.Start(t, svc.Portal.Fiber())

	unknown, err := tracking.NewCode()
	if err != nil {
		t.Fatal(err)
	}

	for _, l := range browserLanguages(t) {
		t.Run(l.tag, func(t *testing.T) {
			q := "?lang=" + l.tag

			wantPageStatus(t, "start", browsertest.Go(t, ctx, base+"/"+q), 200)
			checkPage(t, ctx, l, "start page /")

			wantPageStatus(t, "form", browsertest.Go(t, ctx, base+"/services/schlagloch"+q), 200)
			checkPage(t, ctx, l, "form /services/schlagloch")

			status := browsertest.Await(t, ctx, "submit the empty form", chromedp.Click(submitButton))
			wantPageStatus(t, "empty form", status, 422)
			checkPage(t, ctx, l, "form submitted empty (errors)")

			runSteps(t, ctx, "fill in the form",
				chromedp.SendKeys(chromedp.ID("field-location"), "Hauptstraße 12"),
				chromedp.SendKeys(chromedp.ID("field-description"), "Ein tiefes Loch vor der Bäckerei."),
				chromedp.Click(chromedp.CSS(`label[for="field-danger-yes"]`)),
				chromedp.SendKeys(chromedp.ID("contact_name"), "Maria Muster"),
				chromedp.SendKeys(chromedp.ID("contact_email"), "maria@example.org"),
			)
			status = browsertest.Await(t, ctx, "submit the filled-in form", chromedp.Click(submitButton))
			wantPageStatus(t, "confirmation", status, 200)
			conf := pagePath(t, ctx)
			if !confirmationPath.MatchString(conf) {
				t.Fatalf("submission went to %s, want /confirmation/<code>", conf)
			}
			checkPage(t, ctx, l, "confirmation "+conf)
			if n := browsertest.PrintedPages(t, ctx); n != 1 {
				t.Errorf("%s: the confirmation prints on %d A4 pages, want 1", l.tag, n)
			}
			code := confirmationPath.FindStringSubmatch(conf)[1]

			wantPageStatus(t, "track form", browsertest.Go(t, ctx, base+"/track"+q), 200)
			checkPage(t, ctx, l, "tracking form /track")

			runSteps(t, ctx, "type an unknown code", chromedp.SendKeys(chromedp.ID("code"), unknown.String()))
			status = browsertest.Await(t, ctx, "submit an unknown code", chromedp.Click(submitButton))
			wantPageStatus(t, "unknown code", status, 404)
			checkPage(t, ctx, l, "tracking form with an unknown code (error)")

			wantPageStatus(t, "tracking page", browsertest.Go(t, ctx, base+"/t/"+code+q), 200)
			checkPage(t, ctx, l, "tracking page /t/<code>")

			wantPageStatus(t, "404", browsertest.Go(t, ctx, base+"/gibt-es-nicht"+q), 404)
			checkPage(t, ctx, l, "404 page")

			checkAccessPages(t, ctx, svc, base, q, code, l)
			checkInformationPages(t, ctx, base, q, l)
		})
	}

	checkRateLimitedPage(t, ctx)
}

// checkAccessPages goes through the pages behind the access link: the
// conversation, a reply with an error, the withdrawal question, and the page
// that sends the link again.
func checkAccessPages(
	t *testing.T,
	ctx context.Context,
	svc *Service,
	base, q, code string,
	l browserLanguage,
) {
	t.Helper()
	parsed, err := tracking.ParseCode(code)
	if err != nil {
		t.Fatal(err)
	}

	secret := svc.Tickets.AccessSecret(parsed, 1)
	wantPageStatus(t, "access link", browsertest.Go(t, ctx, base+"/a/"+secret), 200)
	if p := pagePath(t, ctx); p != "/request" {
		t.Fatalf("access link went to %s, want /request", p)
	}
	wantPageStatus(t, "request", browsertest.Go(t, ctx, base+"/request"+q), 200)
	checkPage(t, ctx, l, "access-link view /request")

	status := browsertest.Await(t, ctx, "send an empty reply", chromedp.Click(submitButton))
	wantPageStatus(t, "empty reply", status, 422)
	checkPage(t, ctx, l, "reply without text (error)")

	wantPageStatus(t, "reply sent", browsertest.Go(t, ctx, base+"/request?done=reply&"+q[1:]), 200)
	checkPage(t, ctx, l, "reply sent (notice)")

	wantPageStatus(t, "withdraw", browsertest.Go(t, ctx, base+"/request/withdraw"+q), 200)
	checkPage(t, ctx, l, "withdrawal question /request/withdraw")

	wantPageStatus(t, "link", browsertest.Go(t, ctx, base+"/link"+q), 200)
	checkPage(t, ctx, l, "send the link again /link")
	runSteps(t, ctx, "fill in the link form",
		chromedp.SendKeys(chromedp.ID("code"), code),
		chromedp.SendKeys(chromedp.ID("email"), "someone@example.org"))
	status = browsertest.Await(t, ctx, "ask for the link", chromedp.Click(submitButton))
	wantPageStatus(t, "link sent", status, 200)
	checkPage(t, ctx, l, "link requested")
}

func checkInformationPages(t *testing.T, ctx context.Context, base, q string, l browserLanguage) {
	t.Helper()
	for _, path := range []string{"/privacy", "/accessibility", "/accessibility/feedback",
		"/sign-language", "/?q=laterne&lang=" + l.tag} {
		url := base + path
		if !strings.Contains(path, "?") {
			url += q
		}
		wantPageStatus(t, path, browsertest.Go(t, ctx, url), 200)
		checkPage(t, ctx, l, path)
	}

	// The easy-language page is in Leichte Sprache whatever the site's language;
	// only its frame follows the chosen language.
	wantPageStatus(t, "easy language", browsertest.Go(t, ctx, base+"/easy-language"+q), 200)
	browsertest.CheckStructure(t, ctx, l.tag+" /easy-language")
	browsertest.CheckAxe(t, ctx, l.tag+" /easy-language")
}

// checkRateLimitedPage checks the page a person sees after too many lookups.
func checkRateLimitedPage(t *testing.T, ctx context.Context) {
	t.Helper()
	svc, _ := newServiceWith(t, io.Discard, portal.Limits{
		Lookups: 1, Submissions: 1, Window: time.Minute,
	})
	base := browsertest.Start(t, svc.Portal.Fiber())
	code, err := tracking.NewCode()
	if err != nil {
		t.Fatal(err)
	}

	for _, l := range browserLanguages(t) {
		browsertest.Go(t, ctx, base+"/t/"+code.Canonical()+"?lang="+l.tag)
		status := browsertest.Go(t, ctx, base+"/t/"+code.Canonical()+"?lang="+l.tag)
		wantPageStatus(t, "rate-limited", status, 429)
		checkPage(t, ctx, l, "rate-limited lookup (429)")
	}
}

// backofficeLanguages are the languages the back office is offered in.
var backofficeLanguages = []browserLanguage{{tag: "de", dir: "ltr"}, {tag: "en", dir: "ltr"}}

func TestBackofficePagesPassAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newService(t)
	submitPothole(t, newBrowser(t, svc.Portal.Fiber()))
	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	base := browsertest.Start(t, svc.Backoffice.Fiber())

	for _, l := range backofficeLanguages {
		t.Run(l.tag, func(t *testing.T) {
			wantPageStatus(t, "login", browsertest.Go(t, ctx, base+"/login?lang="+l.tag), 200)
			checkPage(t, ctx, l, "sign-in /login")

			runSteps(t, ctx, "fill in a wrong password",
				chromedp.SendKeys(chromedp.ID("email"), testAdminEmail),
				chromedp.SendKeys(chromedp.ID("password"), "not the password"),
			)
			status := browsertest.Await(t, ctx, "sign in with a wrong password", chromedp.Click(submitButton))
			wantPageStatus(t, "wrong password", status, 401)
			checkPage(t, ctx, l, "sign-in with a wrong password (error)")

			browserPassword(t, ctx, base, l, testAdminEmail, testAdminPassword)
			browserCode(t, ctx, clock, testTOTPSecret)
			checkPage(t, ctx, l, "ticket list /tickets")

			status = browsertest.Await(t, ctx, "open the ticket",
				chromedp.Click(chromedp.CSS(`main table a[href^="/tickets/"]`)))
			wantPageStatus(t, "ticket", status, 200)
			checkPage(t, ctx, l, "ticket page /tickets/<id>")

			wantPageStatus(t, "outbox", browsertest.Go(t, ctx, base+"/outbox"), 200)
			checkPage(t, ctx, l, "outgoing mail /outbox")

			wantPageStatus(t, "search", browsertest.Go(t, ctx, base+"/tickets?q=Loch&overdue=1"), 200)
			checkPage(t, ctx, l, "queue with filters")
		})
	}
}

// TestKeyboardOnlySubmitAndTrack submits a report and tracks it with key
// presses alone, and checks that the focus can be seen on the way.
func TestKeyboardOnlySubmitAndTrack(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newService(t)
	base := browsertest.Start(t, svc.Portal.Fiber())

	wantPageStatus(t, "start", browsertest.Go(t, ctx, base+"/?lang=de"), 200)
	link := browsertest.TabTo(t, ctx, `a[href="/services/schlagloch"]`, 30)
	t.Logf("focus on %s: outline %s %s, box-shadow %s",
		link, link.OutlineStyle, link.OutlineWidth, link.BoxShadow)
	if !link.FocusVisible() {
		t.Errorf("focused link %s shows no focus: outline %s %s, box-shadow %s",
			link, link.OutlineStyle, link.OutlineWidth, link.BoxShadow)
	}
	wantPageStatus(t, "form", browsertest.AwaitKey(t, ctx, kb.Enter), 200)

	input := browsertest.TabTo(t, ctx, "#field-location", 30)
	t.Logf("focus on %s: outline %s %s, box-shadow %s",
		input, input.OutlineStyle, input.OutlineWidth, input.BoxShadow)
	if !input.FocusVisible() {
		t.Errorf("focused input %s shows no focus: outline %s %s, box-shadow %s",
			input, input.OutlineStyle, input.OutlineWidth, input.BoxShadow)
	}
	browsertest.Press(t, ctx, "Hauptstraße 12")
	browsertest.TabTo(t, ctx, "#field-description", 1)
	browsertest.Press(t, ctx, "Ein tiefes Loch vor der Bäckerei.")
	browsertest.TabTo(t, ctx, "#field-danger-yes", 1)
	browsertest.Press(t, ctx, " ")
	if f := browsertest.Focus(t, ctx); !f.Checked {
		t.Fatalf("Space on %s did not choose it", f)
	}
	browsertest.TabTo(t, ctx, "#contact_name", 3)
	browsertest.Press(t, ctx, "Maria Muster")
	browsertest.TabTo(t, ctx, "#contact_email", 1)
	browsertest.Press(t, ctx, "maria@example.org")
	wantPageStatus(t, "confirmation", browsertest.AwaitKey(t, ctx, kb.Enter), 200)

	code, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".tracking-code")))
	if err != nil {
		t.Fatalf("read the tracking code: %v", err)
	}
	code = strings.TrimSpace(code)
	if !groupedCode.MatchString(code) {
		t.Fatalf("confirmation shows tracking code %q, want the grouped form", code)
	}

	browsertest.TabTo(t, ctx, `a[href="/track"]`, 10)
	wantPageStatus(t, "track form", browsertest.AwaitKey(t, ctx, kb.Enter), 200)
	browsertest.TabTo(t, ctx, "#code", 30)
	browsertest.Press(t, ctx, code)
	wantPageStatus(t, "tracking page", browsertest.AwaitKey(t, ctx, kb.Enter), 200)
	if p := pagePath(t, ctx); !trackPath.MatchString(p) {
		t.Fatalf("tracking went to %s, want /t/<code>", p)
	}

	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".status-badge")))
	if err != nil {
		t.Fatalf("read the status: %v", err)
	}
	if strings.TrimSpace(status) != "Eingegangen" {
		t.Errorf("tracking page shows status %q, want Eingegangen", status)
	}
}
