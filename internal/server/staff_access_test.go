package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/skip2/go-qrcode"

	"github.com/anliegen/anliegen/internal/staff"
)

const (
	agentEmail    = "agent@stadt.example.org"
	agentPassword = "Sachbearbeitung im Rathaus 7"
)

var (
	secretText = regexp.MustCompile(`<code[^>]*>([A-Z2-7 ]+)</code>`)
	staffRow   = regexp.MustCompile(`<tr class="kern-table__row" data-staff="(\d+)">`)
)

// addStaff adds a member with the given role; with enrolled set, the member has
// the test secret as second factor.
func addStaff(t *testing.T, svc *Service, email, role string, enrolled bool) staff.Member {
	t.Helper()
	n := staff.NewMember{Email: email, Name: "Anna Agent", Role: role, Password: agentPassword}
	if enrolled {
		n.TOTPSecret = testTOTPSecret
	}

	m, err := svc.Staff.Create(context.Background(), n)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}

	return m
}

// enterPassword submits the sign-in form and returns the answer.
func enterPassword(t *testing.T, b *browser, email, password string) response {
	t.Helper()
	form := b.get("/login")

	return b.post("/login", url.Values{"email": {email}, "password": {password}},
		csrf(t, form.body))
}

// enterCode submits codes of the test secret for the time steps around now
// until one is accepted, as signIn does, and returns the last answer.
func enterCode(t *testing.T, b *browser) response {
	t.Helper()
	page := b.get("/login/code")
	wantStatus(t, page, 200)

	var res response
	for _, offset := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		res = b.post("/login/code", url.Values{"code": {totpCode(t, time.Now().Add(offset))}},
			csrf(t, page.body))
		if res.status == 303 {
			return res
		}
		page = res
	}

	return res
}

// signInAs signs a member with the test secret in and fails unless the tickets
// follow, or the statistics for the role that sees no tickets.
func signInAs(t *testing.T, b *browser, email, password string) {
	t.Helper()
	res := enterPassword(t, b, email, password)
	wantStatus(t, res, 303)
	if res.location != "/login/code" {
		t.Fatalf("password went to %q, want /login/code", res.location)
	}

	res = enterCode(t, b)
	wantStatus(t, res, 303)
	if res.location != "/tickets" && res.location != "/stats" {
		t.Fatalf("code went to %q, want /tickets or /stats", res.location)
	}
}

// wrongCode returns six digits that are none of the codes accepted now.
func wrongCode(t *testing.T) string {
	t.Helper()
	taken := map[string]bool{}
	for _, offset := range []time.Duration{-60, -30, 0, 30, 60} {
		taken[totpCode(t, time.Now().Add(offset*time.Second))] = true
	}

	for n := 0; ; n++ {
		c := strconv.Itoa(100000 + n*7919)
		if !taken[c] {
			return c
		}
	}
}

// lockedLog is a log that handlers write while the test reads it.
type lockedLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()

	return l.buf.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()

	return l.buf.String()
}

// securityEvents returns the security lines of a JSON log.
func securityEvents(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var events []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if e["msg"] == "security" {
			events = append(events, e)
		}
	}

	return events
}

// wantEvent fails unless the log has a security event of that name for staffID.
func wantEvent(t *testing.T, logs, event string, staffID int64) map[string]any {
	t.Helper()
	for _, e := range securityEvents(t, logs) {
		if e["event"] == event && e["staff_id"] == float64(staffID) {
			return e
		}
	}

	t.Errorf("log has no security event %s for staff %d:\n%s", event, staffID, logs)

	return nil
}

func TestFirstSignInEnrolsWithQRCode(t *testing.T) {
	logs := &lockedLog{}
	svc, pool := newServiceWith(t, logs, testLimits())
	agent := addStaff(t, svc, agentEmail, staff.RoleAgent, false)
	b := newBrowser(t, svc.Backoffice.Fiber())

	res := enterPassword(t, b, agentEmail, agentPassword)
	wantStatus(t, res, 303)
	if res.location != "/login/code" {
		t.Fatalf("password went to %q, want /login/code", res.location)
	}

	page := b.get("/login/code")
	wantStatus(t, page, 200)
	wantText(t, page, "Zweiten Faktor einrichten", "data:image/png;base64,",
		`autocomplete="one-time-code"`)
	m := secretText.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("enrolment page shows no secret to type:\n%s", page.body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")

	wantQRCode(t, page, agentEmail, secret)
	wantStatus(t, b.get("/tickets"), 303)

	wrong := b.post("/login/code", url.Values{"code": {wrongCode(t)}}, csrf(t, page.body))
	wantStatus(t, wrong, 401)
	wantText(t, wrong, "Der Code stimmt nicht.", "data:image/png;base64,", m[1])

	code, err := staff.Code(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res = b.post("/login/code", url.Values{"code": {code}}, csrf(t, wrong.body))
	wantStatus(t, res, 303)
	wantStatus(t, b.get("/tickets"), 200)

	var stored string
	err = pool.QueryRow(t.Context(), "SELECT totp_secret FROM staff WHERE id = $1", agent.ID).
		Scan(&stored)
	if err != nil || !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret) {
		t.Errorf("stored secret %q (%v), want the one shown, %q, sealed", stored, err, secret)
	}

	wantEvent(t, logs.String(), "mfa_failed", agent.ID)
	wantEvent(t, logs.String(), "mfa_enrolled", agent.ID)
	wantEvent(t, logs.String(), "sign_in", agent.ID)
	for _, private := range []string{secret, code, agentPassword, agentEmail} {
		if strings.Contains(logs.String(), private) {
			t.Errorf("log contains %q", private)
		}
	}
}

// wantQRCode checks that the page's QR code carries the otpauth URL of secret.
func wantQRCode(t *testing.T, page response, email, secret string) {
	t.Helper()
	u, err := staff.TOTPURL(email, secret)
	if err != nil {
		t.Fatal(err)
	}

	png, err := qrcode.Encode(u, qrcode.Medium, 240)
	if err != nil {
		t.Fatal(err)
	}

	if !strings.Contains(html.UnescapeString(page.body), base64.StdEncoding.EncodeToString(png)) {
		t.Errorf("the QR code does not encode %s", u)
	}

	if !strings.HasPrefix(u, "otpauth://totp/") || !strings.Contains(u, "secret="+secret) {
		t.Errorf("enrolment URL %q, want otpauth://totp/… with the secret", u)
	}
}

func TestSignInNeedsTheCode(t *testing.T) {
	logs := &lockedLog{}
	svc, pool := newServiceWith(t, logs, testLimits())
	admin := adminID(t, pool)
	b := newBrowser(t, svc.Backoffice.Fiber())

	res := enterPassword(t, b, testAdminEmail, testAdminPassword)
	wantStatus(t, res, 303)
	if res.location != "/login/code" {
		t.Fatalf("password went to %q, want /login/code", res.location)
	}

	if r := b.get("/tickets"); r.status != 303 || r.location != "/login" {
		t.Fatalf("tickets after the password alone: %d to %q, want 303 to /login", r.status,
			r.location)
	}

	page := b.get("/login/code")
	wantStatus(t, page, 200)
	wantText(t, page, "Bestätigungscode", "sechsstelligen Code")
	wantNoText(t, page, "data:image/png", "<code")

	short := b.post("/login/code", url.Values{"code": {"12345"}}, csrf(t, page.body))
	wantStatus(t, short, 422)
	wantText(t, short, "Bitte geben Sie die sechs Ziffern des Codes ein.", `aria-invalid="true"`)

	wrong := b.post("/login/code", url.Values{"code": {wrongCode(t)}}, csrf(t, short.body))
	wantStatus(t, wrong, 401)
	wantText(t, wrong, "Der Code stimmt nicht.")
	wantEvent(t, logs.String(), "mfa_failed", admin)

	code := totpCode(t, time.Now())
	ok := b.post("/login/code", url.Values{"code": {code}}, csrf(t, wrong.body))
	wantStatus(t, ok, 303)
	wantStatus(t, b.get("/tickets"), 200)

	other := newBrowser(t, svc.Backoffice.Fiber())
	wantStatus(t, enterPassword(t, other, testAdminEmail, testAdminPassword), 303)
	page = other.get("/login/code")
	reused := other.post("/login/code", url.Values{"code": {code}}, csrf(t, page.body))
	wantStatus(t, reused, 401)
	wantText(t, reused, "Dieser Code wurde schon verwendet.")
	wantStatus(t, other.get("/tickets"), 303)

	if e := wantEvent(t, logs.String(), "mfa_failed", admin); e != nil && strings.Contains(
		logs.String(), code) {
		t.Errorf("log contains the code %s", code)
	}
}

func adminID(t *testing.T, pool *pgxpool.Pool) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(t.Context(), "SELECT id FROM staff WHERE email = $1", testAdminEmail).
		Scan(&id)
	if err != nil {
		t.Fatalf("read the test member: %v", err)
	}

	return id
}

func TestTooManyWrongCodesAskForThePasswordAgain(t *testing.T) {
	svc, _ := newService(t)
	b := newBrowser(t, svc.Backoffice.Fiber())
	wantStatus(t, enterPassword(t, b, testAdminEmail, testAdminPassword), 303)

	page := b.get("/login/code")
	for i := 1; i <= staff.MaxCodeAttempts; i++ {
		page = b.post("/login/code", url.Values{"code": {wrongCode(t)}}, csrf(t, page.body))
		wantStatus(t, page, 401)
	}

	wantText(t, page, "Zu viele falsche Codes.", `action="/login"`)
	if r := b.get("/login/code"); r.status != 303 || r.location != "/login" {
		t.Errorf("code form after too many codes: %d to %q, want 303 to /login", r.status,
			r.location)
	}
}

func TestOptionalModeSignsInWithoutEnrolment(t *testing.T) {
	svc, _ := newService(t)
	if err := svc.Staff.SetMFA(staff.MFAOptional); err != nil {
		t.Fatal(err)
	}
	addStaff(t, svc, agentEmail, staff.RoleAgent, false)

	agent := newBrowser(t, svc.Backoffice.Fiber())
	res := enterPassword(t, agent, agentEmail, agentPassword)
	wantStatus(t, res, 303)
	if res.location != "/tickets" {
		t.Fatalf("unenrolled member in optional mode went to %q, want /tickets", res.location)
	}
	wantStatus(t, agent.get("/tickets"), 200)

	enrolled := newBrowser(t, svc.Backoffice.Fiber())
	res = enterPassword(t, enrolled, testAdminEmail, testAdminPassword)
	if res.status != 303 || res.location != "/login/code" {
		t.Errorf("enrolled member in optional mode: %d to %q, want 303 to /login/code",
			res.status, res.location)
	}
}

// TestRepeatedFailuresSlowSignInDown records the waits instead of sleeping: the
// sixth attempt waits, and the right password still works after the wait.
func TestRepeatedFailuresSlowSignInDown(t *testing.T) {
	svc, _ := newService(t)
	var mu sync.Mutex
	var waits []time.Duration
	svc.Staff.SetTiming(staff.Timing{Wait: func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)

		return nil
	}})
	last := func() time.Duration {
		mu.Lock()
		defer mu.Unlock()

		return waits[len(waits)-1]
	}

	b := newBrowser(t, svc.Backoffice.Fiber())
	for i := 1; i <= staff.FreeFailures; i++ {
		wantStatus(t, enterPassword(t, b, testAdminEmail, "not the password "+strconv.Itoa(i)), 401)
		if d := last(); d != 0 {
			t.Fatalf("failure %d waited %v, want no wait yet", i, d)
		}
	}

	res := enterPassword(t, b, testAdminEmail, testAdminPassword)
	if d := last(); d != staff.FirstDelay {
		t.Errorf("attempt after %d failures waited %v, want %v", staff.FreeFailures, d,
			staff.FirstDelay)
	}

	wantStatus(t, res, 303)
	if res.location != "/login/code" {
		t.Errorf("right password after the wait went to %q, want /login/code", res.location)
	}

	other := newBrowser(t, svc.Backoffice.Fiber())
	addStaff(t, svc, agentEmail, staff.RoleAgent, true)
	wantStatus(t, enterPassword(t, other, agentEmail, agentPassword), 303)
	if d := last(); d != 0 {
		t.Errorf("another account waited %v, want no wait", d)
	}
}

// TestSignInLimitPerAddressCountsOnlyFailures lets one address fail ten times
// in the window; the sign-ins that succeed in between cost nothing.
func TestSignInLimitPerAddressCountsOnlyFailures(t *testing.T) {
	svc, _ := newService(t)
	svc.Staff.SetTiming(staff.Timing{
		Wait: func(context.Context, time.Duration) error { return nil },
	})
	b := newBrowser(t, svc.Backoffice.Fiber())

	for i := 1; i <= 9; i++ {
		email := "nobody" + strconv.Itoa(i) + "@stadt.example.org"
		wantStatus(t, enterPassword(t, b, email, "not the password"), 401)
	}

	signInAs(t, b, testAdminEmail, testAdminPassword)
	wantStatus(t, enterPassword(t, b, "nobody10@stadt.example.org", "not the password"), 401)

	r := enterPassword(t, b, testAdminEmail, testAdminPassword)
	wantStatus(t, r, 429)
	wantText(t, r, "Zu viele Anfragen")
}

func TestSignOutEverywhere(t *testing.T) {
	logs := &lockedLog{}
	svc, pool := newServiceWith(t, logs, testLimits())
	first, second := newBrowser(t, svc.Backoffice.Fiber()), newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, first)
	signIn(t, second)

	account := first.get("/account")
	wantStatus(t, account, 200)
	wantText(t, account, "Mein Konto", "Clara Clerk", testAdminEmail, "Administration",
		"eingerichtet", `<dd class="kern-description-list-item__value">2</dd>`, "Überall abmelden")

	res := first.post("/account/sign-out-everywhere", url.Values{}, csrf(t, account.body))
	wantStatus(t, res, 303)
	if res.location != "/login" {
		t.Errorf("sign-out everywhere went to %q, want /login", res.location)
	}

	for name, b := range map[string]*browser{"this browser": first, "the other": second} {
		if r := b.get("/tickets"); r.status != 303 || r.location != "/login" {
			t.Errorf("%s after sign-out everywhere: %d to %q, want 303 to /login", name,
				r.status, r.location)
		}
	}

	e := wantEvent(t, logs.String(), "sign_out_everywhere", adminID(t, pool))
	if e != nil && e["sessions"] != float64(2) {
		t.Errorf("sign-out everywhere logged %v sessions, want 2", e["sessions"])
	}
}

// staffAction posts an action of the staff page for the member id.
func staffAction(t *testing.T, admin *browser, id int64, action string) response {
	t.Helper()
	page := admin.get("/staff")
	wantStatus(t, page, 200)

	return admin.post("/staff/"+strconv.FormatInt(id, 10)+"/"+action, url.Values{},
		csrf(t, page.body))
}

func TestAdminEndsSessions(t *testing.T) {
	logs := &lockedLog{}
	svc, pool := newServiceWith(t, logs, testLimits())
	agent := addStaff(t, svc, agentEmail, staff.RoleAgent, true)
	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, clerk, agentEmail, agentPassword)
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, admin)

	list := admin.get("/staff")
	wantStatus(t, list, 200)
	wantText(t, list, "Beschäftigte", "Anna Agent", agentEmail, "Sachbearbeitung", "aktiv",
		"Clara Clerk (Sie)", `action="/staff/`+strconv.FormatInt(agent.ID, 10)+`/sign-out"`)
	if n := len(staffRow.FindAllString(list.body, -1)); n != 2 {
		t.Errorf("staff page lists %d accounts, want 2", n)
	}

	res := staffAction(t, admin, agent.ID, "sign-out")
	wantStatus(t, res, 303)
	if res.location != "/staff" {
		t.Errorf("ending sessions went to %q, want /staff", res.location)
	}

	if r := clerk.get("/tickets"); r.status != 303 || r.location != "/login" {
		t.Errorf("agent after the administrator ended the sessions: %d to %q, want /login",
			r.status, r.location)
	}
	wantStatus(t, admin.get("/tickets"), 200)

	e := wantEvent(t, logs.String(), "sessions_ended", agent.ID)
	if e != nil && (e["actor_id"] != float64(adminID(t, pool)) || e["sessions"] != float64(1)) {
		t.Errorf("sessions_ended event %v, want actor_id of the administrator and 1 session", e)
	}
}

func TestDisabledAccountCannotSignIn(t *testing.T) {
	logs := &lockedLog{}
	svc, _ := newServiceWith(t, logs, testLimits())
	agent := addStaff(t, svc, agentEmail, staff.RoleAgent, true)
	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, clerk, agentEmail, agentPassword)
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, admin)

	wantStatus(t, staffAction(t, admin, agent.ID, "disable"), 303)
	if r := clerk.get("/tickets"); r.status != 303 || r.location != "/login" {
		t.Errorf("session of a disabled account: %d to %q, want 303 to /login", r.status,
			r.location)
	}

	wantText(t, admin.get("/staff"), "gesperrt", `/staff/`+strconv.FormatInt(agent.ID, 10)+
		`/enable"`)

	refused := enterPassword(t, newBrowser(t, svc.Backoffice.Fiber()), agentEmail, agentPassword)
	wantStatus(t, refused, 401)
	wantText(t, refused, "E-Mail-Adresse oder Passwort sind nicht richtig.")
	wantEvent(t, logs.String(), "account_disabled", agent.ID)
	wantEvent(t, logs.String(), "sign_in_failed", agent.ID)

	wantStatus(t, staffAction(t, admin, agent.ID, "enable"), 303)
	signInAs(t, newBrowser(t, svc.Backoffice.Fiber()), agentEmail, agentPassword)
}

func TestAdminCannotDisableThemselves(t *testing.T) {
	svc, pool := newService(t)
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, admin)

	r := staffAction(t, admin, adminID(t, pool), "disable")
	wantStatus(t, r, 409)
	wantText(t, r, "Ihr eigenes Konto können Sie nicht sperren.")
	wantStatus(t, admin.get("/tickets"), 200)
	wantStatus(t, staffAction(t, admin, 4711, "disable"), 404)
	wantStatus(t, staffAction(t, admin, adminID(t, pool), "promote"), 404)
}

func TestAdminResetsSecondFactor(t *testing.T) {
	svc, _ := newService(t)
	agent := addStaff(t, svc, agentEmail, staff.RoleAgent, true)
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, admin)

	wantStatus(t, staffAction(t, admin, agent.ID, "reset-mfa"), 303)

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	wantStatus(t, enterPassword(t, clerk, agentEmail, agentPassword), 303)
	wantText(t, clerk.get("/login/code"), "Zweiten Faktor einrichten", "data:image/png;base64,")
}

// TestStaffPageIsOnlyForAdministrators answers 404 to every other role, for the
// page and for its actions, and logs the denial.
func TestStaffPageIsOnlyForAdministrators(t *testing.T) {
	logs := &lockedLog{}
	svc, pool := newServiceWith(t, logs, testLimits())
	admin := adminID(t, pool)

	for _, role := range []string{staff.RoleAgent, staff.RoleTeamLead, staff.RoleStatistics} {
		t.Run(role, func(t *testing.T) {
			email := role + "@stadt.example.org"
			m := addStaff(t, svc, email, role, true)
			b := newBrowser(t, svc.Backoffice.Fiber())
			signInAs(t, b, email, agentPassword)

			page := b.get("/staff")
			wantStatus(t, page, 404)
			wantText(t, page, "Seite nicht gefunden")

			token := csrf(t, b.get("/account").body)
			for _, action := range []string{"disable", "sign-out", "reset-mfa"} {
				r := b.post("/staff/"+strconv.FormatInt(admin, 10)+"/"+action, url.Values{},
					token)
				wantStatus(t, r, 404)
			}

			wantEvent(t, logs.String(), "permission_denied", m.ID)
		})
	}

	if r := newBrowser(t, svc.Backoffice.Fiber()).get("/staff"); r.status != 303 ||
		r.location != "/login" {
		t.Errorf("/staff without sign-in: %d to %q, want 303 to /login", r.status, r.location)
	}

	var disabled int
	err := pool.QueryRow(t.Context(),
		"SELECT count(*) FROM staff WHERE disabled_at IS NOT NULL").Scan(&disabled)
	if err != nil || disabled != 0 {
		t.Errorf("%d accounts disabled by refused requests (%v), want 0", disabled, err)
	}
}
