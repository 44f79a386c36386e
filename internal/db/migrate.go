package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/anliegen/anliegen/migrations"
)

// versionTable records which of the numbered migrations have been applied.
const versionTable = "schema_version"

// Migrate brings the schema up to date: the numbered SQL files of the migrations
// folder, each in its own transaction, then the job queue's own tables. It is safe
// to run from several processes at once.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	if err := migrateSchema(ctx, pool); err != nil {
		return err
	}

	if err := migrateQueue(ctx, pool); err != nil {
		return err
	}

	return ensureCaseSequences(ctx, pool, time.Now().Year())
}

func migrateSchema(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: acquire connection: %w", err)
	}
	defer conn.Release()

	m, err := migrate.NewMigrator(ctx, conn.Conn(), versionTable)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}

	if err := m.LoadMigrations(migrations.FS); err != nil {
		return fmt.Errorf("migrate: load files: %w", err)
	}

	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}

	return nil
}

func migrateQueue(ctx context.Context, pool *pgxpool.Pool) error {
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}

	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}

	return nil
}

// ensureCaseSequences creates the case number sequences of this year and the next,
// so that submissions around New Year never have to create one.
func ensureCaseSequences(ctx context.Context, pool *pgxpool.Pool, year int) error {
	for _, y := range []int{year, year + 1} {
		name := pgx.Identifier{fmt.Sprintf("case_number_%d", y)}.Sanitize()
		if _, err := pool.Exec(ctx, "CREATE SEQUENCE IF NOT EXISTS "+name); err != nil {
			return fmt.Errorf("create case number sequence %d: %w", y, err)
		}
	}

	return nil
}

// MigrationsHash returns a short digest of all migration files, which changes
// whenever a migration is added or edited.
func MigrationsHash() string {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		panic(fmt.Sprintf("embedded migrations unreadable: %v", err))
	}

	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		b, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			panic(fmt.Sprintf("embedded migration %s unreadable: %v", name, err))
		}

		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
	}

	return hex.EncodeToString(h.Sum(nil))[:10]
}
