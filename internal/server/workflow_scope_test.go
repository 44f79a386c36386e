package server

import (
	"net/url"
	"testing"

	"github.com/anliegen/anliegen/internal/staff"
)

// TestWorkflowActionsFollowRoleAndTeam extends the role × team matrix to every
// workflow action: an agent works the tickets of their own teams only, and
// another team's ticket answers 404 as if it did not exist; a team lead works
// their team's; an administrator every team's; the statistics role none. Text
// modules are administered by administrators alone. The allowed requests carry
// input that is refused on its merits (422), so that the matrix changes
// nothing and each cell is the same ticket.
func TestWorkflowActionsFollowRoleAndTeam(t *testing.T) {
	svc, pool := newService(t)
	id, _ := openRequest(t, svc, pool, newBrowser(t, svc.Portal.Fiber())) // team tiefbau
	path := "/tickets/" + itoa(id)

	members := []struct {
		name, email, role, team string
		tickets, admin          bool
	}{
		{"agent of the team", "anna@stadt.example.org", staff.RoleAgent, "tiefbau", true, false},
		{"agent of another team", "otto@stadt.example.org", staff.RoleAgent, "stadtreinigung",
			false, false},
		{"team lead", "lea@stadt.example.org", staff.RoleTeamLead, "tiefbau", true, false},
		{"statistics", "stefan@stadt.example.org", staff.RoleStatistics, "tiefbau", false, false},
		{"administrator", testAdminEmail, staff.RoleAdmin, "", true, true},
	}

	actions := []struct {
		name, action string
		form         url.Values
		allowed      int
	}{
		{"team", "team", url.Values{"team": {teamID(t, pool, "tiefbau")}}, 422},
		{"service", "service", url.Values{"service": {serviceID(t, pool, "schlagloch")}}, 422},
		{"forward", "forward", url.Values{"fwd-body": {""}, "fwd-email": {"x"}}, 422},
		{"reject", "reject", url.Values{"rej-reason": {""}, "rej-pointer": {""}}, 422},
		{"merge", "merge", url.Values{"merge-target": {"2020-000001"}}, 422},
		{"link", "link", url.Values{"link-target": {"2020-000001"}}, 422},
		{"unlink", "unlink", url.Values{"other": {"999999"}}, 422},
		{"text module", "message/module", url.Values{"module": {"999999"}}, 422},
	}

	for _, m := range members {
		t.Run(m.name, func(t *testing.T) {
			b := newBrowser(t, svc.Backoffice.Fiber())
			if m.role == staff.RoleAdmin {
				signIn(t, b)
			} else {
				who := addStaff(t, svc, m.email, m.role, true)
				joinTeam(t, pool, who.ID, m.team)
				res := enterPassword(t, b, m.email, agentPassword)
				wantStatus(t, res, 303)
				wantStatus(t, enterCode(t, b), 303)
			}
			token := csrf(t, b.get("/account").body)
			current := itoa(int64(scalarOf[int32](t, pool,
				"SELECT version FROM tickets WHERE id = $1", id)))

			for _, a := range actions {
				form := url.Values{"version": {current}}
				for k, v := range a.form {
					form[k] = v
				}
				want := 404
				if m.tickets {
					want = a.allowed
				}
				if r := b.post(path+"/"+a.action, form, token); r.status != want {
					t.Errorf("%s: status %d, want %d", a.name, r.status, want)
				}
			}

			wantCell(t, b, "acknowledgement letter", path+"/acknowledgement.pdf", m.tickets, 200)
			wantCell(t, b, "intake", "/intake", m.role != staff.RoleStatistics, 200)
			wantCell(t, b, "text modules", "/text-modules", m.admin, 200)
			wantCell(t, b, "new text module", "/text-modules/new", m.admin, 200)
			r := b.post("/text-modules/new", url.Values{"name": {""}}, token)
			if want := map[bool]int{true: 422, false: 404}[m.admin]; r.status != want {
				t.Errorf("save a text module: status %d, want %d", r.status, want)
			}

			intake := b.post("/intake", url.Values{"service": {"schlagloch"}}, token)
			switch {
			case m.role == staff.RoleStatistics:
				wantStatus(t, intake, 404)
			case m.tickets:
				wantStatus(t, intake, 422)
				wantNoText(t, intake, "Bitte wählen Sie eine Leistung.")
			default:
				wantStatus(t, intake, 422)
				wantText(t, intake, "Bitte wählen Sie eine Leistung.")
			}
		})
	}

	if n := scalarOf[int](t, pool, "SELECT count(*) FROM tickets"); n != 1 {
		t.Errorf("%d tickets after the matrix, want the one", n)
	}
	if n := scalarOf[int](t, pool, `SELECT count(*) FROM events
		WHERE ticket_id = $1 AND kind <> 'status'`, id); n != 0 {
		t.Errorf("%d events recorded by refused requests, want none", n)
	}
}

// wantCell checks one GET of the matrix: want when allowed, 404 otherwise.
func wantCell(t *testing.T, b *browser, what, path string, allowed bool, want int) {
	t.Helper()
	if !allowed {
		want = 404
	}

	if r := b.get(path); r.status != want {
		t.Errorf("%s: status %d, want %d", what, r.status, want)
	}
}
