package server

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/browsertest"
	"github.com/anliegen/anliegen/internal/staff"
)

var shownKey = regexp.MustCompile(`<code class="api-key" data-key>(a311_[a-z2-7]{32})</code>`)

// TestAdministratorIssuesRenamesAndRevokesAPIKeys walks the key screen as an
// administrator and checks each step where it counts: the portal's API takes
// the issued key and refuses it once revoked, and every change is in the
// change log under the administrator's name.
func TestAdministratorIssuesRenamesAndRevokesAPIKeys(t *testing.T) {
	svc, pool := newService(t)
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, admin)

	empty := admin.get("/apikeys")
	wantStatus(t, empty, 200)
	wantText(t, empty, "API-Schlüssel", "Es ist noch kein Schlüssel ausgestellt.",
		`href="/apikeys"`)

	refused := admin.post("/apikeys", url.Values{"name": {"   "}}, csrf(t, empty.body))
	wantStatus(t, refused, 422)
	wantText(t, refused, "Geben Sie einen Namen mit 1 bis 200 Zeichen", `href="#name-new"`,
		`aria-invalid="true"`)

	issued := admin.post("/apikeys", url.Values{"name": {"FixMyStreet Chemnitz"}},
		csrf(t, refused.body))
	wantStatus(t, issued, 200)
	m := shownKey.FindStringSubmatch(issued.body)
	if m == nil {
		t.Fatalf("the issued key is not shown:\n%s", issued.body)
	}
	secret := m[1]
	wantText(t, issued, "FixMyStreet Chemnitz", secret[:11]+"…", "noch nie", "gültig")

	again := admin.get("/apikeys")
	wantNoText(t, again, secret)

	api := newBrowser(t, svc.Portal.Fiber())
	submit := func() int {
		return api.post("/open311/v2/requests.json", url.Values{
			"api_key": {secret}, "service_code": {"illegale-ablagerung"},
			"address_string": {"Parkplatz am Stadtpark"}, "attribute[kind]": {"sperrmuell"},
		}, "").status
	}
	if got := submit(); got != 200 {
		t.Fatalf("POST with the issued key: %d, want 200", got)
	}

	id := keyID(t, pool, "FixMyStreet Chemnitz")
	renamed := admin.post("/apikeys/"+id+"/name", url.Values{"name": {"FixMyStreet Sachsen"}},
		csrf(t, again.body))
	wantStatus(t, renamed, 303)

	list := admin.get("/apikeys")
	wantText(t, list, "FixMyStreet Sachsen")
	wantNoText(t, list, "noch nie")

	revoked := admin.post("/apikeys/"+id+"/revoke", url.Values{}, csrf(t, list.body))
	wantStatus(t, revoked, 303)
	wantText(t, admin.get("/apikeys"), "widerrufen")
	if got := submit(); got != 403 {
		t.Errorf("POST with the revoked key: %d, want 403", got)
	}

	wantChangeLog(t, pool, id, "api_key.create", "api_key.rename", "api_key.revoke")

	twice := admin.post("/apikeys/"+id+"/revoke", url.Values{}, csrf(t, list.body))
	wantStatus(t, twice, 404)
}

func keyID(t *testing.T, pool *pgxpool.Pool, name string) string {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(), `SELECT id FROM api_keys WHERE name = $1`, name).
		Scan(&id)
	if err != nil {
		t.Fatalf("key %q: %v", name, err)
	}

	return strconv.FormatInt(id, 10)
}

// wantChangeLog checks that the key's changes were logged in order, each by the
// test's administrator.
func wantChangeLog(t *testing.T, pool *pgxpool.Pool, id string, actions ...string) {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
SELECT c.action
FROM change_log c
JOIN staff s ON s.id = c.staff_id
WHERE c.object = 'api_key:' || $1::text
  AND s.email = $2
ORDER BY c.id`, id, testAdminEmail)
	if err != nil {
		t.Fatal(err)
	}

	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || strings.Join(got, " ") != strings.Join(actions, " ") {
		t.Errorf("change log of key %s: %q (%v), want %q by the administrator", id, got, err,
			actions)
	}
}

// TestAPIKeysAreForAdministratorsOnly: an agent gets 404 for the page and for
// every action, so that the screen does not even show that it exists.
func TestAPIKeysAreForAdministratorsOnly(t *testing.T) {
	svc, _ := newService(t)
	addStaff(t, svc, agentEmail, staff.RoleAgent, true)
	agent := newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, agent, agentEmail, agentPassword)

	page := agent.get("/apikeys")
	wantStatus(t, page, 404)
	wantNoText(t, agent.get("/tickets"), `href="/apikeys"`)

	token := csrf(t, agent.get("/account").body)
	wantStatus(t, agent.post("/apikeys", url.Values{"name": {"Schatten-App"}}, token), 404)
	wantStatus(t, agent.post("/apikeys/1/revoke", url.Values{}, token), 404)
}

// TestAPIKeyPagesPassAxe checks the key screen in Chromium in both languages
// of the back office: empty, with a key just issued, and with a refused name.
func TestAPIKeyPagesPassAxe(t *testing.T) {
	ctx := browsertest.NewBrowser(t)
	svc, _ := newService(t)
	clock := &steppingClock{at: time.Now()}
	svc.Staff.SetTiming(staff.Timing{Now: clock.now})
	base := browsertest.Start(t, svc.Backoffice.Fiber())

	for _, l := range []browserLanguage{{tag: "de", dir: "ltr"}, {tag: "en", dir: "ltr"}} {
		t.Run(l.tag, func(t *testing.T) {
			browserPassword(t, ctx, base, l, testAdminEmail, testAdminPassword)
			browserCode(t, ctx, clock, testTOTPSecret)

			wantPageStatus(t, "keys", browsertest.Go(t, ctx, base+"/apikeys"), 200)
			checkPage(t, ctx, l, "/apikeys")

			runSteps(t, ctx, "name a client",
				chromedp.SendKeys(chromedp.ID("name-new"), "App "+l.tag))
			status := browsertest.Await(t, ctx, "issue", chromedp.Click(submitButton))
			wantPageStatus(t, "issue", status, 200)
			checkPage(t, ctx, l, "/apikeys with a new key")

			runSteps(t, ctx, "type a blank name",
				chromedp.SendKeys(chromedp.ID("name-new"), "   "))
			status = browsertest.Await(t, ctx, "refuse", chromedp.Click(submitButton))
			wantPageStatus(t, "refuse", status, 422)
			checkPage(t, ctx, l, "/apikeys with a refused name")
		})
	}
}
