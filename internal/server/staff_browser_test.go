package server

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/anliegen/anliegen/internal/browsertest"
	"github.com/anliegen/anliegen/internal/staff"
)

// TestSecondFactorAndStaffPagesPassAxe walks enrolment, the code, the own
// account and the staff administration in Chromium, in both languages of the
// back office, with and without an error on the page.
func TestSecondFactorAndStaffPagesPassAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newService(t)
	agent := addStaff(t, svc, agentEmail, staff.RoleAgent, false)
	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	base := browsertest.Start(t, svc.Backoffice.Fiber())

	for _, l := range []browserLanguage{{tag: "de", dir: "ltr"}, {tag: "en", dir: "ltr"}} {
		t.Run(l.tag, func(t *testing.T) {
			if _, err := svc.Staff.ResetSecondFactor(context.Background(), agent.ID); err != nil {
				t.Fatal(err)
			}

			browserPassword(t, ctx, base, l, agentEmail, agentPassword)
			checkPage(t, ctx, l, "enrolment /login/code")
			browserWrongCode(t, ctx)
			checkPage(t, ctx, l, "enrolment with a wrong code")

			shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main code")))
			if err != nil {
				t.Fatalf("read the secret: %v", err)
			}
			secret := strings.Join(strings.Fields(shown), "")
			browserCode(t, ctx, clock, secret)

			browserAccount(t, ctx, base, l)

			browserPassword(t, ctx, base, l, testAdminEmail, testAdminPassword)
			checkPage(t, ctx, l, "code /login/code")
			browserWrongCode(t, ctx)
			checkPage(t, ctx, l, "code with a wrong code")
			browserCode(t, ctx, clock, testTOTPSecret)

			wantPageStatus(t, "staff", browsertest.Go(t, ctx, base+"/staff"), 200)
			checkPage(t, ctx, l, "staff /staff")
			browserAccount(t, ctx, base, l)
		})
	}
}

// steppingClock tells a time that moves one TOTP step on at each code, so that
// sign-ins in quick succession each have an unused code.
type steppingClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *steppingClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()

	return c.at
}

func (c *steppingClock) next() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(30 * time.Second)

	return c.at
}

func browserPassword(
	t *testing.T,
	ctx context.Context,
	base string,
	l browserLanguage,
	email, password string,
) {
	t.Helper()
	wantPageStatus(t, "login", browsertest.Go(t, ctx, base+"/login?lang="+l.tag), 200)
	runSteps(t, ctx, "fill in the password",
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	status := browsertest.Await(t, ctx, "sign in", chromedp.Click(submitButton))
	wantPageStatus(t, "password", status, 200)
	if p := pagePath(t, ctx); p != "/login/code" {
		t.Fatalf("password went to %s, want /login/code", p)
	}
}

func browserWrongCode(t *testing.T, ctx context.Context) {
	t.Helper()
	runSteps(t, ctx, "type a wrong code", chromedp.SendKeys(chromedp.ID("code"), wrongCode(t)))
	status := browsertest.Await(t, ctx, "send the wrong code", chromedp.Click(submitButton))
	wantPageStatus(t, "wrong code", status, 401)
}

func browserCode(t *testing.T, ctx context.Context, clock *steppingClock, secret string) {
	t.Helper()
	code, err := staff.Code(secret, clock.next())
	if err != nil {
		t.Fatal(err)
	}

	runSteps(t, ctx, "type the code",
		chromedp.Clear(chromedp.ID("code")),
		chromedp.SendKeys(chromedp.ID("code"), code),
	)
	status := browsertest.Await(t, ctx, "send the code", chromedp.Click(submitButton))
	wantPageStatus(t, "code", status, 200)
	if p := pagePath(t, ctx); p != "/tickets" {
		t.Fatalf("code went to %s, want /tickets", p)
	}
}

// browserAccount checks the account page and signs out everywhere from it.
func browserAccount(t *testing.T, ctx context.Context, base string, l browserLanguage) {
	t.Helper()
	wantPageStatus(t, "account", browsertest.Go(t, ctx, base+"/account"), 200)
	checkPage(t, ctx, l, "account /account")

	status := browsertest.Await(t, ctx, "sign out everywhere", chromedp.Click(submitButton))
	wantPageStatus(t, "sign-out everywhere", status, 200)
	if p := pagePath(t, ctx); p != "/login" {
		t.Fatalf("sign-out everywhere went to %s, want /login", p)
	}
}
