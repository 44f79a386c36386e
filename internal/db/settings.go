package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

const insertSettingSQL = `
INSERT INTO settings (key, value)
VALUES ($1, $2)
ON CONFLICT (key) DO NOTHING`

const selectSettingSQL = `
SELECT value
FROM settings
WHERE key = $1`

// Secret returns the server secret stored under name, creating it with generate
// on first use. Every instance on the same database gets the same secret, even
// when several start at once.
func Secret(
	ctx context.Context,
	pool *pgxpool.Pool,
	name string,
	generate func() ([]byte, error),
) ([]byte, error) {
	fresh, err := generate()
	if err != nil {
		return nil, fmt.Errorf("generate secret %s: %w", name, err)
	}

	if _, err := pool.Exec(ctx, insertSettingSQL, name, fresh); err != nil {
		return nil, fmt.Errorf("store secret %s: %w", name, err)
	}

	var value []byte
	if err := pool.QueryRow(ctx, selectSettingSQL, name).Scan(&value); err != nil {
		return nil, fmt.Errorf("load secret %s: %w", name, err)
	}

	return value, nil
}
