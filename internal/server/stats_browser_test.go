package server

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/anliegen/anliegen/internal/browsertest"
	"github.com/anliegen/anliegen/internal/staff"
)

// TestStatisticsDashboardPassesAxe checks the dashboard with its charts, its
// error state and a two-year period by month in the back office's languages,
// signed in as the statistics role.
func TestStatisticsDashboardPassesAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newFiguresService(t)
	addStaff(t, svc, "stefan@stadt.example.org", staff.RoleStatistics, true)
	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	office := browsertest.Start(t, svc.Backoffice.Fiber())

	de := backofficeLanguages[0]
	browserPassword(t, ctx, office, de, "stefan@stadt.example.org", agentPassword)
	code, err := staff.Code(testTOTPSecret, clock.next())
	if err != nil {
		t.Fatal(err)
	}
	runSteps(t, ctx, "type the code", chromedp.SendKeys(chromedp.ID("code"), code))
	status := browsertest.Await(t, ctx, "send the code", chromedp.Click(submitButton))
	wantPageStatus(t, "code", status, 200)
	if p := pagePath(t, ctx); p != "/stats" {
		t.Fatalf("statistics role landed on %s, want /stats", p)
	}

	for _, l := range backofficeLanguages {
		t.Run(l.tag, func(t *testing.T) {
			status := browsertest.Go(t, ctx, office+"/stats?lang="+l.tag)
			wantPageStatus(t, "statistics", status, 200)
			checkPage(t, ctx, l, "statistics /stats")

			status = browsertest.Go(t, ctx, office+"/stats?by=week&from=2026-02-31")
			wantPageStatus(t, "statistics with a wrong date", status, 200)
			checkPage(t, ctx, l, "statistics with a wrong date (error)")

			status = browsertest.Go(t, ctx, office+"/stats?from=2025-01-01&to=2026-12-31")
			wantPageStatus(t, "statistics of two years", status, 200)
			checkPage(t, ctx, l, "statistics of two years by month")
		})
	}
}

// TestPublicFiguresPassAxe checks the public figures in the portal's checked
// languages, Arabic from right to left among them.
func TestPublicFiguresPassAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newFiguresService(t)
	portal := browsertest.Start(t, svc.Portal.Fiber())
	for _, l := range browserLanguages(t) {
		t.Run(l.tag, func(t *testing.T) {
			status := browsertest.Go(t, ctx, portal+"/figures?lang="+l.tag)
			wantPageStatus(t, "public figures", status, 200)
			checkPage(t, ctx, l, "public figures /figures")
		})
	}
}
