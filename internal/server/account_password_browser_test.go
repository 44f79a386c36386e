package server

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/anliegen/anliegen/internal/browsertest"
	"github.com/anliegen/anliegen/internal/staff"
)

// TestPasswordPagePassesAxe signs a member whom an administrator created in
// and checks the password page they are sent to, with errors and after the
// change, in both languages of the back office.
func TestPasswordPagePassesAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newService(t)
	if err := svc.Staff.SetMFA(staff.MFAOptional); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Start(t, svc.Backoffice.Fiber())

	for _, l := range []browserLanguage{{tag: "de", dir: "ltr"}, {tag: "en", dir: "ltr"}} {
		t.Run(l.tag, func(t *testing.T) {
			email := "neu-" + l.tag + "@stadt.example.org"
			_, err := svc.Staff.Create(context.Background(), staff.NewMember{Email: email,
				Name: "Nina Neu", Role: staff.RoleAgent, Password: agentPassword,
				MustChangePassword: true})
			if err != nil {
				t.Fatal(err)
			}

			wantPageStatus(t, "login", browsertest.Go(t, ctx, base+"/login?lang="+l.tag), 200)
			runSteps(t, ctx, "fill in the password",
				chromedp.SendKeys(chromedp.ID("email"), email),
				chromedp.SendKeys(chromedp.ID("password"), agentPassword),
			)
			status := browsertest.Await(t, ctx, "sign in", chromedp.Click(submitButton))
			wantPageStatus(t, "sign in", status, 200)
			if p := pagePath(t, ctx); p != "/account/password" {
				t.Fatalf("the first sign-in went to %s, want /account/password", p)
			}
			checkPage(t, ctx, l, "password /account/password")

			runSteps(t, ctx, "fill in a wrong current password",
				chromedp.SendKeys(chromedp.ID("current_password"), "Falsches Passwort 123"),
				chromedp.SendKeys(chromedp.ID("new_password"), "kurz"),
			)
			status = browsertest.Await(t, ctx, "send", chromedp.Click(submitButton))
			wantPageStatus(t, "password with errors", status, 422)
			// checkPage also waits for the focus on the error summary.
			checkPage(t, ctx, l, "password with errors")

			runSteps(t, ctx, "fill in the change",
				chromedp.SendKeys(chromedp.ID("current_password"), agentPassword),
				chromedp.SendKeys(chromedp.ID("new_password"), changedPassword),
				chromedp.SendKeys(chromedp.ID("repeat_password"), changedPassword),
			)
			status = browsertest.Await(t, ctx, "change", chromedp.Click(submitButton))
			wantPageStatus(t, "password changed", status, 200)
			checkPage(t, ctx, l, "password changed")

			wantPageStatus(t, "tickets", browsertest.Go(t, ctx, base+"/tickets"), 200)
			status = browsertest.Await(t, ctx, "sign out",
				chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
			wantPageStatus(t, "sign out", status, 200)
		})
	}
}
