package calendar

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/changelog"
	"github.com/anliegen/anliegen/internal/db"
)

// Kinds of configured days.
const (
	// KindExtra is a further day off, such as a local holiday.
	KindExtra = "extra"
	// KindRemoved is a holiday of the state that the city works.
	KindRemoved = "removed"
)

// Day is a configured day: added as a day off or taken from the holidays.
type Day struct {
	Date time.Time `db:"day"`
	Kind string    `db:"kind"`
	Name string    `db:"name"`
}

// Store keeps the configured days in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a store of configured days on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

const daysSQL = `
SELECT day, kind, name
FROM holidays
ORDER BY day`

// Days lists the configured days in date order.
func (s *Store) Days(ctx context.Context) ([]Day, error) {
	rows, err := s.pool.Query(ctx, daysSQL)
	if err != nil {
		return nil, fmt.Errorf("list holidays: %w", err)
	}

	days, err := pgx.CollectRows(rows, pgx.RowToStructByName[Day])
	if err != nil {
		return nil, fmt.Errorf("list holidays: %w", err)
	}

	return days, nil
}

// Apply loads the configured days into cal, so that due dates computed from
// then on count them.
func (s *Store) Apply(ctx context.Context, cal *Calendar) error {
	days, err := s.Days(ctx)
	if err != nil {
		return err
	}

	var extra, removed []time.Time
	for _, d := range days {
		y, m, dd := d.Date.Date()
		at := time.Date(y, m, dd, 12, 0, 0, 0, cal.Location())
		if d.Kind == KindRemoved {
			removed = append(removed, at)
			continue
		}
		extra = append(extra, at)
	}

	cal.Configure(extra, removed)

	return nil
}

const setDaySQL = `
INSERT INTO holidays (day, kind, name, created_by)
VALUES ($1, $2, $3, NULLIF($4::bigint, 0))
ON CONFLICT (day) DO UPDATE
SET kind = EXCLUDED.kind,
    name = EXCLUDED.name,
    created_by = EXCLUDED.created_by,
    created_at = now()`

// Set configures a day, replacing what was configured for its date, and
// records the change as made by the staff member by.
func (s *Store) Set(ctx context.Context, d Day, by int64) error {
	date := d.Date.Format(time.DateOnly)
	return inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, setDaySQL, date, d.Kind, d.Name, by); err != nil {
			return fmt.Errorf("set holiday %s: %w", date, err)
		}

		return changelog.Record(ctx, tx, changelog.Change{
			StaffID: by, Action: "holiday.set", Object: "holiday:" + date,
			Detail: map[string]any{"kind": d.Kind, "name": d.Name},
		})
	})
}

const deleteDaySQL = `
DELETE FROM holidays
WHERE day = $1`

// Delete removes the configuration of a date; db.ErrNotFound when it had none.
func (s *Store) Delete(ctx context.Context, date time.Time, by int64) error {
	day := date.Format(time.DateOnly)
	return inTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, deleteDaySQL, day)
		if err != nil {
			return fmt.Errorf("delete holiday %s: %w", day, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("delete holiday %s: %w", day, db.ErrNotFound)
		}

		return changelog.Record(ctx, tx, changelog.Change{
			StaffID: by, Action: "holiday.delete", Object: "holiday:" + day,
		})
	})
}

func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op

	if err := fn(tx); err != nil {
		return err
	}

	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}

	return nil
}

// Watch applies the configured days to cal every interval until ctx ends, so
// that a change made through another instance counts here too within that
// time; the instance that made it applies it at once.
func (s *Store) Watch(ctx context.Context, cal *Calendar, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()

	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}

		if err := s.Apply(ctx, cal); err != nil && ctx.Err() == nil {
			log.Warn("reload holidays failed", "error", err.Error())
		}
	}
}
