package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/anliegen/anliegen/internal/browsertest"
)

// TestSatisfactionPagePassesAxe checks the satisfaction page in German and
// Arabic as the mail's link opens it, with the error of a missing score, and
// the thanks after an answer.
func TestSatisfactionPagePassesAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, pool := newMailService(t, "")
	base := browsertest.Start(t, svc.Portal.Fiber())

	for _, l := range []browserLanguage{{tag: "de", dir: "ltr"}, {tag: "ar", dir: "rtl"}} {
		t.Run(l.tag, func(t *testing.T) {
			_, path := resolvedWithMail(t, svc, pool, l.tag, 3)
			wantPageStatus(t, "link", browsertest.Go(t, ctx, base+path), 200)
			checkPage(t, ctx, l, "satisfaction page from the mail")

			bare := strings.SplitN(path, "?", 2)[0] + "?lang=" + l.tag
			wantPageStatus(t, "no score", browsertest.Go(t, ctx, base+bare), 200)
			status := browsertest.Await(t, ctx, "send without a score",
				chromedp.Click(submitButton))
			wantPageStatus(t, "no score sent", status, 422)
			checkPage(t, ctx, l, "satisfaction page with an error")

			runSteps(t, ctx, "choose a score", chromedp.Click(chromedp.CSS(`#score-5`)))
			status = browsertest.Await(t, ctx, "send the answer", chromedp.Click(submitButton))
			wantPageStatus(t, "answer sent", status, 200)
			checkPage(t, ctx, l, "satisfaction thanks")
		})
	}
}
