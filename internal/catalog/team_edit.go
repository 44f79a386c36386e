package catalog

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/changelog"
	"github.com/anliegen/anliegen/internal/db"
)

// Member is a staff member of a team as the team's page lists them.
type Member struct {
	StaffID  int64  `db:"staff_id"`
	Name     string `db:"name"`
	Email    string `db:"email"`
	Role     string `db:"role"`
	Disabled bool   `db:"disabled"`
}

const teamByIDSQL = `
SELECT id, slug, name, email
FROM teams
WHERE id = $1`

// TeamByID returns a team, or db.ErrNotFound.
func (s *Store) TeamByID(ctx context.Context, id int64) (Team, error) {
	rows, err := s.pool.Query(ctx, teamByIDSQL, id)
	if err != nil {
		return Team{}, fmt.Errorf("get team: %w", err)
	}

	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Team])
	if errors.Is(err, pgx.ErrNoRows) {
		return Team{}, fmt.Errorf("get team %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Team{}, fmt.Errorf("get team %d: %w", id, err)
	}

	return t, nil
}

// AddTeam stores a new team, recorded as added by by; db.ErrConflict when the
// slug is taken.
func (s *Store) AddTeam(ctx context.Context, t Team, by int64) (Team, error) {
	err := inTx(ctx, s, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, createTeamSQL, t.Slug, t.Name, t.Email).Scan(&t.ID)
		if db.IsUniqueViolation(err) {
			return fmt.Errorf("add team %s: %w", t.Slug, db.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("add team %s: %w", t.Slug, err)
		}

		return changelog.Record(ctx, tx, changelog.Change{
			StaffID: by, Action: "team.create", Object: teamObject(t.ID),
			Detail: map[string]any{"slug": t.Slug},
		})
	})
	if err != nil {
		return Team{}, err
	}

	return t, nil
}

const updateTeamSQL = `
UPDATE teams
SET slug = $2,
    name = $3,
    email = $4
WHERE id = $1`

// touchServicesSQL marks the team's services as changed, because the portal
// shows a service with the public name of its team and caches of the public
// catalogue go by services.updated_at.
const touchServicesSQL = `
UPDATE services
SET updated_at = now()
WHERE team_id = $1`

// UpdateTeam stores a team's slug, names and address, recorded as changed by
// by; db.ErrNotFound for an unknown team, db.ErrConflict when the slug is taken.
func (s *Store) UpdateTeam(ctx context.Context, t Team, by int64) error {
	return inTx(ctx, s, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, updateTeamSQL, t.ID, t.Slug, t.Name, t.Email)
		if db.IsUniqueViolation(err) {
			return fmt.Errorf("update team %s: %w", t.Slug, db.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("update team %s: %w", t.Slug, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("update team %d: %w", t.ID, db.ErrNotFound)
		}

		if _, err := tx.Exec(ctx, touchServicesSQL, t.ID); err != nil {
			return fmt.Errorf("update team %s: %w", t.Slug, err)
		}

		return changelog.Record(ctx, tx, changelog.Change{
			StaffID: by, Action: "team.update", Object: teamObject(t.ID),
			Detail: map[string]any{"slug": t.Slug, "email_set": t.Email != ""},
		})
	})
}

const membersSQL = `
SELECT st.id AS staff_id, st.name, st.email, st.role, st.disabled_at IS NOT NULL AS disabled
FROM team_members tm
JOIN staff st ON st.id = tm.staff_id
WHERE tm.team_id = $1
ORDER BY lower(st.name), st.id`

// Members lists the staff of a team by name.
func (s *Store) Members(ctx context.Context, teamID int64) ([]Member, error) {
	rows, err := s.pool.Query(ctx, membersSQL, teamID)
	if err != nil {
		return nil, fmt.Errorf("list members of team %d: %w", teamID, err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Member])
	if err != nil {
		return nil, fmt.Errorf("list members of team %d: %w", teamID, err)
	}

	return list, nil
}

const addMemberSQL = `
INSERT INTO team_members (team_id, staff_id)
VALUES ($1, $2)
ON CONFLICT DO NOTHING`

const removeMemberSQL = `
DELETE FROM team_members
WHERE team_id = $1
  AND staff_id = $2`

// AddMember puts a staff member into a team, recorded as done by by; adding a
// member twice changes nothing and records nothing.
func (s *Store) AddMember(ctx context.Context, teamID, staffID, by int64) error {
	return s.membership(ctx, addMemberSQL, "team.member_add", teamID, staffID, by)
}

// RemoveMember takes a staff member out of a team, recorded as done by by.
func (s *Store) RemoveMember(ctx context.Context, teamID, staffID, by int64) error {
	return s.membership(ctx, removeMemberSQL, "team.member_remove", teamID, staffID, by)
}

func (s *Store) membership(
	ctx context.Context,
	sql, action string,
	teamID, staffID, by int64,
) error {
	return inTx(ctx, s, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, teamID, staffID)
		if err != nil {
			return fmt.Errorf("%s %d to team %d: %w", action, staffID, teamID, err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}

		return changelog.Record(ctx, tx, changelog.Change{
			StaffID: by, Action: action, Object: teamObject(teamID),
			Detail: map[string]any{"staff_id": staffID},
		})
	})
}

// SetTeams makes the teams of a staff member exactly teamIDs, recording each
// membership added or removed as done by by.
func (s *Store) SetTeams(ctx context.Context, staffID int64, teamIDs []int64, by int64) error {
	teams, err := s.Teams(ctx)
	if err != nil {
		return err
	}

	want := map[int64]bool{}
	for _, id := range teamIDs {
		want[id] = true
	}

	for _, t := range teams {
		sql, action := removeMemberSQL, "team.member_remove"
		if want[t.ID] {
			sql, action = addMemberSQL, "team.member_add"
		}
		if err := s.membership(ctx, sql, action, t.ID, staffID, by); err != nil {
			return err
		}
	}

	return nil
}

func teamObject(id int64) string {
	return "team:" + strconv.FormatInt(id, 10)
}
