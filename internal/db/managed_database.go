package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// duplicateDatabase is PostgreSQL's error code when a database name is taken.
const duplicateDatabase = "42P04"

const databaseExistsSQL = `
SELECT EXISTS (
	SELECT 1
	FROM pg_database
	WHERE datname = $1
)`

// EnsureDatabase creates the database name on the cluster unless it exists.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("ensure database: %w", err)
	}
	defer conn.Close(context.Background())

	var exists bool
	if err := conn.QueryRow(ctx, databaseExistsSQL, name).Scan(&exists); err != nil {
		return fmt.Errorf("ensure database: %w", err)
	}

	if exists {
		return nil
	}

	// Another process may create it between the check and here; that is as good.
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == duplicateDatabase {
		return nil
	}

	if err != nil {
		return fmt.Errorf("ensure database: create: %w", err)
	}
	c.log.Info("database created", "database", name)

	return nil
}
