package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/anliegen/anliegen/internal/browsertest"
	"github.com/anliegen/anliegen/internal/staff"
)

// TestAdministrationPagesPassAxe checks every page of the administration in
// Chromium, in both languages of the back office, with and without errors.
func TestAdministrationPagesPassAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, pool := newService(t)
	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	addStaff(t, svc, agentEmail, staff.RoleTeamLead, false)
	base := browsertest.Start(t, svc.Backoffice.Fiber())

	var teamID int64
	if err := pool.QueryRow(context.Background(),
		`SELECT id FROM teams WHERE slug = 'tiefbau'`).Scan(&teamID); err != nil {
		t.Fatal(err)
	}
	_, err := pool.Exec(context.Background(),
		`INSERT INTO team_members (team_id, staff_id) SELECT $1, id FROM staff`, teamID)
	if err != nil {
		t.Fatal(err)
	}

	for i, l := range backofficeLanguages {
		t.Run(l.tag, func(t *testing.T) {
			browserPassword(t, ctx, base, l, testAdminEmail, testAdminPassword)
			browserCode(t, ctx, clock, testTOTPSecret)

			for _, p := range adminPages {
				wantPageStatus(t, p, browsertest.Go(t, ctx, base+p), 200)
				checkPage(t, ctx, l, p)
			}

			errorPages := []struct{ path string }{
				{"/admin/services/new"}, {"/admin/services/1/form/new?type=choice"},
				{"/admin/teams/new"}, {"/staff/new"}, {"/admin/holidays"},
			}
			for _, e := range errorPages {
				wantPageStatus(t, e.path, browsertest.Go(t, ctx, base+e.path), 200)
				status := browsertest.Await(t, ctx, "submit "+e.path+" empty",
					chromedp.Click(submitButton))
				wantPageStatus(t, e.path+" with errors", status, 422)
				// checkPage also waits for the focus to reach the error summary.
				checkPage(t, ctx, l, e.path+" with errors")
			}

			browserCreateStaff(t, ctx, base, l, i)
		})
	}
}

// browserCreateStaff creates an account and checks the page that shows its
// initial password.
func browserCreateStaff(t *testing.T, ctx context.Context, base string, l browserLanguage, n int) {
	t.Helper()
	wantPageStatus(t, "new staff", browsertest.Go(t, ctx, base+"/staff/new"), 200)
	runSteps(t, ctx, "fill in the new account",
		chromedp.SendKeys(chromedp.ID("name"), "Bea Beispiel"),
		chromedp.SendKeys(chromedp.ID("email"), "bea"+itoa(int64(n))+"@stadt.example.org"),
	)
	status := browsertest.Await(t, ctx, "create the account", chromedp.Click(submitButton))
	wantPageStatus(t, "account created", status, 201)
	checkPage(t, ctx, l, "account created with its initial password")
}

// TestKeyboardOnlyServiceEdit opens a service from the list, translates its
// name, turns a message off and saves, with key presses alone.
func TestKeyboardOnlyServiceEdit(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newService(t)
	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	base := browsertest.Start(t, svc.Backoffice.Fiber())
	l := browserLanguage{tag: "de", dir: "ltr"}

	browserPassword(t, ctx, base, l, testAdminEmail, testAdminPassword)
	browserCode(t, ctx, clock, testTOTPSecret)

	wantPageStatus(t, "services", browsertest.Go(t, ctx, base+"/admin/services"), 200)
	s, err := svc.Catalog.ServiceByCode(context.Background(), "schlagloch")
	if err != nil {
		t.Fatal(err)
	}
	link := browsertest.TabTo(t, ctx, `main a[href="/admin/services/`+itoa(s.ID)+`"]`, 40)
	if !link.FocusVisible() {
		t.Errorf("focused link %s shows no focus", link)
	}
	wantPageStatus(t, "service", browsertest.AwaitKey(t, ctx, kb.Enter), 200)

	name := browsertest.TabTo(t, ctx, "#name_en", 40)
	if !name.FocusVisible() {
		t.Errorf("focused input %s shows no focus", name)
	}
	runSteps(t, ctx, "clear the English name", chromedp.Clear(chromedp.ID("name_en")))
	browsertest.Press(t, ctx, "Pothole in the road")

	browsertest.TabTo(t, ctx, "#message_answer", 80)
	browsertest.Press(t, ctx, " ")
	if f := browsertest.Focus(t, ctx); f.Checked {
		t.Fatalf("Space on %s did not untick it", f)
	}

	button := browsertest.TabTo(t, ctx, "main form button[type=submit]", 40)
	if !button.FocusVisible() {
		t.Errorf("focused button %s shows no focus", button)
	}
	wantPageStatus(t, "saved", browsertest.AwaitKey(t, ctx, kb.Enter), 200)

	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main [role=status]`)))
	if err != nil || !strings.Contains(shown, "Gespeichert") {
		t.Errorf("after saving the page says %q (%v), want Gespeichert", shown, err)
	}

	got, err := svc.Catalog.ServiceByID(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name["en"] != "Pothole in the road" || got.Sends("answer") {
		t.Errorf("stored name %q and answer mail %v, want the edit", got.Name["en"],
			got.Sends("answer"))
	}
}
