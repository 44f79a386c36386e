// Package textmodule holds the prepared texts staff insert into answers,
// questions and notes: one text per language with placeholders for the
// ticket's facts, for one team or for all of them.
package textmodule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
)

// Module is one text module. TeamID nil means every team may use it; Body
// holds the text per language tag, German always among them.
type Module struct {
	ID        int64         `db:"id"`
	Name      string        `db:"name"`
	TeamID    *int64        `db:"team_id"`
	TeamName  catalog.Texts `db:"team_name"`
	Body      catalog.Texts `db:"body"`
	UpdatedAt time.Time     `db:"updated_at"`
}

// Text returns the module's text in the language tag, or in German when it has
// none in that language.
func (m Module) Text(tag string) string {
	if s := m.Body[tag]; s != "" {
		return s
	}

	return m.Body["de"]
}

// Store reads and writes text modules and records each change in change_log.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns the text module store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

const moduleColumns = `
SELECT m.id, m.name, m.team_id, coalesce(t.name, '{}') AS team_name, m.body, m.updated_at
FROM text_modules m
LEFT JOIN teams t ON t.id = m.team_id`

const listSQL = moduleColumns + `
ORDER BY m.name, m.id`

const forTeamSQL = moduleColumns + `
WHERE m.team_id IS NULL
   OR m.team_id = $1
ORDER BY m.name, m.id`

const getSQL = moduleColumns + `
WHERE m.id = $1`

// List returns every text module by name.
func (s *Store) List(ctx context.Context) ([]Module, error) {
	return s.collect(ctx, "list text modules", listSQL)
}

// ForTeam returns the modules a ticket of teamID may use: the team's own and
// those for every team.
func (s *Store) ForTeam(ctx context.Context, teamID int64) ([]Module, error) {
	return s.collect(ctx, "text modules of team", forTeamSQL, teamID)
}

func (s *Store) collect(ctx context.Context, what, query string, args ...any) ([]Module, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Module])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}

	return list, nil
}

// Get returns one module, or db.ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Module, error) {
	rows, err := s.pool.Query(ctx, getSQL, id)
	if err != nil {
		return Module{}, fmt.Errorf("text module %d: %w", id, err)
	}

	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Module])
	if errors.Is(err, pgx.ErrNoRows) {
		return Module{}, fmt.Errorf("text module %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Module{}, fmt.Errorf("text module %d: %w", id, err)
	}

	return m, nil
}

const createSQL = `
INSERT INTO text_modules (name, team_id, body)
VALUES ($1, $2, $3)
RETURNING id`

const updateSQL = `
UPDATE text_modules
SET name = $2,
	team_id = $3,
	body = $4,
	updated_at = now()
WHERE id = $1`

const deleteSQL = `
DELETE FROM text_modules
WHERE id = $1
RETURNING name`

const logSQL = `
INSERT INTO change_log (staff_id, action, object, detail)
VALUES ($1, $2, $3, $4)`

// Create stores a checked module and records who created it; it returns the
// new ID.
func (s *Store) Create(ctx context.Context, staffID int64, m Module) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, createSQL, m.Name, m.TeamID, m.Body).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		return record(ctx, tx, staffID, "text_module.create", id, detail(m))
	})
	if err != nil {
		return 0, fmt.Errorf("create text module: %w", err)
	}

	return id, nil
}

// Update changes a checked module and records who changed it; db.ErrNotFound
// for an unknown one.
func (s *Store) Update(ctx context.Context, staffID int64, m Module) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, updateSQL, m.ID, m.Name, m.TeamID, m.Body)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return db.ErrNotFound
		}
		return record(ctx, tx, staffID, "text_module.update", m.ID, detail(m))
	})
	if err != nil {
		return fmt.Errorf("update text module %d: %w", m.ID, err)
	}

	return nil
}

// Delete removes a module and records who removed it; db.ErrNotFound for an
// unknown one.
func (s *Store) Delete(ctx context.Context, staffID, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, deleteSQL, id).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		return record(ctx, tx, staffID, "text_module.delete", id, map[string]any{"name": name})
	})
	if err != nil {
		return fmt.Errorf("delete text module %d: %w", id, err)
	}

	return nil
}

// detail is what the change log keeps of a module: its name, team and which
// languages it has, not the texts themselves.
func detail(m Module) map[string]any {
	langs := make([]string, 0, len(m.Body))
	for _, tag := range Languages {
		if m.Body[tag] != "" {
			langs = append(langs, tag)
		}
	}

	return map[string]any{"name": m.Name, "team_id": m.TeamID, "languages": langs}
}

func record(
	ctx context.Context,
	tx pgx.Tx,
	staffID int64,
	action string,
	id int64,
	d map[string]any,
) error {
	object := fmt.Sprintf("text_module:%d", id)
	if _, err := tx.Exec(ctx, logSQL, staffID, action, object, d); err != nil {
		return fmt.Errorf("change log: %w", err)
	}

	return nil
}

func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}
