package server

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/anliegen/anliegen/internal/browsertest"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/ticket"
)

// noValidate turns off the browser's own checks of a form, so that the
// server's answer to a form with errors can be checked too.
func noValidate(form string) chromedp.Action[chromedp.Void] {
	return script(`document.querySelector('` + form + `').noValidate = true`)
}

// clickIn presses the submit button of form, or the button itself, by
// script, wherever the page has scrolled it to.
func clickIn(form string) chromedp.Action[chromedp.Void] {
	return script(`document.querySelector('` + form +
		` button[type=submit]:not([formaction])').click(); true`)
}

func script(js string) chromedp.Action[chromedp.Void] {
	eval := chromedp.Evaluate[bool](js)

	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := eval(ctx, tg)
		return chromedp.Void{}, err
	}
}

// TestWorkflowPagesPassAxe checks in Chromium the ticket page with the forms
// to change team and service, forward, reject, merge and link, with errors and
// after a text module was inserted; the intake pages; the text module pages;
// and the tracking pages of a rejected and a merged ticket.
func TestWorkflowPagesPassAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, _ := openRequest(t, svc, pool, citizen)
	other, otherCode := openRequest(t, svc, pool, newBrowser(t, svc.Portal.Fiber()))
	rejected, rejectedCode := openRequest(t, svc, pool, newBrowser(t, svc.Portal.Fiber()))
	bg := context.Background()
	if err := svc.Tickets.Link(bg, ticket.Action{TicketID: id, Version: 1}, other); err != nil {
		t.Fatal(err)
	}
	if err := svc.Tickets.Reject(bg, ticket.Rejection{Action: ticket.Action{TicketID: rejected,
		Version: 1}, Reason: "Privatweg.", Pointer: "Hausverwaltung"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Tickets.Merge(bg, ticket.Action{TicketID: other, Version: 1}, id); err != nil {
		t.Fatal(err)
	}
	moduleID := scalarOf[int64](t, pool, `INSERT INTO text_modules (name, body)
		VALUES ('Eingang', '{"de": "Guten Tag {{.Name}}.", "en": "Dear {{.Name}}."}') RETURNING id`)

	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	base := browsertest.Start(t, svc.Backoffice.Fiber())
	path := base + "/tickets/" + itoa(id)

	for _, l := range backofficeLanguages {
		t.Run(l.tag, func(t *testing.T) {
			browserPassword(t, ctx, base, l, testAdminEmail, testAdminPassword)
			browserCode(t, ctx, clock, testTOTPSecret)

			wantPageStatus(t, "ticket", browsertest.Go(t, ctx, path), 200)
			checkPage(t, ctx, l, "ticket page with the workflow forms")

			form := `form[action$="/forward"]`
			runSteps(t, ctx, "forward without address", noValidate(form),
				chromedp.SendKeys(chromedp.ID("fwd-body"), "Landesamt"))
			wantPageStatus(t, "forward errors",
				browsertest.Await(t, ctx, "forward", clickIn(form)), 422)
			checkPage(t, ctx, l, "ticket page with forward errors")

			runSteps(t, ctx, "choose a module",
				chromedp.SetValue(chromedp.ID("module"), itoa(moduleID)))
			wantPageStatus(t, "module inserted", browsertest.Await(t, ctx, "insert",
				script(`document.querySelector('button[formaction$="/message/module"]').click(); true`)),
				200)
			checkPage(t, ctx, l, "ticket page after inserting a text module")

			wantPageStatus(t, "intake", browsertest.Go(t, ctx, base+"/intake"), 200)
			checkPage(t, ctx, l, "intake: service, channel and language")
			wantPageStatus(t, "intake form",
				browsertest.Await(t, ctx, "continue", chromedp.Click(submitButton)), 200)
			checkPage(t, ctx, l, "intake: the service's form")
			wantPageStatus(t, "intake errors",
				browsertest.Await(t, ctx, "submit empty", clickIn(`form[action="/intake"]`)), 422)
			checkPage(t, ctx, l, "intake with errors")

			wantPageStatus(t, "modules", browsertest.Go(t, ctx, base+"/text-modules"), 200)
			checkPage(t, ctx, l, "text modules")
			wantPageStatus(t, "module", browsertest.Go(t, ctx, base+"/text-modules/"+itoa(moduleID)), 200)
			checkPage(t, ctx, l, "text module form")
			wantPageStatus(t, "new module", browsertest.Go(t, ctx, base+"/text-modules/new"), 200)
			form = `form[action="/text-modules/new"]`
			runSteps(t, ctx, "save without text", noValidate(form))
			wantPageStatus(t, "module errors",
				browsertest.Await(t, ctx, "save", clickIn(form)), 422)
			checkPage(t, ctx, l, "text module form with errors")
		})
	}

	portalBase := browsertest.Start(t, svc.Portal.Fiber())
	for _, l := range browserLanguages(t) {
		q := "?lang=" + url.QueryEscape(l.tag)
		for name, code := range map[string]string{"rejected": rejectedCode, "merged": otherCode} {
			wantPageStatus(t, name, browsertest.Go(t, ctx, portalBase+"/t/"+code+q), 200)
			checkPage(t, ctx, l, "tracking page of a "+name+" ticket")
		}
	}
}

// TestKeyboardOnlyIntake takes a phone call in with key presses alone: the
// navigation, the choice of service and channel, the service's form and the
// contact, with the focus visible on the way.
func TestKeyboardOnlyIntake(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, pool := newService(t)
	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	base := browsertest.Start(t, svc.Backoffice.Fiber())
	l := browserLanguage{tag: "de", dir: "ltr"}
	browserPassword(t, ctx, base, l, testAdminEmail, testAdminPassword)
	browserCode(t, ctx, clock, testTOTPSecret)

	wantVisible := func(f browsertest.Focused) {
		t.Helper()
		if !f.FocusVisible() {
			t.Errorf("focused %s shows no focus: outline %s %s, box-shadow %s",
				f, f.OutlineStyle, f.OutlineWidth, f.BoxShadow)
		}
	}

	wantVisible(browsertest.TabTo(t, ctx, `a[href="/intake"]`, 20))
	wantPageStatus(t, "intake", browsertest.AwaitKey(t, ctx, kb.Enter), 200)

	wantVisible(browsertest.TabTo(t, ctx, "#intake-service", 30))
	wantVisible(browsertest.TabTo(t, ctx, "#channel-phone", 2))
	browsertest.Press(t, ctx, " ")
	if f := browsertest.Focus(t, ctx); !f.Checked {
		t.Fatalf("Space on %s did not choose it", f)
	}
	browsertest.TabTo(t, ctx, "#intake-language", 3)
	browsertest.TabTo(t, ctx, "main form button[type=submit]", 2)
	wantPageStatus(t, "intake form", browsertest.AwaitKey(t, ctx, kb.Enter), 200)

	wantVisible(browsertest.TabTo(t, ctx, "#field-location", 40))
	browsertest.Press(t, ctx, "Hauptstraße 12")
	browsertest.TabTo(t, ctx, "#field-description", 1)
	browsertest.Press(t, ctx, "Ein Anrufer meldet ein Loch.")
	browsertest.TabTo(t, ctx, "#field-danger-yes", 2)
	browsertest.Press(t, ctx, kb.ArrowRight)
	if f := browsertest.Focus(t, ctx); f.ID != "field-danger-no" || !f.Checked {
		t.Fatalf("the arrow key moved to %s, want field-danger-no chosen", f)
	}
	browsertest.TabTo(t, ctx, "#contact_name", 5)
	browsertest.Press(t, ctx, "Karl Anrufer")
	wantVisible(browsertest.TabTo(t, ctx, `main form button[type=submit]`, 6))
	wantPageStatus(t, "ticket", browsertest.AwaitKey(t, ctx, kb.Enter), 200)

	p := pagePath(t, ctx)
	var channel, name string
	err := pool.QueryRow(context.Background(),
		"SELECT channel, contact_name FROM tickets").Scan(&channel, &name)
	if err != nil {
		t.Fatal(err)
	}
	if channel != "phone" || name != "Karl Anrufer" {
		t.Errorf("ticket by %s for %q at %s, want phone for Karl Anrufer", channel, name, p)
	}
	wantVisible(browsertest.TabTo(t, ctx, "#ack-letter", 80))
}
