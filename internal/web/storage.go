package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Storage is a fiber.Storage in PostgreSQL, so that rate limits and other short
// web state are shared by every instance behind a proxy.
type Storage struct {
	pool   *pgxpool.Pool
	prefix string
}

// NewStorage returns a storage whose keys are prefixed with prefix, so that
// several users of the one table never collide.
func NewStorage(pool *pgxpool.Pool, prefix string) *Storage {
	return &Storage{pool: pool, prefix: prefix}
}

const storageTimeout = 3 * time.Second

const storageGetSQL = `
SELECT value
FROM web_storage
WHERE key = $1
  AND (expires_at IS NULL OR expires_at > now())`

// Get returns the value of key, or nil when it is missing or expired.
func (s *Storage) Get(key string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()

	var v []byte
	err := s.pool.QueryRow(ctx, storageGetSQL, s.prefix+key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage get: %w", err)
	}

	return v, nil
}

const storageSetSQL = `
INSERT INTO web_storage (key, value, expires_at)
VALUES ($1, $2, CASE WHEN $3::bigint > 0 THEN now() + make_interval(secs => $3::bigint) END)
ON CONFLICT (key) DO UPDATE
SET value = excluded.value,
	expires_at = excluded.expires_at`

// Set stores val under key for exp, or for ever when exp is zero. An empty key
// or value is ignored, as fiber.Storage requires.
func (s *Storage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}

	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()

	secs := int64(exp / time.Second)
	if exp > 0 && secs == 0 {
		secs = 1
	}

	if _, err := s.pool.Exec(ctx, storageSetSQL, s.prefix+key, val, secs); err != nil {
		return fmt.Errorf("storage set: %w", err)
	}

	return nil
}

const storageDeleteSQL = `
DELETE FROM web_storage
WHERE key = $1`

// Delete removes key.
func (s *Storage) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()

	if _, err := s.pool.Exec(ctx, storageDeleteSQL, s.prefix+key); err != nil {
		return fmt.Errorf("storage delete: %w", err)
	}

	return nil
}

const storageResetSQL = `
DELETE FROM web_storage
WHERE starts_with(key, $1)`

// Reset removes every key of this storage's prefix.
func (s *Storage) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()

	if _, err := s.pool.Exec(ctx, storageResetSQL, s.prefix); err != nil {
		return fmt.Errorf("storage reset: %w", err)
	}

	return nil
}

// Close does nothing: the pool belongs to the caller.
func (s *Storage) Close() error {
	return nil
}

const storagePurgeSQL = `
DELETE FROM web_storage
WHERE expires_at < now()`

// Purge removes expired entries; a periodic job calls it.
func Purge(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	tag, err := pool.Exec(ctx, storagePurgeSQL)
	if err != nil {
		return 0, fmt.Errorf("purge web storage: %w", err)
	}

	return tag.RowsAffected(), nil
}
