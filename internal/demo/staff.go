package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	mrand "math/rand/v2"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/staff"
)

// clerksPerTeam is how many clerks the demo gives a team that has nobody; the
// first of them leads the team.
const clerksPerTeam = 8

// staffDomain is the mail domain of the demo clerks, which nobody receives.
const staffDomain = "demo.anliegen.invalid"

const emptyTeamsSQL = `
SELECT t.id
FROM teams t
WHERE NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id)
ORDER BY t.id`

const insertClerkSQL = `
INSERT INTO staff (email, name, role, password_hash, language)
VALUES ($1, $2, $3, $4, 'de')
ON CONFLICT (lower(email)) DO UPDATE SET email = excluded.email
RETURNING id`

const insertMembershipSQL = `
INSERT INTO team_members (team_id, staff_id)
VALUES ($1, $2)
ON CONFLICT DO NOTHING`

// staffTeams gives every team without members clerks, so that the demo
// tickets are taken over, reassigned and worked by people of their team, as
// in a real queue. Nobody can sign in as them: they share the hash of a random
// password that is forgotten at once, and they have no second factor yet.
func staffTeams(ctx context.Context, pool *pgxpool.Pool, seed int64) error {
	rows, err := pool.Query(ctx, emptyTeamsSQL)
	if err != nil {
		return fmt.Errorf("list teams without staff: %w", err)
	}

	teams, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(teams) == 0 {
		return err
	}

	hash, err := forgottenPasswordHash()
	if err != nil {
		return err
	}

	rng := mrand.New(mrand.NewPCG(uint64(seed), pcgStream+1))

	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, team := range teams {
			if err := staffTeam(ctx, tx, rng, team, hash); err != nil {
				return err
			}
		}
		return nil
	})
}

func staffTeam(ctx context.Context, tx pgx.Tx, rng *mrand.Rand, team int64, hash string) error {
	for i := range clerksPerTeam {
		who := newPerson(rng, "de")
		role := staff.RoleAgent
		if i == 0 {
			role = staff.RoleTeamLead
		}

		local := strings.ToLower(asciiFold.Replace(strings.ReplaceAll(who.name, " ", ".")))
		addr := fmt.Sprintf("%s.%d.%d@%s", local, team, i+1, staffDomain)

		var id int64
		err := tx.QueryRow(ctx, insertClerkSQL, addr, who.name, role, hash).Scan(&id)
		if err != nil {
			return fmt.Errorf("add demo clerk: %w", err)
		}

		if _, err := tx.Exec(ctx, insertMembershipSQL, team, id); err != nil {
			return fmt.Errorf("add demo clerk to team %d: %w", team, err)
		}
	}

	return nil
}

// forgottenPasswordHash hashes a random password nobody learns.
func forgottenPasswordHash() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("demo clerk password: %w", err)
	}

	hash, err := staff.HashPassword(base64.RawURLEncoding.EncodeToString(b))
	if err != nil {
		return "", fmt.Errorf("demo clerk password: %w", err)
	}

	return hash, nil
}
