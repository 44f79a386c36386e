package staff_test

import (
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/staff"
)

func TestRoleRights(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role                                           string
		content, allTeams, assign, figures, administer bool
	}{
		{staff.RoleAgent, true, false, false, false, false},
		{staff.RoleTeamLead, true, false, true, true, false},
		{staff.RoleAdmin, true, true, true, true, true},
		{staff.RoleStatistics, false, false, false, true, false},
		{"", false, false, false, false, false},
		{"root", false, false, false, false, false},
	}
	for _, tt := range tests {
		got := []bool{staff.CanSeeContent(tt.role), staff.CanSeeAllTeams(tt.role),
			staff.CanAssign(tt.role), staff.CanSeeFigures(tt.role), staff.CanAdminister(tt.role)}
		want := []bool{tt.content, tt.allTeams, tt.assign, tt.figures, tt.administer}
		if !slices.Equal(got, want) {
			t.Errorf("%q: content, all teams, assign, figures, administer = %v, want %v",
				tt.role, got, want)
		}
	}
}

func team(t *testing.T, pool *pgxpool.Pool, slug string, members ...int64) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(t.Context(),
		`INSERT INTO teams (slug, name) VALUES ($1, '{"de": "Team"}') RETURNING id`, slug).Scan(&id)
	if err != nil {
		t.Fatalf("add team %s: %v", slug, err)
	}

	for _, m := range members {
		_, err := pool.Exec(t.Context(),
			"INSERT INTO team_members (team_id, staff_id) VALUES ($1, $2)", id, m)
		if err != nil {
			t.Fatalf("add member to %s: %v", slug, err)
		}
	}

	return id
}

// TestScopeByRoleAndTeam checks which team's tickets each role may open.
func TestScopeByRoleAndTeam(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	agent := account(t, pool, "agent@musterstadt.de", staff.RoleAgent)
	lead := account(t, pool, "lead@musterstadt.de", staff.RoleTeamLead)
	admin := account(t, pool, "admin@musterstadt.de", staff.RoleAdmin)
	stats := account(t, pool, "stats@musterstadt.de", staff.RoleStatistics)
	loner := account(t, pool, "loner@musterstadt.de", staff.RoleAgent)

	roads := team(t, pool, "tiefbau", agent.ID, lead.ID, stats.ID)
	parks := team(t, pool, "gruen", lead.ID)
	other := team(t, pool, "ordnung")

	tests := []struct {
		name   string
		member staff.Member
		want   map[int64]bool
	}{
		{"agent", agent, map[int64]bool{roads: true, parks: false, other: false}},
		{"team lead of two teams", lead, map[int64]bool{roads: true, parks: true, other: false}},
		{"administrator", admin, map[int64]bool{roads: true, parks: true, other: true}},
		{"statistics in a team", stats, map[int64]bool{roads: false, parks: false, other: false}},
		{"agent without team", loner, map[int64]bool{roads: false, parks: false, other: false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := store.Scope(t.Context(), tt.member)
			if err != nil {
				t.Fatalf("Scope: %v", err)
			}

			for teamID, want := range tt.want {
				if got := sc.CanSeeTicket(teamID); got != want {
					t.Errorf("CanSeeTicket(team %d) = %v, want %v", teamID, got, want)
				}
			}
		})
	}

	ids, err := store.TeamIDs(t.Context(), lead.ID)
	if err != nil || !slices.Equal(ids, []int64{roads, parks}) {
		t.Errorf("TeamIDs(team lead) = %v, %v; want [%d %d]", ids, err, roads, parks)
	}

	ids, err = store.TeamIDs(t.Context(), loner.ID)
	if err != nil || len(ids) != 0 {
		t.Errorf("TeamIDs(without team) = %v, %v; want none", ids, err)
	}
}
