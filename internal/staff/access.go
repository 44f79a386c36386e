package staff

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// CanSeeContent reports whether role may read tickets: their messages, the
// citizen's contact and the attachments. The statistics role sees figures only.
func CanSeeContent(role string) bool {
	switch role {
	case RoleAgent, RoleTeamLead, RoleAdmin:
		return true
	}

	return false
}

// CanSeeAllTeams reports whether role sees the tickets of every team rather
// than only those of the member's teams.
func CanSeeAllTeams(role string) bool {
	return role == RoleAdmin
}

// CanAssign reports whether role may assign tickets to others and see the
// workload of a team.
func CanAssign(role string) bool {
	return role == RoleTeamLead || role == RoleAdmin
}

// CanSeeFigures reports whether role may see the statistics.
func CanSeeFigures(role string) bool {
	return role == RoleTeamLead || role == RoleAdmin || role == RoleStatistics
}

// CanAdminister reports whether role may change the configuration and the staff
// accounts.
func CanAdminister(role string) bool {
	return role == RoleAdmin
}

// Scope is which tickets a member may open: those of every team, or those of
// the member's teams, and never any for a role without access to content.
type Scope struct {
	Content  bool
	AllTeams bool
	TeamIDs  []int64
}

// CanSeeTicket reports whether the scope lets its member open a ticket of
// teamID. A handler answers 404 for false, so that a ticket of another team
// looks like no ticket at all.
func (sc Scope) CanSeeTicket(teamID int64) bool {
	if !sc.Content {
		return false
	}

	return sc.AllTeams || slices.Contains(sc.TeamIDs, teamID)
}

// Scope returns which tickets m may open.
func (s *Store) Scope(ctx context.Context, m Member) (Scope, error) {
	sc := Scope{Content: CanSeeContent(m.Role), AllTeams: CanSeeAllTeams(m.Role)}
	if !sc.Content || sc.AllTeams {
		return sc, nil
	}

	ids, err := s.TeamIDs(ctx, m.ID)
	if err != nil {
		return Scope{}, err
	}

	sc.TeamIDs = ids

	return sc, nil
}

const teamIDsSQL = `
SELECT team_id
FROM team_members
WHERE staff_id = $1
ORDER BY team_id`

// TeamIDs returns the IDs of the teams memberID belongs to, in order; none is
// an empty list.
func (s *Store) TeamIDs(ctx context.Context, memberID int64) ([]int64, error) {
	rows, err := s.pool.Query(ctx, teamIDsSQL, memberID)
	if err != nil {
		return nil, fmt.Errorf("teams of staff %d: %w", memberID, err)
	}

	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("teams of staff %d: %w", memberID, err)
	}

	return ids, nil
}
