package server

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/anliegen/anliegen/internal/browsertest"
	"github.com/anliegen/anliegen/internal/staff"
)

// TestPublishFormPassesAxe checks in Chromium the ticket page's form for the
// public description with a text too long, and the page after it was saved.
func TestPublishFormPassesAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, pool := newService(t)
	id, _ := openRequest(t, svc, pool, newBrowser(t, svc.Portal.Fiber()))

	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	base := browsertest.Start(t, svc.Backoffice.Fiber())
	path := base + "/tickets/" + itoa(id)
	form := `form[action$="/publish"]`

	for _, l := range backofficeLanguages {
		t.Run(l.tag, func(t *testing.T) {
			browserPassword(t, ctx, base, l, testAdminEmail, testAdminPassword)
			browserCode(t, ctx, clock, testTOTPSecret)

			wantPageStatus(t, "ticket", browsertest.Go(t, ctx, path), 200)
			runSteps(t, ctx, "type a text too long", noValidate(form),
				chromedp.SetValue(chromedp.ID("pub-text"), strings.Repeat("Loch ", 120)))
			wantPageStatus(t, "publish errors",
				browsertest.Await(t, ctx, "publish", clickIn(form)), 422)
			checkPage(t, ctx, l, "ticket page with a public description too long")

			runSteps(t, ctx, "type a description",
				chromedp.SetValue(chromedp.ID("pub-text"), "Schlagloch in der Fahrbahn "+l.tag))
			wantPageStatus(t, "published",
				browsertest.Await(t, ctx, "publish", clickIn(form)), 200)
			checkPage(t, ctx, l, "ticket page after publishing a description")
		})
	}
}
