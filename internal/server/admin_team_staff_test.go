package server

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/staff"
)

var (
	savedTeam       = regexp.MustCompile(`^/admin/teams/(\d+)\?saved=1$`)
	initialPassword = regexp.MustCompile(`id="initial-password">([A-Z2-7-]+)<`)
)

// TestTeamsAndMembership creates and edits a team, refuses a bad one, marks
// the team's services as changed when it is renamed, and adds and removes a
// team lead, who is marked as such.
func TestTeamsAndMembership(t *testing.T) {
	svc, pool := newService(t)
	admin := adminBrowser(t, svc, pool)
	lead := addStaff(t, svc, agentEmail, staff.RoleTeamLead, false)

	page := admin.get("/admin/teams/new")
	res := admin.post("/admin/teams", url.Values{"slug": {"Grün"}, "email": {"kein"}},
		csrf(t, page.body))
	wantStatus(t, res, 422)
	wantText(t, res, `href="#slug"`, `href="#email"`, `href="#name_de"`, `value="Grün"`)

	res = admin.post("/admin/teams", url.Values{"slug": {"gruen"}, "name_de": {"Grünflächenamt"},
		"email": {"gruen@example.org"}}, csrf(t, res.body))
	wantStatus(t, res, 303)
	m := savedTeam.FindStringSubmatch(res.location)
	if m == nil {
		t.Fatalf("create went to %q, want /admin/teams/<id>?saved=1", res.location)
	}
	path := "/admin/teams/" + m[1]

	page = admin.get(path)
	teamID := int64(mustAtoi(t, m[1]))
	_, err := pool.Exec(context.Background(),
		`UPDATE services SET team_id = $1, updated_at = now() - interval '1 hour'
		 WHERE code = 'schlagloch'`, teamID)
	if err != nil {
		t.Fatal(err)
	}
	res = admin.post(path, url.Values{"slug": {"gruen"}, "name_de": {"Grünflächenamt"},
		"name_en": {"Parks Department"}}, csrf(t, page.body))
	wantStatus(t, res, 303)
	var fresh bool
	err = pool.QueryRow(context.Background(), `SELECT updated_at > now() - interval '1 minute'
		FROM services WHERE code = 'schlagloch'`).Scan(&fresh)
	if err != nil || !fresh {
		t.Errorf("renaming the team did not mark its service as changed (%v)", err)
	}
	page = admin.get(path)
	wantText(t, page, `value="Parks Department"`, "Das Team hat noch keine Mitglieder.")

	res = admin.post(path+"/members", url.Values{"staff": {itoa(lead.ID)}}, csrf(t, page.body))
	wantStatus(t, res, 303)
	page = admin.get(path)
	wantText(t, page, `data-member="`+itoa(lead.ID)+`"`, "Teamleitung")

	res = admin.post(path+"/members/"+itoa(lead.ID)+"/remove", url.Values{}, csrf(t, page.body))
	wantStatus(t, res, 303)
	wantNoText(t, admin.get(path), `data-member="`+itoa(lead.ID)+`"`)

	for _, a := range []string{"team.create", "team.update", "team.member_add",
		"team.member_remove"} {
		wantChange(t, pool, a+" team:"+m[1]+" Clara Clerk")
	}
}

// TestStaffCreatedWithRoleAndTeams creates an account from the back office with
// a password made up and shown once, which signs in; refuses a taken address
// and a short password; changes the role and teams, but not one's own role;
// and logs each as a security event and in the change log.
func TestStaffCreatedWithRoleAndTeams(t *testing.T) {
	logs := &lockedLog{}
	svc, pool := newServiceWith(t, logs, testLimits())
	ctx := context.Background()
	admin := adminBrowser(t, svc, pool)
	teams, err := svc.Catalog.Teams(ctx)
	if err != nil {
		t.Fatal(err)
	}

	page := admin.get("/staff/new")
	wantStatus(t, page, 200)
	bad := url.Values{"name": {"Bea Beispiel"}, "email": {testAdminEmail}, "role": {"agent"},
		"password": {"kurz"}}
	res := admin.post("/staff", bad, csrf(t, page.body))
	wantStatus(t, res, 422)
	wantText(t, res, `href="#password"`, "mindestens 12 Zeichen", `value="Bea Beispiel"`)

	bad.Del("password")
	res = admin.post("/staff", bad, csrf(t, res.body))
	wantStatus(t, res, 409)
	wantText(t, res, `href="#email"`)

	values := url.Values{"name": {"Bea Beispiel"}, "email": {"bea@stadt.example.org"},
		"role": {"agent"}, "teams": {itoa(teams[0].ID)}}
	res = admin.post("/staff", values, csrf(t, res.body))
	wantStatus(t, res, 201)
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the initial password has Cache-Control %q, want no-store",
			res.header.Get("Cache-Control"))
	}
	pw := initialPassword.FindStringSubmatch(res.body)
	if pw == nil {
		t.Fatalf("the answer shows no initial password:\n%s", res.body)
	}
	bea, err := svc.Staff.Authenticate(ctx, "bea@stadt.example.org", pw[1])
	if err != nil {
		t.Fatalf("the initial password does not sign in: %v", err)
	}
	if strings.Contains(logs.String(), pw[1]) {
		t.Error("the log holds the initial password")
	}

	path := "/staff/" + itoa(bea.ID)
	page = admin.get(path)
	res = admin.post(path, url.Values{"role": {"team_lead"},
		"teams": {itoa(teams[1].ID), itoa(teams[2].ID)}}, csrf(t, page.body))
	wantStatus(t, res, 303)

	bea, err = svc.Staff.ByID(ctx, bea.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := svc.Staff.TeamIDs(ctx, bea.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{teams[1].ID, teams[2].ID}
	slices.Sort(ids)
	slices.Sort(want)
	if bea.Role != staff.RoleTeamLead || !slices.Equal(ids, want) {
		t.Errorf("role %s, teams %v; want team_lead in teams %d and %d", bea.Role, ids,
			teams[1].ID, teams[2].ID)
	}

	self := "/staff/" + itoa(currentAdminID(t, pool))
	page = admin.get(self)
	res = admin.post(self, url.Values{"role": {"agent"}}, csrf(t, page.body))
	wantStatus(t, res, 422)
	wantText(t, res, "Sie können Ihre eigene Rolle nicht ändern.")

	list := admin.get("/staff")
	wantStatus(t, admin.post(path+"/disable", url.Values{}, csrf(t, list.body)), 303)

	for _, e := range []string{`"event":"account_created"`, `"event":"role_changed"`} {
		if !strings.Contains(logs.String(), e) {
			t.Errorf("the log lacks the security event %s", e)
		}
	}
	for _, a := range []string{"staff.create", "staff.update", "staff.account_disabled"} {
		wantChange(t, pool, a+" staff:"+itoa(bea.ID)+" Clara Clerk")
	}
	wantChange(t, pool, "team.member_add team:"+itoa(teams[2].ID))
	wantChange(t, pool, "team.member_remove team:"+itoa(teams[0].ID))
}

func currentAdminID(t *testing.T, pool pgxQuerier) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(), `SELECT id FROM staff WHERE email = $1`,
		testAdminEmail).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}

	return id
}
