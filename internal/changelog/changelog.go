// Package changelog records every change to the configuration (services,
// forms, teams, staff, holidays, privacy texts) with who made it and when, and
// reads the record back for administrators.
package changelog

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Kinds of configuration the administration changes; an action is named
// <kind>.<verb>, such as service.update. Other parts of the product may record
// kinds of their own.
var Kinds = []string{"service", "form", "team", "staff", "holiday", "privacy"}

// Execer runs a statement: the pool, or the transaction of the change itself,
// so that the change and its record are committed together.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Change is one change to record: who, what was done, to which object, and
// what was set. Detail holds no personal data of citizens.
type Change struct {
	StaffID int64
	Action  string
	Object  string
	Detail  map[string]any
}

const recordSQL = `
INSERT INTO change_log (staff_id, action, object, detail)
VALUES ($1, $2, $3, $4)`

// Record stores a change through q.
func Record(ctx context.Context, q Execer, c Change) error {
	detail := c.Detail
	if detail == nil {
		detail = map[string]any{}
	}

	var by *int64
	if c.StaffID != 0 {
		by = &c.StaffID
	}

	if _, err := q.Exec(ctx, recordSQL, by, c.Action, c.Object, detail); err != nil {
		return fmt.Errorf("record %s: %w", c.Action, err)
	}

	return nil
}

// Entry is one recorded change as the change log page shows it.
type Entry struct {
	ID        int64          `db:"id"`
	StaffName *string        `db:"staff_name"`
	Action    string         `db:"action"`
	Object    string         `db:"object"`
	Detail    map[string]any `db:"detail"`
	CreatedAt time.Time      `db:"created_at"`
}

// Store reads the change log.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a change log store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

const pageSQL = `
SELECT cl.id, st.name AS staff_name, cl.action, cl.object, cl.detail, cl.created_at
FROM change_log cl
LEFT JOIN staff st ON st.id = cl.staff_id
WHERE ($1 = '' OR split_part(cl.action, '.', 1) = $1)
  AND ($2 = 0 OR cl.id < $2)
ORDER BY cl.id DESC
LIMIT $3`

const kindsSQL = `
SELECT DISTINCT split_part(action, '.', 1)
FROM change_log`

// RecordedKinds returns Kinds and any other kind a recorded change has, sorted
// after them.
func (s *Store) RecordedKinds(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, kindsSQL)
	if err != nil {
		return nil, fmt.Errorf("read change kinds: %w", err)
	}

	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read change kinds: %w", err)
	}

	slices.Sort(found)
	kinds := slices.Clone(Kinds)
	for _, k := range found {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}

	return kinds, nil
}

// Page returns up to limit changes, newest first, of one kind (all when kind is
// empty) and older than the change with ID before (from the newest when 0),
// and whether there are more.
func (s *Store) Page(
	ctx context.Context,
	kind string,
	before int64,
	limit int,
) ([]Entry, bool, error) {
	rows, err := s.pool.Query(ctx, pageSQL, kind, before, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("read change log: %w", err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Entry])
	if err != nil {
		return nil, false, fmt.Errorf("read change log: %w", err)
	}

	if len(list) > limit {
		return list[:limit], true, nil
	}

	return list, false, nil
}
