package server

import (
	"context"
	"net/url"
	"testing"

	"github.com/anliegen/anliegen/internal/staff"
)

// TestTicketsOfAnotherTeamAreNotFound checks the role × team matrix of ticket
// access: an agent sees their team's tickets only, and another team's answer
// 404 as if they did not exist; the statistics role sees no ticket at all; an
// administrator sees every team.
func TestTicketsOfAnotherTeamAreNotFound(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	pothole, _ := openRequest(t, svc, pool, citizen) // team tiefbau

	agent := addStaff(t, svc, "anna@stadt.example.org", staff.RoleAgent, true)
	addStaff(t, svc, "stefan@stadt.example.org", staff.RoleStatistics, true)
	_, err := pool.Exec(context.Background(), `INSERT INTO team_members (team_id, staff_id)
		SELECT id, $1 FROM teams WHERE slug = 'stadtreinigung'`, agent.ID)
	if err != nil {
		t.Fatal(err)
	}

	path := "/tickets/" + itoa(pothole)
	other := newBrowser(t, svc.Backoffice.Fiber())
	signInAs(t, other, "anna@stadt.example.org", agentPassword)
	wantText(t, other.get("/tickets"), "0 Vorgänge")
	for _, p := range []string{path, path + "/letter.pdf", path + "/files/1"} {
		wantStatus(t, other.get(p), 404)
	}
	list := other.get("/tickets")
	wantStatus(t, other.post(path+"/assign", url.Values{"assignee": {"me"}, "version": {"1"}},
		csrf(t, list.body)), 404)
	bulk := other.post("/tickets/bulk", url.Values{"ids": {itoa(pothole)}, "action": {"take"}},
		csrf(t, list.body))
	wantText(t, other.get(bulk.location), "0 geändert, 1 nicht möglich.")

	figures := newBrowser(t, svc.Backoffice.Fiber())
	res := enterPassword(t, figures, "stefan@stadt.example.org", agentPassword)
	wantStatus(t, res, 303)
	enterCode(t, figures)
	for _, p := range []string{"/tickets", path} {
		wantStatus(t, figures.get(p), 404)
	}

	admin := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, admin)
	wantText(t, admin.get("/tickets"), "1 Vorgang")
	wantStatus(t, admin.get(path), 200)
}
