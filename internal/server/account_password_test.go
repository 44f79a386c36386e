package server

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/staff"
)

const changedPassword = "Neuer Schlüssel fürs Rathaus 8"

// changePassword submits the password form of the browser's member.
func changePassword(t *testing.T, b *browser, current, next, repeat string) response {
	t.Helper()
	page := b.get("/account/password")
	wantStatus(t, page, 200)

	return b.post("/account/password", url.Values{"current_password": {current},
		"new_password": {next}, "repeat_password": {repeat}}, csrf(t, page.body))
}

func TestPasswordChangeRefusesAtTheField(t *testing.T) {
	svc, _ := newService(t)
	m := addStaff(t, svc, agentEmail, staff.RoleAgent, true)
	agent := newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, agent, agentEmail, agentPassword)

	account := agent.get("/account")
	wantStatus(t, account, 200)
	wantText(t, account, `href="/account/password"`, "Passwort ändern")

	page := agent.get("/account/password")
	wantStatus(t, page, 200)
	wantText(t, page, `autocomplete="current-password"`, `autocomplete="new-password"`,
		`type="password"`, `name="_csrf"`)

	tests := []struct {
		name, current, next, repeat, field, message string
	}{
		{"wrong current password", "Falsches Passwort 123", changedPassword, changedPassword,
			"current_password", "Das bisherige Passwort ist nicht richtig."},
		{"short new password", agentPassword, "kurz-2026", "kurz-2026",
			"new_password", "mindestens 12 Zeichen"},
		{"common new password", agentPassword, "123456789012", "123456789012",
			"new_password", "zu verbreitet"},
		{"repeat differs", agentPassword, changedPassword, changedPassword + "!",
			"repeat_password", "stimmen nicht überein"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := changePassword(t, agent, tt.current, tt.next, tt.repeat)
			wantStatus(t, res, 422)
			wantText(t, res, `id="error-summary"`, `href="#`+tt.field+`"`, tt.message,
				`id="`+tt.field+`-error"`, `aria-invalid="true"`)
			described := regexp.MustCompile(`id="` + tt.field +
				`"[^>]*aria-describedby="[^"]*` + tt.field + `-error"`)
			if !described.MatchString(res.body) {
				t.Errorf("the input %s is not described by its message", tt.field)
			}
		})
	}

	if _, err := svc.Staff.Authenticate(context.Background(), agentEmail, agentPassword); err != nil {
		t.Errorf("the refused changes changed the password: %v", err)
	}
	if _, err := svc.Staff.Authenticate(context.Background(), m.Email, changedPassword); err == nil {
		t.Error("a refused new password signs in")
	}
}

func TestPasswordChangeSignsInWithTheNewPasswordOnly(t *testing.T) {
	logs := &lockedLog{}
	svc, _ := newServiceWith(t, logs, testLimits())
	m := addStaff(t, svc, agentEmail, staff.RoleAgent, true)
	agent, other := newBrowser(t, svc.Backoffice.Fiber()), newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, agent, agentEmail, agentPassword)
	signInAs(t, other, agentEmail, agentPassword)

	res := changePassword(t, agent, agentPassword, changedPassword, changedPassword)
	wantStatus(t, res, 303)
	if res.location != "/account/password?changed=1" {
		t.Fatalf("the change went to %q, want /account/password?changed=1", res.location)
	}
	done := agent.get(res.location)
	wantStatus(t, done, 200)
	wantText(t, done, "Ihr Passwort ist geändert.")

	wantStatus(t, agent.get("/tickets"), 200)
	if r := other.get("/tickets"); r.status != 303 || r.location != "/login" {
		t.Errorf("the other session after the change: %d to %q, want 303 to /login",
			r.status, r.location)
	}

	old := enterPassword(t, newBrowser(t, svc.Backoffice.Fiber()), agentEmail, agentPassword)
	if old.status == 303 {
		t.Errorf("the old password still signs in, to %q", old.location)
	}
	signInAs(t, newBrowser(t, svc.Backoffice.Fiber()), agentEmail, changedPassword)

	e := wantEvent(t, logs.String(), "password_changed", m.ID)
	if e != nil && e["sessions"] != float64(1) {
		t.Errorf("the change logged %v sessions ended, want 1", e["sessions"])
	}
	for _, p := range []string{agentPassword, changedPassword} {
		if strings.Contains(logs.String(), p) {
			t.Errorf("the log holds a password")
		}
	}
}

func TestMemberCreatedByAdministratorMustChangePassword(t *testing.T) {
	svc, pool := newService(t)
	if err := svc.Staff.SetMFA(staff.MFAOptional); err != nil {
		t.Fatal(err)
	}
	admin := adminBrowser(t, svc, pool)
	form := admin.get("/staff/new")
	wantStatus(t, form, 200)
	res := admin.post("/staff", url.Values{"name": {"Bea Beispiel"},
		"email": {"bea@stadt.example.org"}, "role": {"agent"}, "password": {agentPassword}},
		csrf(t, form.body))
	wantStatus(t, res, 201)

	bea := newBrowser(t, svc.Backoffice.Fiber())
	res = enterPassword(t, bea, "bea@stadt.example.org", agentPassword)
	wantStatus(t, res, 303)

	for _, path := range []string{"/tickets", "/account", "/", "/intake", "/outbox"} {
		if r := bea.get(path); r.status != 303 || r.location != "/account/password" {
			t.Errorf("GET %s before the change: %d to %q, want 303 to /account/password",
				path, r.status, r.location)
		}
	}
	page := bea.get("/account/password")
	wantStatus(t, page, 200)
	wantText(t, page, "Bitte wählen Sie jetzt ein eigenes Passwort")
	if r := bea.post("/tickets/bulk", url.Values{}, csrf(t, page.body)); r.status != 303 ||
		r.location != "/account/password" {
		t.Errorf("POST before the change: %d to %q, want 303 to /account/password",
			r.status, r.location)
	}

	res = changePassword(t, bea, agentPassword, changedPassword, changedPassword)
	wantStatus(t, res, 303)
	wantStatus(t, bea.get("/tickets"), 200)
	wantStatus(t, bea.get("/account"), 200)

	var must bool
	err := pool.QueryRow(context.Background(),
		`SELECT must_change_password FROM staff WHERE email = 'bea@stadt.example.org'`).Scan(&must)
	if err != nil || must {
		t.Errorf("must_change_password after the change = %v, %v; want false", must, err)
	}

	// The administrator's own account, made by the operator, is never sent there.
	wantStatus(t, admin.get("/tickets"), 200)
}
