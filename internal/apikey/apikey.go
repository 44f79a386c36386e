// Package apikey issues, checks, renames and revokes the keys that Open311
// clients submit requests with. A key is shown once when it is issued; only its
// SHA-256 is stored, which suffices for a random secret of 160 bits.
package apikey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
)

// keyPrefix starts every key, so that a key pasted in the wrong place is
// recognisable; prefixLen is how much of a key the back office shows.
const (
	keyPrefix = "a311_"
	prefixLen = len(keyPrefix) + 6
)

// ErrName is returned for a name that is empty, too long or has control
// characters.
var ErrName = errors.New("api key name must have 1 to 200 characters and no control characters")

// Key is an issued key as staff see it; the secret itself is never stored.
type Key struct {
	ID         int64      `db:"id"`
	Name       string     `db:"name"`
	Prefix     string     `db:"prefix"`
	CreatedAt  time.Time  `db:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at"`
	RevokedAt  *time.Time `db:"revoked_at"`
}

// Revoked reports whether the key no longer opens anything.
func (k Key) Revoked() bool {
	return k.RevokedAt != nil
}

// Store reads and writes the keys.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a key store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newSecret returns a random key of 160 bits in lower-case base32.
func newSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("api key: %w", err)
	}

	return keyPrefix + strings.ToLower(encoding.EncodeToString(b)), nil
}

func hash(secret string) []byte {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return sum[:]
}

// CleanName trims a key's name and reports whether it is acceptable.
func CleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 200 || !catalog.CleanText(name, false) {
		return "", ErrName
	}

	return name, nil
}

const insertKeySQL = `
INSERT INTO api_keys (name, key_hash, prefix, created_by)
VALUES ($1, $2, $3, $4)
RETURNING id, name, prefix, created_at, last_used_at, revoked_at`

// Create issues a key named after the client that uses it and returns it with
// its secret, which exists nowhere else. staffID is the administrator who
// issued it, or nil on the command line; the change log records it.
func (s *Store) Create(ctx context.Context, name string, staffID *int64) (Key, string, error) {
	name, err := CleanName(name)
	if err != nil {
		return Key{}, "", err
	}

	secret, err := newSecret()
	if err != nil {
		return Key{}, "", err
	}

	var k Key
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, insertKeySQL, name, hash(secret), secret[:prefixLen], staffID)
		if err != nil {
			return err
		}
		if k, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Key]); err != nil {
			return err
		}
		return logChange(ctx, tx, staffID, "api_key.create", k.ID, map[string]any{"name": name})
	})
	if err != nil {
		return Key{}, "", fmt.Errorf("create api key: %w", err)
	}

	return k, secret, nil
}

const verifySQL = `
UPDATE api_keys
SET last_used_at = now()
WHERE key_hash = $1
  AND revoked_at IS NULL
RETURNING id, name, prefix, created_at, last_used_at, revoked_at`

// Verify returns the key whose secret is given, if it is not revoked, or
// db.ErrNotFound.
func (s *Store) Verify(ctx context.Context, secret string) (Key, error) {
	if !strings.HasPrefix(strings.TrimSpace(secret), keyPrefix) {
		return Key{}, fmt.Errorf("verify api key: %w", db.ErrNotFound)
	}

	rows, err := s.pool.Query(ctx, verifySQL, hash(secret))
	if err != nil {
		return Key{}, fmt.Errorf("verify api key: %w", err)
	}

	k, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Key])
	if errors.Is(err, pgx.ErrNoRows) {
		return Key{}, fmt.Errorf("verify api key: %w", db.ErrNotFound)
	}
	if err != nil {
		return Key{}, fmt.Errorf("verify api key: %w", err)
	}

	return k, nil
}

const listSQL = `
SELECT id, name, prefix, created_at, last_used_at, revoked_at
FROM api_keys
ORDER BY revoked_at IS NOT NULL, name, id`

// List returns every key, those in use first, by name.
func (s *Store) List(ctx context.Context) ([]Key, error) {
	rows, err := s.pool.Query(ctx, listSQL)
	if err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}

	keys, err := pgx.CollectRows(rows, pgx.RowToStructByName[Key])
	if err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}

	return keys, nil
}

const renameSQL = `
WITH old AS (
	SELECT id, name
	FROM api_keys
	WHERE id = $1
	FOR UPDATE
)
UPDATE api_keys k
SET name = $2
FROM old
WHERE k.id = old.id
RETURNING old.name`

// Rename gives the key id a new name and logs the change by staffID; an
// unknown key is db.ErrNotFound.
func (s *Store) Rename(ctx context.Context, id int64, name string, staffID *int64) error {
	name, err := CleanName(name)
	if err != nil {
		return err
	}

	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var old string
		if err := tx.QueryRow(ctx, renameSQL, id, name).Scan(&old); err != nil {
			return err
		}
		detail := map[string]any{"old_name": old, "name": name}
		return logChange(ctx, tx, staffID, "api_key.rename", id, detail)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("rename api key %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("rename api key %d: %w", id, err)
	}

	return nil
}

const revokeSQL = `
UPDATE api_keys
SET revoked_at = now()
WHERE id = $1
  AND revoked_at IS NULL
RETURNING name`

// Revoke ends the key id for good and logs the change by staffID; a key that
// is unknown or already revoked is db.ErrNotFound.
func (s *Store) Revoke(ctx context.Context, id int64, staffID *int64) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var name string
		if err := tx.QueryRow(ctx, revokeSQL, id).Scan(&name); err != nil {
			return err
		}
		return logChange(ctx, tx, staffID, "api_key.revoke", id, map[string]any{"name": name})
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("revoke api key %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("revoke api key %d: %w", id, err)
	}

	return nil
}

const logChangeSQL = `
INSERT INTO change_log (staff_id, action, object, detail)
VALUES ($1, $2, $3, $4)`

func logChange(
	ctx context.Context,
	tx pgx.Tx,
	staffID *int64,
	action string,
	id int64,
	detail map[string]any,
) error {
	_, err := tx.Exec(ctx, logChangeSQL, staffID, action, fmt.Sprintf("api_key:%d", id), detail)
	if err != nil {
		return fmt.Errorf("log change: %w", err)
	}

	return nil
}
